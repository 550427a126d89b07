import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { cleanEnv } from '../../helpers/cli.ts';
import { until } from '../../helpers/wait.ts';

export interface DevServer {
  /** Origin without a trailing slash, e.g. http://127.0.0.1:4321 */
  origin: string;
  /** Everything the server printed so far, without colours. */
  output: () => string;
  /** How many times the server restarted itself. */
  restarts: () => number;
  stop: () => Promise<void>;
}

/**
 * Runs `astro dev` in a project folder on 127.0.0.1 (Astro moves to the next free port when
 * the preferred one is taken; the origin is read from its own "Local" line). Without a
 * provider key in `extraEnv`, generation is offline.
 */
export async function startDevServer(root: string, extraEnv: Record<string, string> = {}): Promise<DevServer> {
  const preferredPort = await freePort();
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'dev', '--host', '127.0.0.1', '--port', String(preferredPort)],
    { cwd: root, env: serverEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const append = (chunk: Buffer) => {
    output += stripVTControlCharacters(chunk.toString('utf8'));
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const local = () => /Local\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  try {
    await until(() => (local() !== undefined && output.includes('watching for file changes')) || child.exitCode !== null, 120_000, '`astro dev` to start');
  } catch (error) {
    child.kill('SIGTERM');
    await exited;
    throw new Error(`${(error as Error).message}; it printed:\n${output}`);
  }
  if (child.exitCode !== null) throw new Error(`\`astro dev\` exited with code ${child.exitCode}:\n${output}`);

  return {
    origin: local()!,
    output: () => output,
    restarts: () => output.match(/Restarting/g)?.length ?? 0,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The environment of a dev server a person starts: no provider keys but the given ones, and
 * none of the test runner's variables (with `VITEST` set, the dev server serves no pages).
 */
export function serverEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = cleanEnv({ ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...extra });
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name === 'NODE_ENV' || name === 'TEST') delete env[name];
  return env;
}
