import path from 'node:path';
import { loadCatalog, defaultCatalogPaths, type Catalog } from './catalog/load.ts';
import { builtinComponents, resolveComponents } from './components/index.ts';
import type { ComponentDefinition, SiteSettings } from './components/define.ts';
import type { ResolvedOptions } from './config.ts';
import { ComponentStore } from './store/store.ts';

/** Everything a run works on: the catalogue, the components, where outputs live, the site. */
export interface Project {
  root: string;
  options: ResolvedOptions;
  catalog: Catalog;
  components: ComponentDefinition[];
  store: ComponentStore;
  site: SiteSettings;
}

export const DEFAULT_SITE_URL = 'https://laser-cleaning.example.com';

export async function openProject(root: string, options: ResolvedOptions, siteUrl: string | undefined): Promise<Project> {
  const contentDir = path.resolve(root, options.contentDir);
  const catalog = await loadCatalog({
    ...defaultCatalogPaths(root),
    materialsDir: path.join(contentDir, 'materials'),
    authorsFile: path.join(contentDir, 'authors.yaml'),
  });
  return {
    root,
    options,
    catalog,
    components: resolveComponents([...builtinComponents, ...options.components]),
    store: new ComponentStore(path.join(contentDir, 'components')),
    site: { url: siteUrl ?? DEFAULT_SITE_URL, brand: options.brand },
  };
}
