import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import {
  authorSchema,
  authorsFileSchema,
  categoryFileSchema,
  materialSchema,
  type Author,
  type MaterialRecord,
} from './schema.ts';
import { catalogKey, readCachedCatalog, writeCachedCatalog } from './cache.ts';
import { slugify } from './slug.ts';
import { readYamlFast } from './yaml.ts';

export interface Material extends MaterialRecord {
  slug: string;
  category: string;
  /** Catalogue file the record came from, relative to the project root. */
  file: string;
}

export interface Category {
  id: string;
  label: string;
  description: string;
  file: string;
  materials: Material[];
}

export interface Catalog {
  categories: Category[];
  materials: Material[];
  authors: Map<string, Author>;
  /** Every file the catalogue was read from, relative to the project root. */
  files: string[];
}

/** A mistake in the catalogue, located by file, material and field. */
export class CatalogError extends Error {
  readonly file: string;
  readonly material: string | undefined;
  readonly field: string | undefined;
  readonly problem: string;

  constructor(location: { file: string; material?: string; field?: string }, problem: string) {
    const where = [
      location.file,
      // JSON quoting: a name with control characters cannot garble the terminal showing the error.
      location.material === undefined ? undefined : `material ${JSON.stringify(location.material)}`,
      location.field === undefined ? undefined : `field "${location.field}"`,
    ]
      .filter(Boolean)
      .join(', ');
    super(`${where}: ${problem}`);
    this.name = 'CatalogError';
    this.file = location.file;
    this.material = location.material;
    this.field = location.field;
    this.problem = problem;
  }
}

export interface CatalogPaths {
  /** Project root; file names in errors are relative to it. */
  root: string;
  /** Folder holding one `<category>.yaml` per category. */
  materialsDir: string;
  authorsFile: string;
}

export function defaultCatalogPaths(root: string): CatalogPaths {
  return {
    root,
    materialsDir: path.join(root, 'content', 'materials'),
    authorsFile: path.join(root, 'content', 'authors.yaml'),
  };
}

export interface LoadOptions {
  /**
   * Folder of the planning caches (`.batchgen/cache`): a catalogue whose files are byte for byte
   * the ones last loaded is taken from there instead of being parsed and checked again.
   */
  cacheDir?: string;
}

/** A catalogue file's bytes, or why they could not be read (told when the file's turn comes). */
interface Source {
  file: string;
  bytes: Buffer;
  problem: CatalogError | undefined;
}

export async function loadCatalog(paths: CatalogPaths, options: LoadOptions = {}): Promise<Catalog> {
  const authors = await readSource(paths.authorsFile, relative(paths, paths.authorsFile));
  const categoryFiles = (await fg('*.yaml', { cwd: paths.materialsDir, onlyFiles: true })).sort();
  const misnamed = (await fg('*.yml', { cwd: paths.materialsDir, onlyFiles: true })).sort()[0];
  const categories = await Promise.all(
    categoryFiles.map((name) => {
      const absolute = path.join(paths.materialsDir, name);
      return readSource(absolute, relative(paths, absolute));
    }),
  );
  const sources = [authors, ...categories];
  const cacheable = options.cacheDir !== undefined && misnamed === undefined && sources.every((s) => s.problem === undefined);
  const cacheFile = cacheable ? path.join(options.cacheDir!, 'catalogue.json') : undefined;
  const key = cacheFile ? catalogKey(sources) : undefined;
  const files = sources.map((s) => s.file);
  if (cacheFile && key) {
    const cached = await readCachedCatalog(cacheFile, key);
    if (cached) return { ...cached, files };
  }
  const catalog = checkCatalog(paths, authors, misnamed, categories);
  if (cacheFile && key) await writeCachedCatalog(cacheFile, key, catalog);
  return catalog;
}

/** Parses and checks the catalogue's files, in the order a person fixing them would want the problems. */
function checkCatalog(paths: CatalogPaths, authorsSource: Source, misnamed: string | undefined, categorySources: Source[]): Catalog {
  const authorsRelative = authorsSource.file;
  const authors = new Map<string, Author>();
  const authorsDoc = authorsFileSchema.safeParse(readYaml(authorsSource));
  if (!authorsDoc.success) throw fromZod(authorsDoc.error, authorsRelative, undefined);
  authorsDoc.data.authors.forEach((raw, index) => {
    const parsed = authorSchema.safeParse(raw);
    const label = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : `#${index + 1}`;
    if (!parsed.success) throw fromZod(parsed.error, authorsRelative, undefined, `authors[${index}] (${label})`);
    if (authors.has(parsed.data.id)) {
      throw new CatalogError({ file: authorsRelative, field: `authors[${index}].id` }, `duplicate author id "${parsed.data.id}"`);
    }
    authors.set(parsed.data.id, parsed.data);
  });

  // A category file misnamed `.yml` would silently drop its materials (and `--all` would then
  // remove their generated files as orphans): refuse it instead.
  if (misnamed) {
    const file = relative(paths, path.join(paths.materialsDir, misnamed));
    throw new CatalogError({ file }, `category files end in .yaml: rename it to ${path.basename(misnamed, '.yml')}.yaml`);
  }
  const categories: Category[] = [];
  const materials: Material[] = [];
  const bySlug = new Map<string, Material>();
  for (const source of categorySources) {
    const file = source.file;
    const id = path.basename(file, '.yaml');
    const doc = categoryFileSchema.safeParse(readYaml(source));
    if (!doc.success) throw fromZod(doc.error, file, undefined);
    if (doc.data.category !== id) {
      throw new CatalogError(
        { file, field: 'category' },
        `unknown category "${doc.data.category}": a category file declares the category it is named after ("${id}")`,
      );
    }
    const category: Category = { id, label: doc.data.label, description: doc.data.description, file, materials: [] };
    doc.data.materials.forEach((raw, index) => {
      const rawName = (raw as { name?: unknown } | null)?.name;
      const label = typeof rawName === 'string' && rawName.length <= 200 ? rawName : `#${index + 1}`;
      const parsed = materialSchema.safeParse(raw);
      if (!parsed.success) throw fromZod(parsed.error, file, label);
      const record = { ...parsed.data, name: parsed.data.name.normalize('NFC') };
      if (!authors.has(record.author)) {
        throw new CatalogError(
          { file, material: record.name, field: 'author' },
          `unknown author id "${record.author}"; ${authorsRelative} defines ${[...authors.keys()].map((a) => `"${a}"`).join(', ')}`,
        );
      }
      const slug = slugify(record.name);
      if (slug === '') throw new CatalogError({ file, material: record.name, field: 'name' }, 'gives an empty slug');
      const clash = bySlug.get(slug);
      if (clash) {
        const same = clash.name === record.name;
        throw new CatalogError(
          { file, material: record.name, field: 'name' },
          same
            ? `duplicate material name (also in ${clash.file})`
            : `slug "${slug}" is already used by "${clash.name}" in ${clash.file}; rename one of them`,
        );
      }
      const material: Material = { ...record, slug, category: id, file };
      bySlug.set(slug, material);
      category.materials.push(material);
      materials.push(material);
    });
    categories.push(category);
  }
  if (materials.length === 0) {
    throw new CatalogError({ file: relative(paths, paths.materialsDir) }, 'the catalogue has no materials: add <category>.yaml files');
  }
  return { categories, materials, authors, files: [authorsRelative, ...categories.map((c) => c.file)] };
}

async function readSource(absolute: string, file: string): Promise<Source> {
  try {
    return { file, bytes: await readFile(absolute), problem: undefined };
  } catch (error) {
    return { file, bytes: Buffer.alloc(0), problem: new CatalogError({ file }, `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`) };
  }
}

/** A catalogue file's data: read by js-yaml where it agrees with the `yaml` library (see yaml.ts), else by `yaml`. */
function readYaml({ file, bytes, problem }: Source): unknown {
  if (problem) throw problem;
  const source = bytes.toString('utf8').replace(/^\uFEFF/, '');
  return readYamlFast(source) ?? readYamlExactly(source, file);
}

/** Reads YAML with the `yaml` library, whose errors give the line, column and material of a mistake. */
function readYamlExactly(source: string, file: string): unknown {
  const doc = parseDocument(source, { uniqueKeys: true, prettyErrors: true });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const [line, column] = problem.linePos?.[0] ? [problem.linePos[0].line, problem.linePos[0].col] : [];
    const material = materialAt(doc, problem.pos[0]);
    throw new CatalogError(
      { file, ...(material === undefined ? {} : { material }) },
      `invalid YAML${line ? ` at line ${line}, column ${column}` : ''}: ${problem.message.split('\n')[0]}`,
    );
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // The yaml library refuses aliases that expand exponentially ("billion laughs").
    throw new CatalogError({ file }, `cannot be expanded: ${error instanceof Error ? error.message : String(error)}; write the values out instead of nesting aliases`);
  }
}

/** The name of the material whose entry holds a YAML syntax error, when the partial parse shows it. */
function materialAt(doc: Document, offset: number): string | undefined {
  const materials = isMap(doc.contents) ? doc.contents.get('materials', true) : undefined;
  if (!isSeq(materials)) return undefined;
  for (const item of materials.items) {
    const range = (item as { range?: [number, number, number] }).range;
    if (!isMap(item) || !range || offset < range[0] || offset > range[2]) continue;
    const name = item.get('name');
    return typeof name === 'string' && name.length <= 200 ? name : undefined;
  }
  return undefined;
}

function fromZod(error: z.ZodError, file: string, material: string | undefined, prefix?: string): CatalogError {
  const issue = error.issues[0]!;
  const field = [prefix, issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[')]
    .filter(Boolean)
    .join('.');
  // zod leaves `input` out of its issues, so a missing value is told apart from a wrong type by the message.
  const message = issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? 'is required' : issue.message;
  return new CatalogError({ file, material, field: field || undefined }, message);
}

function relative(paths: CatalogPaths, absolute: string): string {
  return path.relative(paths.root, absolute).split(path.sep).join('/');
}
