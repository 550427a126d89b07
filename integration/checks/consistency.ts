import type { CheckContext, CheckProblem } from './types.ts';

/** One place a shared value is stored: a component and how to read the value from its content. */
interface Copy {
  component: string;
  field: string;
  read: (data: Record<string, unknown>) => unknown;
}

/** A value that several components store and that must read the same everywhere. */
interface SharedValue {
  what: string;
  /** In the order the value flows: the first copy is where it is written, later ones copy it. */
  copies: readonly Copy[];
}

const at = (...keys: string[]) => (data: Record<string, unknown>) =>
  keys.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), data);

const article = (key: string) => (data: Record<string, unknown>) => {
  const graph = data['@graph'];
  const node = Array.isArray(graph) ? graph.find((n) => (n as Record<string, unknown>)?.['@type'] === 'TechArticle') : undefined;
  return (node as Record<string, unknown> | undefined)?.[key];
};

function articleField(data: Record<string, unknown>, key: string): string {
  const graph = data['@graph'];
  const index = Array.isArray(graph) ? graph.findIndex((n) => (n as Record<string, unknown>)?.['@type'] === 'TechArticle') : -1;
  return `@graph[${index}].${key}`;
}

const SHARED: readonly SharedValue[] = [
  {
    what: 'the page title',
    copies: [
      { component: 'frontmatter', field: 'title', read: at('title') },
      { component: 'metatags', field: 'title', read: at('title') },
      { component: 'metatags', field: 'openGraph.title', read: at('openGraph', 'title') },
      { component: 'metatags', field: 'twitter.title', read: at('twitter', 'title') },
      { component: 'jsonld', field: 'headline', read: article('headline') },
    ],
  },
  {
    what: 'the page description',
    copies: [
      { component: 'metatags', field: 'description', read: at('description') },
      { component: 'metatags', field: 'openGraph.description', read: at('openGraph', 'description') },
      { component: 'metatags', field: 'twitter.description', read: at('twitter', 'description') },
      { component: 'jsonld', field: 'description', read: article('description') },
    ],
  },
  {
    what: 'the canonical URL',
    copies: [
      { component: 'metatags', field: 'canonical', read: at('canonical') },
      { component: 'metatags', field: 'openGraph.url', read: at('openGraph', 'url') },
      { component: 'jsonld', field: 'url', read: article('url') },
    ],
  },
];

/**
 * The title, description and canonical URL read the same in every component that stores them.
 * The component being checked is compared with its own other copies and with the copies of the
 * components it is made from, never with components made from it: those are regenerated after
 * it, so their current content is the old value by design.
 */
export function checkConsistency(context: CheckContext): CheckProblem[] {
  const { component, data, related } = context;
  const problems: CheckProblem[] = [];
  for (const shared of SHARED) {
    const mine = shared.copies.filter((c) => c.component === component);
    if (mine.length === 0) continue;
    const position = shared.copies.findIndex((c) => c.component === component);
    const upstream = shared.copies
      .slice(0, position)
      .filter((c) => related[c.component] !== undefined)
      .map((c) => ({ ...c, value: c.read(related[c.component]!) }))
      .filter((c) => typeof c.value === 'string');
    // The value this component should hold: where it is written, if present; else its own first copy.
    const reference = upstream[0] ?? { ...mine[0]!, value: mine[0]!.read(data) };
    if (typeof reference.value !== 'string') continue;
    for (const copy of mine) {
      if (copy === reference || (reference.component === copy.component && reference.field === copy.field)) continue;
      const value = copy.read(data);
      if (value === undefined || value === reference.value) continue;
      const field = component === 'jsonld' ? articleField(data, copy.field) : copy.field;
      problems.push({
        check: 'consistency',
        field,
        message: `${field}: ${shared.what} is ${JSON.stringify(value)}, but ${reference.component}.${reference.field} is ${JSON.stringify(reference.value)}; it must be the same everywhere`,
      });
    }
  }
  return problems;
}
