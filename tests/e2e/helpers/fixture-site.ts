import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { slugify } from '../../../integration/catalog/slug.ts';

const run = promisify(execFile);

export interface FixtureSite {
  dir: string;
  /** `<slug>/<component>` of every component file left out. */
  removed: string[];
  /** The materials of the fixture's category. */
  slugs: string[];
  build: () => Promise<{ ok: boolean; output: string }>;
  dispose: () => Promise<void>;
}

/**
 * A copy of the site with one small category of the catalogue and its generated components,
 * minus the given components, built without the generator (which would fill the gaps) so
 * the site's own check is what runs.
 */
export async function fixtureWithMissingComponents(root: string, leaveOut: readonly string[]): Promise<FixtureSite> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'batchgen-site-'));
  const materialsDir = path.join(root, 'content', 'materials');
  const categories = await Promise.all(
    (await readdir(materialsDir))
      .filter((f) => f.endsWith('.yaml'))
      .map(async (file) => ({ file, doc: parse(await readFile(path.join(materialsDir, file), 'utf8')) as { materials: { name: string }[] } })),
  );
  const smallest = categories.sort((a, b) => a.doc.materials.length - b.doc.materials.length)[0]!;
  const slugs = smallest.doc.materials.map((m) => slugify(m.name));

  for (const folder of ['src', 'integration']) await cp(path.join(root, folder), path.join(dir, folder), { recursive: true });
  for (const file of ['tsconfig.json', 'package.json']) await cp(path.join(root, file), path.join(dir, file));
  await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  await mkdir(path.join(dir, 'content', 'materials'), { recursive: true });
  await cp(path.join(root, 'content', 'authors.yaml'), path.join(dir, 'content', 'authors.yaml'));
  await cp(path.join(materialsDir, smallest.file), path.join(dir, 'content', 'materials', smallest.file));

  const removed: string[] = [];
  const componentsDir = path.join(root, 'content', 'components');
  for (const component of await readdir(componentsDir)) {
    await mkdir(path.join(dir, 'content', 'components', component), { recursive: true });
    for (const file of await readdir(path.join(componentsDir, component))) {
      const slug = file.replace(/\.[^.]+$/, '');
      if (!slugs.includes(slug)) continue;
      // Leave out the first listed component of the first material, the second of the second, ...
      const index = slugs.indexOf(slug);
      if (leaveOut[index] === component) {
        removed.push(`${slug}/${component}`);
        continue;
      }
      await cp(path.join(componentsDir, component, file), path.join(dir, 'content', 'components', component, file));
    }
  }
  await writeFile(
    path.join(dir, 'astro.config.mjs'),
    "export default { site: 'https://laser-cleaning.example.com', trailingSlash: 'always' };\n",
  );

  return {
    dir,
    removed,
    slugs,
    build: async () => {
      try {
        const { stdout, stderr } = await run('npx', ['astro', 'build'], { cwd: dir, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
        return { ok: true, output: `${stdout}\n${stderr}` };
      } catch (error) {
        const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
        return { ok: false, output: `${stdout}\n${stderr}` };
      }
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
