import type { Catalog } from '../catalog/load.ts';
import type { ComponentContext, SiteSettings } from '../components/define.ts';
import { systemPrompt, userPrompt } from '../components/prompt.ts';
import { sourceRecord, type Plan, type PlanItem } from '../plan/plan.ts';
import { parseContent } from '../store/store.ts';

/** Where a dependency's content came from for an estimated prompt. */
export type DependencySource = 'current file' | 'offline draft' | 'unavailable';

export interface EstimatedPrompt {
  item: PlanItem;
  system: string;
  user: string;
  /** For each dependency this run regenerates first, what stood in for its future content. */
  estimatedDependencies: Array<{ component: string; source: DependencySource }>;
}

/**
 * The prompts a run would send for the plan's llm items, built as the run builds them. A
 * dependency the run regenerates first is not known yet: its current file stands in for it,
 * or, when it has no file, the offline writer's draft of it. Each prompt says which.
 */
export function plannedPrompts(catalog: Catalog, plan: Plan, site: SiteSettings): EstimatedPrompt[] {
  const content = new Map<string, { data: Record<string, unknown> | undefined; source: DependencySource }>();
  const generating = new Set(plan.todo.map((i) => i.key));
  const depsOf = (item: PlanItem) => item.component.dependsOn.map((name) => plan.byKey.get(`${item.material.slug}/${name}`)!);

  const contextOf = (item: PlanItem): ComponentContext<unknown> => ({
    inputs: item.component.inputs(sourceRecord(catalog, item.material, site)),
    deps: Object.fromEntries(depsOf(item).map((d) => [d.component.name, contentOf(d).data])),
  });

  function contentOf(item: PlanItem): { data: Record<string, unknown> | undefined; source: DependencySource } {
    let known = content.get(item.key);
    if (known) return known;
    known = { data: undefined, source: 'unavailable' };
    if (item.file) {
      try {
        known = { data: parseContent(item.component.format, item.file.text), source: 'current file' };
      } catch {
        // A file broken by hand: fall through to a draft.
      }
    }
    if (!known.data) {
      try {
        const context = contextOf(item);
        const draft = item.component.llm ? item.component.llm.offline(context as never) : undefined;
        known = { data: item.component.build(context as never, draft as never) as Record<string, unknown>, source: 'offline draft' };
      } catch {
        known = { data: undefined, source: 'unavailable' };
      }
    }
    content.set(item.key, known);
    return known;
  }

  const prompts: EstimatedPrompt[] = [];
  for (const item of plan.todo) {
    if (!item.component.llm) continue;
    const estimatedDependencies = depsOf(item)
      .filter((d) => generating.has(d.key) || !d.file)
      .map((d) => ({ component: d.component.name, source: contentOf(d).source }));
    let user: string;
    try {
      user = userPrompt(item.component, item.material.name, contextOf(item));
    } catch {
      // A prompt that cannot be built without its dependency: counted from its fixed parts only.
      user = `Component: ${item.component.name}\nMaterial: ${item.material.name}\n`;
      estimatedDependencies.push({ component: '(prompt)', source: 'unavailable' });
    }
    prompts.push({ item, system: systemPrompt(item.component), user, estimatedDependencies });
  }
  return prompts;
}
