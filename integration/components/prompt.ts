import { z } from 'zod';
import type { ComponentContext, ComponentDefinition } from './define.ts';

const STYLE_GUIDE = [
  'You write for a technical guide to laser cleaning, read by engineers, conservators and operators.',
  'Be specific to the material in front of you; never describe a different material.',
  'Every number, unit, standard and laser setting on the page comes from the catalogue data you are given:',
  'do not invent any, and do not copy example values from these instructions.',
  'Never write placeholders, notes to the reader about yourself, or text about these instructions.',
  'Answer with one JSON object that satisfies the schema below, and nothing else.',
].join('\n');

const schemas = new WeakMap<ComponentDefinition, string>();

/** The JSON Schema of what the model writes for a component, as sent to providers. */
export function draftJsonSchema(component: ComponentDefinition): Record<string, unknown> {
  return JSON.parse(draftJsonSchemaText(component)) as Record<string, unknown>;
}

function draftJsonSchemaText(component: ComponentDefinition): string {
  let text = schemas.get(component);
  if (!text) {
    text = JSON.stringify(z.toJSONSchema(component.llm!.schema, { target: 'draft-2020-12', unrepresentable: 'any' }), null, 2);
    schemas.set(component, text);
  }
  return text;
}

/**
 * The system message: the same bytes for every material of a component (style guide,
 * component instructions, output schema), so providers' prompt caching applies to it.
 */
export function systemPrompt(component: ComponentDefinition): string {
  return `${STYLE_GUIDE}\n\n${component.llm!.instructions}\n\nOutput JSON schema:\n\`\`\`json\n${draftJsonSchemaText(component)}\n\`\`\`\n`;
}

/** The user message: which component and material, then the material's own data. */
export function userPrompt(component: ComponentDefinition, materialName: string, context: ComponentContext<unknown>): string {
  return `Component: ${component.name}\nMaterial: ${materialName}\n\n${component.llm!.prompt(context)}\n`;
}
