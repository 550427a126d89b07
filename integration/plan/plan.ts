import { z } from 'zod';
import type { Catalog, Material } from '../catalog/load.ts';
import type { ComponentDefinition, SiteSettings, SourceRecord } from '../components/define.ts';
import { readStoredFiles } from '../store/read-cache.ts';
import type { ComponentStore, StoredFile } from '../store/store.ts';
import { canonicalJson, sha256 } from './hash.ts';

export type ComponentStatus = 'fresh' | 'stale' | 'missing' | 'edited' | 'failed';
export const STATUSES: readonly ComponentStatus[] = ['fresh', 'stale', 'missing', 'edited', 'failed'];

export interface PlanItem {
  key: string;
  material: Material;
  component: ComponentDefinition;
  status: ComponentStatus;
  /** Why the item has its status, in words a person reads in `--status`. */
  reason: string;
  /** Whether this run will (re)generate it. */
  generate: boolean;
  file: StoredFile | undefined;
  /** Inputs hash as of planning; undefined while an upstream component is still to be generated. */
  inputsHash: string | undefined;
  /** For stale items: the inputs that changed since the file was generated. */
  changedInputs: string[] | undefined;
}

export interface Plan {
  items: PlanItem[];
  byKey: Map<string, PlanItem>;
  /** Items to generate, dependencies before dependents. */
  todo: PlanItem[];
}

export interface PlanOptions {
  catalog: Catalog;
  components: readonly ComponentDefinition[];
  store: ComponentStore;
  site: SiteSettings;
  /** Slugs to plan for; all materials when undefined. */
  materials?: ReadonlySet<string>;
  /** Component names to generate; all when undefined. Their dependencies are still checked. */
  only?: ReadonlySet<string>;
  /** Regenerate everything selected, hand edits included. */
  force?: boolean;
  /** Regenerate fresh outputs that another provider or model wrote (e.g. offline drafts). */
  upgrade?: { provider: string; model: string };
  /** Failures recorded by earlier runs, by item key, with the inputs hash they failed at. */
  failures?: ReadonlyMap<string, { inputsHash: string | undefined; reason: string }>;
}

export function itemKey(slug: string, component: string): string {
  return `${slug}/${component}`;
}

export function sourceRecord(catalog: Catalog, material: Material, site: SiteSettings): SourceRecord {
  const category = catalog.categories.find((c) => c.id === material.category)!;
  const author = catalog.authors.get(material.author)!;
  return { material, category, author, site };
}

const fingerprints = new WeakMap<ComponentDefinition, string>();

/** Hash of a component's definition as far as it shapes the output: version, prompt, schemas. */
export function definitionFingerprint(component: ComponentDefinition): string {
  let fingerprint = fingerprints.get(component);
  if (!fingerprint) {
    const schemaText = (schema: z.ZodType) => {
      try {
        return canonicalJson(z.toJSONSchema(schema, { unrepresentable: 'any' }));
      } catch {
        return '';
      }
    };
    fingerprint = sha256(
      canonicalJson({
        name: component.name,
        version: component.version,
        kind: component.kind,
        dependsOn: component.dependsOn,
        schema: schemaText(component.schema),
        instructions: component.llm?.instructions ?? null,
        draft: component.llm ? schemaText(component.llm.schema) : null,
      }),
    );
    fingerprints.set(component, fingerprint);
  }
  return fingerprint;
}

/** The inputs hash: the component's definition, the fields it reads, and its dependencies' content. */
export function inputsHash(component: ComponentDefinition, inputs: unknown, dependencyHashes: Record<string, string>): string {
  return sha256(canonicalJson({ definition: definitionFingerprint(component), inputs, deps: dependencyHashes }));
}

/** Short hashes of each input separately, recorded in provenance so a review can say which input changed. */
export function inputDigests(component: ComponentDefinition, inputs: unknown, dependencyHashes: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { definition: definitionFingerprint(component).slice(0, 12) };
  if (inputs !== null && typeof inputs === 'object') {
    for (const [key, value] of Object.entries(inputs)) out[key] = sha256(canonicalJson(value)).slice(0, 12);
  }
  for (const [name, hash] of Object.entries(dependencyHashes)) out[`${name} (component)`] = hash.slice(0, 12);
  return out;
}

/** Which recorded inputs differ from the current ones (or all, when none were recorded). */
export function changedInputs(recorded: Record<string, string> | undefined, current: Record<string, string>): string[] {
  if (!recorded) return ['(not recorded)'];
  const keys = new Set([...Object.keys(recorded), ...Object.keys(current)]);
  return [...keys].filter((k) => recorded[k] !== current[k]).sort();
}

/**
 * Works out, for every material and component, whether its file is fresh, stale, missing or
 * edited, and which ones this run must generate. Reads only the generated files' provenance
 * lines and content hashes; calls nothing.
 */
export async function planGeneration(options: PlanOptions): Promise<Plan> {
  const { catalog, components, store, site } = options;
  const materials = catalog.materials.filter((m) => !options.materials || options.materials.has(m.slug));
  // Reading every material's files is a full scan, after which the read cache can forget files it no longer holds.
  const files = await readAll(store, materials, components, options.materials === undefined);
  const items: PlanItem[] = [];
  const byKey = new Map<string, PlanItem>();
  const categories = new Map(catalog.categories.map((c) => [c.id, c]));
  const position = new Map(components.map((c, i) => [c.name, i]));
  const dependencies = components.map((c) => c.dependsOn.map((name) => position.get(name)!));

  materials.forEach((material, m) => {
    const source: SourceRecord = { material, category: categories.get(material.category)!, author: catalog.authors.get(material.author)!, site };
    // This material's items by component position; a component's dependencies come before it.
    const own: PlanItem[] = [];
    components.forEach((component, c) => {
      const key = itemKey(material.slug, component.name);
      const file = files[m * components.length + c];
      const selected = !options.only || options.only.has(component.name);
      const deps = dependencies[c]!.map((d) => own[d]!);
      const pendingDep = deps.find((d) => d.generate || d.status === 'missing' || d.status === 'failed');
      const inputs = component.inputs(source);
      const depHashes: Record<string, string> = {};
      if (!pendingDep) for (const d of deps) depHashes[d.component.name] = d.file!.contentHash;
      const hash = pendingDep ? undefined : inputsHash(component, inputs, depHashes);

      let status: ComponentStatus;
      let reason: string;
      if (!file) {
        status = 'missing';
        reason = 'no file yet';
      } else if (!file.provenance) {
        status = 'edited';
        reason = 'the file has no provenance line: written or rewritten by hand';
      } else if (file.contentHash !== file.provenance.outputHash) {
        status = 'edited';
        reason = 'the content differs from what was generated';
      } else if (pendingDep) {
        status = 'stale';
        reason = `depends on ${pendingDep.component.name}, which is ${pendingDep.generate ? 'being regenerated' : pendingDep.status}`;
      } else if (hash !== file.provenance.inputsHash) {
        status = 'stale';
        reason = 'its inputs changed since it was generated';
      } else {
        status = 'fresh';
        reason = `generated ${file.provenance.generatedAt} by ${file.provenance.provider}`;
      }
      const failure = options.failures?.get(key);
      if ((status === 'missing' || status === 'stale') && failure && (failure.inputsHash === undefined || failure.inputsHash === hash)) {
        status = 'failed';
        reason = failure.reason;
      }

      const upgrade =
        status === 'fresh' &&
        options.upgrade !== undefined &&
        file?.provenance?.mode !== 'static' &&
        file?.provenance?.mode !== 'accepted-edit' &&
        component.kind === 'llm' &&
        (file!.provenance!.provider !== options.upgrade.provider || file!.provenance!.model !== options.upgrade.model);
      const generate = selected && (options.force === true || status === 'missing' || status === 'stale' || status === 'failed' || upgrade);

      const changed =
        status === 'stale' && hash !== undefined ? changedInputs(file?.provenance?.inputs, inputDigests(component, inputs, depHashes)) : undefined;
      const item: PlanItem = { key, material, component, status, reason, generate, file, inputsHash: hash, changedInputs: changed };
      items.push(item);
      byKey.set(key, item);
      own.push(item);
    });
  });
  return { items, byKey, todo: items.filter((i) => i.generate) };
}

/** Every material's files, component by component, in the order of `materials` × `components`. */
async function readAll(
  store: ComponentStore,
  materials: readonly Material[],
  components: readonly ComponentDefinition[],
  complete: boolean,
): Promise<Array<StoredFile | undefined>> {
  const requests: Array<{ component: ComponentDefinition; slug: string }> = [];
  for (const material of materials) {
    for (const component of components) requests.push({ component, slug: material.slug });
  }
  return readStoredFiles(store, requests, { complete });
}

export function countByStatus(plan: Plan): Record<string, Record<ComponentStatus, number>> {
  const counts: Record<string, Record<ComponentStatus, number>> = {};
  for (const item of plan.items) {
    const row = (counts[item.component.name] ??= { fresh: 0, stale: 0, missing: 0, edited: 0, failed: 0 });
    row[item.status]++;
  }
  return counts;
}
