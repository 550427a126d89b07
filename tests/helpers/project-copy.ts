import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * A throw-away copy of the project (catalogue, generated components, configuration, plugin
 * sources) sharing the repo's node_modules, so a test can change content and run the real CLI
 * or build without touching the committed files.
 */
export async function copyProject(options: { withSite?: boolean; under?: string } = {}): Promise<{ root: string; cleanup: () => Promise<void> }> {
  if (options.under) await mkdir(options.under, { recursive: true });
  const root = await mkdtemp(path.join(options.under ?? tmpdir(), 'batchgen-project-'));
  const entries = ['content', 'integration', 'astro.config.mjs', 'package.json', 'tsconfig.json', ...(options.withSite ? ['src', 'public'] : [])];
  for (const entry of entries) {
    await cp(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true, force: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  await rm(path.join(root, 'content', 'components', '.batchgen'), { recursive: true, force: true });
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}
