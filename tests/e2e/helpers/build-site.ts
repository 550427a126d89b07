import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Builds the site once for the whole suite, or reuses `dist/` when E2E_SKIP_BUILD=1 (for
 * quick reruns against a build you just made).
 */
export async function buildSite(root: string): Promise<string> {
  const dist = path.join(root, 'dist');
  if (process.env.E2E_SKIP_BUILD === '1') {
    if (!existsSync(path.join(dist, 'index.html'))) {
      throw new Error(`E2E_SKIP_BUILD=1 but ${dist} holds no build: run \`npx astro build\` first or unset it.`);
    }
    return dist;
  }
  try {
    await run('npx', ['astro', 'build'], { cwd: root, timeout: 540_000, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`\`npx astro build\` failed:\n${tail}`, { cause: error });
  }
  return dist;
}
