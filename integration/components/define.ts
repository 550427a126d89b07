import type { z } from 'zod';
import type { Author } from '../catalog/schema.ts';
import type { Category, Material } from '../catalog/load.ts';

export type ComponentKind = 'llm' | 'static' | 'derived';
export type FileFormat = 'yaml' | 'json' | 'md';

/** Site-wide settings a component may read (canonical URLs, brand). */
export interface SiteSettings {
  url: string;
  brand: string;
}

/** Everything a component may read about one material. Its `inputs` picks from this. */
export interface SourceRecord {
  material: Material;
  category: Category;
  author: Author;
  site: SiteSettings;
}

/** What a component's writers receive: its own inputs and the current content of its dependencies. */
export interface ComponentContext<Inputs> {
  inputs: Inputs;
  deps: Record<string, any>;
}

export interface LlmSpec<Inputs, Draft> {
  /** What the model writes: only prose, never numbers that the catalogue holds. */
  schema: z.ZodType<Draft>;
  /** The shared prompt prefix: the same bytes for every material, so providers can cache it. */
  instructions: string;
  /** The material-specific part of the prompt. */
  prompt: (context: ComponentContext<Inputs>) => string;
  /** The deterministic writer used by the `offline` provider. */
  offline: (context: ComponentContext<Inputs>) => Draft;
  maxTokens: number;
  temperature: number;
}

export interface ComponentDefinition<Inputs = any, Data = any, Draft = any> {
  name: string;
  kind: ComponentKind;
  /** Bump when the definition changes its output: every file of this component becomes stale. */
  version: number;
  dependsOn: readonly string[];
  format: FileFormat;
  /** The stored content; the Astro collection is typed by the same schema. */
  schema: z.ZodType<Data>;
  /** The fields this component reads. Only these enter its inputs hash, and only these reach its writers. */
  inputs: (source: SourceRecord) => Inputs;
  llm?: LlmSpec<Inputs, Draft>;
  /** Composes the stored content from inputs, dependencies and (for llm components) the draft. */
  build: (context: ComponentContext<Inputs>, draft: Draft) => Data;
}

export function defineComponent<Inputs, Data, Draft = undefined>(
  definition: ComponentDefinition<Inputs, Data, Draft>,
): ComponentDefinition<Inputs, Data, Draft> {
  if (definition.kind === 'llm' && !definition.llm) {
    throw new Error(`component "${definition.name}" is of kind llm but defines no \`llm\` writer`);
  }
  if (definition.kind !== 'llm' && definition.llm) {
    throw new Error(`component "${definition.name}" is of kind ${definition.kind} and must not define \`llm\``);
  }
  return definition;
}
