import { z } from 'zod';
import type { ComponentContext, ComponentDefinition } from '../components/define.ts';

/**
 * Which llm components to ask for together in one call per material: those with the same
 * dependencies (so they are ready at the same moment) and short answers (a long article stays
 * on its own, where a truncation costs only itself). Returns each component's group name.
 */
export function defaultGroups(components: readonly ComponentDefinition[], maxTokensPerMember = 1000): Map<string, string> {
  const byDeps = new Map<string, ComponentDefinition[]>();
  for (const component of components) {
    if (!component.llm || component.llm.maxTokens > maxTokensPerMember) continue;
    const key = [...component.dependsOn].sort().join(',');
    byDeps.set(key, [...(byDeps.get(key) ?? []), component]);
  }
  const groups = new Map<string, string>();
  for (const members of byDeps.values()) {
    if (members.length < 2) continue;
    const name = `group:${members.map((m) => m.name).join('+')}`;
    for (const member of members) groups.set(member.name, name);
  }
  return groups;
}

const definitions = new Map<string, ComponentDefinition>();

/**
 * A component standing for several asked at once: its draft is one JSON object holding each
 * member's draft under the member's name, its instructions each member's instructions under a
 * heading, and its offline writer each member's own writer. Cached per member set, so the
 * system prompt stays byte-identical across materials.
 */
export function groupDefinition(members: readonly ComponentDefinition[]): ComponentDefinition {
  const name = `group:${members.map((m) => m.name).join('+')}`;
  let definition = definitions.get(name);
  if (definition) return definition;
  const shape = Object.fromEntries(members.map((m) => [m.name, m.llm!.schema]));
  definition = {
    name,
    kind: 'llm',
    version: 1,
    dependsOn: [...new Set(members.flatMap((m) => m.dependsOn))],
    format: 'yaml',
    schema: z.unknown(),
    inputs: () => ({}),
    build: (_context, draft) => draft,
    llm: {
      schema: z.strictObject(shape),
      instructions: [
        `You write several parts of one material page at once. Answer with one JSON object with the keys ${members.map((m) => `"${m.name}"`).join(', ')}; each holds that part, following its own instructions:`,
        ...members.map((m) => `\n## ${m.name}\n${m.llm!.instructions}`),
      ].join('\n'),
      prompt: (context: ComponentContext<unknown>) => {
        const parts = context.inputs as Record<string, ComponentContext<unknown>>;
        const seen = new Set<string>();
        const sections: string[] = [];
        for (const member of members) {
          const text = member.llm!.prompt(parts[member.name]!);
          if (seen.has(text)) {
            sections.push(`## ${member.name}\n(same data as above)`);
          } else {
            seen.add(text);
            sections.push(`## ${member.name}\n${text}`);
          }
        }
        return sections.join('\n\n');
      },
      offline: (context: ComponentContext<unknown>) => {
        const parts = context.inputs as Record<string, ComponentContext<unknown>>;
        return Object.fromEntries(members.map((m) => [m.name, m.llm!.offline(parts[m.name]!)]));
      },
      maxTokens: members.reduce((sum, m) => sum + m.llm!.maxTokens, 0),
      temperature: Math.min(...members.map((m) => m.llm!.temperature)),
    },
  };
  definitions.set(name, definition);
  return definition;
}
