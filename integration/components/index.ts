import type { ComponentDefinition } from './define.ts';
import frontmatter from './frontmatter.ts';
import metatags from './metatags.ts';
import propertiestable from './propertiestable.ts';
import bullets from './bullets.ts';
import caption from './caption.ts';
import text from './text.ts';
import table from './table.ts';
import tags from './tags.ts';
import jsonld from './jsonld.ts';
import author from './author.ts';

/** The built-in components in priority order, which is also generation order. */
export const builtinComponents: ComponentDefinition[] = [
  frontmatter,
  metatags,
  propertiestable,
  bullets,
  caption,
  text,
  table,
  tags,
  jsonld,
  author,
];

/** Checks names and dependencies and returns the components in an order where dependencies come first. */
export function resolveComponents(components: readonly ComponentDefinition[]): ComponentDefinition[] {
  const byName = new Map<string, ComponentDefinition>();
  for (const component of components) {
    if (!/^[a-z][a-z0-9-]*$/.test(component.name)) {
      throw new Error(`component name "${component.name}" must be lowercase letters, digits and hyphens`);
    }
    if (byName.has(component.name)) throw new Error(`two components are named "${component.name}"`);
    byName.set(component.name, component);
  }
  const ordered: ComponentDefinition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (component: ComponentDefinition, trail: string[]) => {
    if (state.get(component.name) === 'done') return;
    if (state.get(component.name) === 'visiting') {
      throw new Error(`components depend on each other in a cycle: ${[...trail, component.name].join(' -> ')}`);
    }
    state.set(component.name, 'visiting');
    for (const dep of component.dependsOn) {
      const target = byName.get(dep);
      if (!target) throw new Error(`component "${component.name}" depends on "${dep}", which is not defined`);
      visit(target, [...trail, component.name]);
    }
    state.set(component.name, 'done');
    ordered.push(component);
  };
  for (const component of components) visit(component, []);
  return ordered;
}

export type { Frontmatter } from './frontmatter.ts';
export type { Metatags } from './metatags.ts';
export type { PropertiesTable } from './propertiestable.ts';
export type { Bullets } from './bullets.ts';
export type { Caption } from './caption.ts';
export type { ArticleText } from './text.ts';
export type { TechnicalTables } from './table.ts';
export type { Tags } from './tags.ts';
export type { JsonLd } from './jsonld.ts';
export type { AuthorCard } from './author.ts';
