import path from 'node:path';
import { loadCatalog, defaultCatalogPaths, type Catalog } from './catalog/load.ts';
import { builtinComponents, resolveComponents } from './components/index.ts';
import type { ComponentDefinition, SiteSettings } from './components/define.ts';
import { ConfigError, type ResolvedOptions } from './config.ts';
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

/**
 * The components with the configured answer budget and temperature. These are call parameters:
 * recorded with each answer, never part of an inputs hash, so changing them makes nothing stale.
 */
function withSettings(components: ComponentDefinition[], settings: ResolvedOptions['componentSettings']): ComponentDefinition[] {
  for (const name of Object.keys(settings)) {
    const component = components.find((c) => c.name === name);
    if (!component) throw new ConfigError(`componentSettings.${name}: no such component`, `Components: ${components.map((c) => c.name).join(', ')}.`);
    if (!component.llm) throw new ConfigError(`componentSettings.${name}: ${name} is not written by a model`, 'Only llm components take maxTokens and temperature.');
  }
  return components.map((component) => {
    const own = settings[component.name];
    if (!own || !component.llm) return component;
    return { ...component, llm: { ...component.llm, maxTokens: own.maxTokens ?? component.llm.maxTokens, temperature: own.temperature ?? component.llm.temperature } };
  });
}

export const DEFAULT_SITE_URL = 'https://laser-cleaning.example.com';

export async function openProject(root: string, options: ResolvedOptions, siteUrl: string | undefined): Promise<Project> {
  const contentDir = path.resolve(root, options.contentDir);
  // Planning caches live with the rest of the run state in `.batchgen/` (see stateDir in batch.ts).
  const cacheDir = path.join(root, '.batchgen', 'cache');
  const catalog = await loadCatalog(
    {
      ...defaultCatalogPaths(root),
      materialsDir: path.join(contentDir, 'materials'),
      authorsFile: path.join(contentDir, 'authors.yaml'),
    },
    { cacheDir },
  );
  return {
    root,
    options,
    catalog,
    components: withSettings(resolveComponents([...builtinComponents, ...options.components]), options.componentSettings),
    store: new ComponentStore(path.join(contentDir, 'components'), { readCache: path.join(cacheDir, 'generated-files.txt') }),
    site: { url: siteUrl ?? DEFAULT_SITE_URL, brand: options.brand },
  };
}
