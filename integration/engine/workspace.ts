import type { Catalog } from '../catalog/load.ts';
import type { ComponentContext, SiteSettings } from '../components/define.ts';
import { systemPrompt, userPrompt } from '../components/prompt.ts';
import { inputDigests, inputsHash, sourceRecord, type Plan, type PlanItem } from '../plan/plan.ts';
import { renderFile } from '../store/format.ts';
import type { Provenance, Usage } from '../store/provenance.ts';
import { parseContent, type ComponentStore } from '../store/store.ts';

interface Current {
  text: string;
  contentHash: string;
  data?: Record<string, unknown>;
}

/** An item ready to be written: its context, inputs hash and (for llm components) its prompt. */
export interface PreparedItem {
  item: PlanItem;
  context: ComponentContext<unknown>;
  inputsHash: string;
  inputDigests: Record<string, string>;
  /** Already current: only an upstream component was regenerated, and to the same content. */
  upToDate: boolean;
  system: string | undefined;
  user: string | undefined;
}

export interface DraftMeta {
  provider: string;
  model: string;
  mode: Provenance['mode'];
  usage: Usage | undefined;
}

/** Why an item cannot be prepared, or why its composed content was refused. */
export class ItemBlockedError extends Error {}
export class ContentRejectedError extends Error {}

/**
 * The content a run works on: each item's dependencies as they are now (on disk, or just
 * written by this run), how to prepare an item's prompt and inputs hash, and how to compose,
 * check and write its output. Shared by the live engine and the Batch API path so both write
 * exactly the same files.
 */
export class Workspace {
  readonly catalog: Catalog;
  readonly plan: Plan;
  readonly store: ComponentStore;
  readonly site: SiteSettings;
  readonly now: () => Date;
  readonly #current = new Map<string, Current>();
  readonly #byMaterial = new Map<string, PlanItem[]>();
  /** Optional checks on composed content before it is written; returns the problems found. */
  review: ((item: PlanItem, data: Record<string, unknown>, related: Record<string, Record<string, unknown>>) => string[]) | undefined;

  constructor(options: { catalog: Catalog; plan: Plan; store: ComponentStore; site: SiteSettings; now?: () => Date }) {
    this.catalog = options.catalog;
    this.plan = options.plan;
    this.store = options.store;
    this.site = options.site;
    this.now = options.now ?? (() => new Date());
    for (const item of this.plan.items) {
      const list = this.#byMaterial.get(item.material.slug) ?? [];
      list.push(item);
      this.#byMaterial.set(item.material.slug, list);
    }
  }

  depsOf(item: PlanItem): PlanItem[] {
    return item.component.dependsOn.map((name) => this.plan.byKey.get(`${item.material.slug}/${name}`)!);
  }

  /** The current content of an item, parsed on first use. */
  contentOf(item: PlanItem): Current | undefined {
    let entry = this.#current.get(item.key);
    if (!entry && item.file) entry = { text: item.file.text, contentHash: item.file.contentHash };
    if (!entry) return undefined;
    entry.data ??= parseContent(item.component.format, entry.text);
    this.#current.set(item.key, entry);
    return entry;
  }

  /** The material's other components as they are now, for cross-component checks. */
  related(item: PlanItem): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const other of this.#byMaterial.get(item.material.slug) ?? []) {
      if (other.key === item.key) continue;
      try {
        const content = this.contentOf(other);
        if (content?.data) out[other.component.name] = content.data;
      } catch {
        // A hand-broken file is reported by its own status, not here.
      }
    }
    return out;
  }

  prepare(item: PlanItem, force: boolean): PreparedItem {
    const component = item.component;
    const deps: Record<string, unknown> = {};
    const depHashes: Record<string, string> = {};
    for (const dep of this.depsOf(item)) {
      const content = this.contentOf(dep);
      if (!content) throw new ItemBlockedError(`${dep.component.name} is missing`);
      deps[dep.component.name] = content.data;
      depHashes[dep.component.name] = content.contentHash;
    }
    const inputs = component.inputs(sourceRecord(this.catalog, item.material, this.site));
    const hash = inputsHash(component, inputs, depHashes);
    const old = item.file?.provenance;
    const upToDate = !force && item.status !== 'fresh' && old !== undefined && old.inputsHash === hash && item.file!.contentHash === old.outputHash;
    const context = { inputs, deps };
    return {
      item,
      context,
      inputsHash: hash,
      inputDigests: inputDigests(component, inputs, depHashes),
      upToDate,
      system: component.llm ? systemPrompt(component) : undefined,
      user: component.llm ? userPrompt(component, item.material.name, context) : undefined,
    };
  }

  /** Composes the stored content from a draft and checks it; throws ContentRejectedError with the reasons. */
  compose(prepared: PreparedItem, draft: unknown): Record<string, unknown> {
    const component = prepared.item.component;
    const data = component.schema.safeParse(component.build(prepared.context as never, draft as never));
    if (!data.success) {
      const issues = data.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new ContentRejectedError(`the composed ${component.name} does not match its schema: ${issues.join('; ')}`);
    }
    const content = data.data as Record<string, unknown>;
    const problems = this.review?.(prepared.item, content, this.related(prepared.item)) ?? [];
    if (problems.length > 0) throw new ContentRejectedError(problems.join('; '));
    return content;
  }

  /**
   * A review for a provider's validation loop: composes and checks each schema-valid draft,
   * answering the reasons to re-ask, and keeps the last accepted composition.
   */
  reviewer(prepared: PreparedItem): { review: (draft: unknown) => string | undefined; accepted: () => Record<string, unknown> | undefined } {
    let composed: Record<string, unknown> | undefined;
    return {
      review: (draft) => {
        try {
          composed = this.compose(prepared, draft);
          return undefined;
        } catch (error) {
          if (error instanceof ContentRejectedError) return error.message;
          throw error;
        }
      },
      accepted: () => composed,
    };
  }

  /** Writes composed content with its provenance; keeps the old bytes when nothing changed. */
  async commit(prepared: PreparedItem, data: Record<string, unknown>, meta: DraftMeta): Promise<{ written: boolean; file: string }> {
    const { item } = prepared;
    const component = item.component;
    const provenance: Omit<Provenance, 'outputHash'> = {
      component: component.name,
      material: item.material.slug,
      inputsHash: prepared.inputsHash,
      inputs: prepared.inputDigests,
      provider: meta.provider,
      model: meta.model,
      mode: meta.mode,
      generatedAt: this.now().toISOString(),
      ...(meta.usage ? { usage: meta.usage } : {}),
    };
    let { text, outputHash } = renderFile(component.format, data, provenance);
    const old = item.file?.provenance;
    const sameAsBefore =
      old !== undefined &&
      old.outputHash === outputHash &&
      old.inputsHash === prepared.inputsHash &&
      old.provider === meta.provider &&
      old.model === meta.model &&
      old.inputs !== undefined &&
      item.file!.contentHash === old.outputHash; // a hand-edited file on disk is replaced, even by the same content
    if (sameAsBefore) text = item.file!.text; // keep the old bytes, including when they were made
    const written = sameAsBefore ? false : await this.store.write(component, item.material.slug, text, item.file?.text);
    this.#current.set(item.key, { text, contentHash: outputHash, data });
    return { written, file: this.store.pathOf(component, item.material.slug) };
  }
}
