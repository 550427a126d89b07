import type { Catalog } from '../catalog/load.ts';
import type { ComponentDefinition } from '../components/define.ts';
import type { Plan, PlanItem } from '../plan/plan.ts';
import { parseContent, type ComponentStore } from '../store/store.ts';
import { checkComponent } from './index.ts';
import { proseOf, proseStrings, proseText } from './prose.ts';
import { createSimilarityIndex, isNearDuplicate } from './similarity.ts';

/**
 * The review a run applies to every composed component before it is written: the content
 * checks, and for llm prose a near-duplicate search against the same component of every other
 * material (as committed, and as written during the run). Returns the problems, each a reason
 * a person and a model asked again can act on.
 */
export async function createReview(catalog: Catalog, plan: Plan, store: ComponentStore, components: readonly ComponentDefinition[]) {
  const index = createSimilarityIndex();
  const bySlug = new Map(catalog.materials.map((m) => [m.slug, m]));
  // Every material's current prose takes part, not only the materials this run plans for. The
  // texts are taken now; each component's are indexed when its first answer is reviewed, so a
  // run's first calls go out without waiting for the whole index.
  const current = new Map<string, Array<{ slug: string; format: ComponentDefinition['format']; text: string }>>();
  for (const material of catalog.materials) {
    for (const component of components) {
      if (!component.llm) continue;
      const item = plan.byKey.get(`${material.slug}/${component.name}`);
      const file = item ? item.file : await store.read(component, material.slug);
      if (!file) continue;
      const list = current.get(component.name) ?? [];
      list.push({ slug: material.slug, format: component.format, text: file.text });
      current.set(component.name, list);
    }
  }
  const indexed = (component: string) => {
    const files = current.get(component);
    if (!files) return;
    current.delete(component);
    for (const file of files) {
      try {
        index.add(component, file.slug, proseOf(component, parseContent(file.format, file.text)));
      } catch {
        // A file broken by hand takes no part in the comparison; its status reports it.
      }
    }
  };
  return (item: PlanItem, data: Record<string, unknown>, related: Record<string, Record<string, unknown>>): string[] => {
    const strings = proseStrings(item.component.name, data);
    const context = { material: bySlug.get(item.material.slug)!, catalog, component: item.component.name, data, related };
    const problems = checkComponent(context, strings).map((p) => p.message);
    if (item.component.llm) {
      indexed(item.component.name);
      const prose = proseText(strings);
      const nearest = index.nearest(item.component.name, item.material.slug, prose);
      if (nearest && isNearDuplicate(nearest.similarity)) {
        problems.push(
          `the text is a near-copy of the ${item.component.name} of "${bySlug.get(nearest.slug)?.name ?? nearest.slug}" (similarity ${nearest.similarity.toFixed(2)}): write about this material specifically`,
        );
      }
      if (problems.length === 0) index.add(item.component.name, item.material.slug, prose);
    }
    return problems;
  };
}
