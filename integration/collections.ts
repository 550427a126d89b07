import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'zod';
import { loadCatalog, defaultCatalogPaths } from './catalog/load.ts';
import type { ComponentDefinition } from './components/define.ts';
import { EXTENSIONS } from './store/format.ts';
import { provenanceSchema, type Provenance } from './store/provenance.ts';

type WithProvenance<Data> = (Data extends { body: string } ? Omit<Data, 'body'> : Data) & { _provenance: Provenance };

/**
 * The content collection of one component, typed by the component's own schema plus its
 * provenance, so the generator and the site can never disagree about a component's shape.
 * Markdown components keep their body for Astro's Markdown pipeline.
 */
export function componentCollection<Data>(component: ComponentDefinition<any, Data, any>, contentDir = 'content') {
  const base = component.schema as unknown as z.ZodObject;
  const schema = (component.format === 'md' ? base.omit({ body: true } as never) : base).extend({ _provenance: provenanceSchema });
  return defineCollection({
    loader: glob({
      pattern: `*.${EXTENSIONS[component.format]}`,
      base: `./${contentDir}/components/${component.name}`,
      generateId: ({ entry }) => entry.replace(/\.[^.]+$/, ''),
    }),
    schema: schema as unknown as z.ZodType<WithProvenance<Data>>,
  });
}

/** The catalogue itself as a collection: one entry per material, validated by the catalogue loader. */
export function catalogCollection(root = process.cwd()) {
  return defineCollection({
    loader: {
      name: 'batchgen-catalog',
      load: async ({ store, parseData, generateDigest }) => {
        const catalog = await loadCatalog(defaultCatalogPaths(root));
        store.clear();
        for (const category of catalog.categories) {
          for (const material of category.materials) {
            const data = await parseData({
              id: material.slug,
              data: {
                name: material.name,
                slug: material.slug,
                category: category.id,
                categoryLabel: category.label,
                categoryDescription: category.description,
              } as Record<string, unknown>,
            });
            store.set({ id: material.slug, data, digest: generateDigest(data) });
          }
        }
      },
    },
    schema: z.object({
      name: z.string(),
      slug: z.string(),
      category: z.string(),
      categoryLabel: z.string(),
      categoryDescription: z.string(),
    }),
  });
}
