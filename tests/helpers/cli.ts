import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './project-copy.ts';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment for a child run: the caller's, less any real provider keys. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/_API_KEY$|_BASE_URL$/.test(name)) delete env[name];
  }
  return { ...env, ...extra };
}

/** Runs the real `batchgen` command (the package's bin) in a project folder. */
export function runCli(root: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'integration', 'bin', 'batchgen.js'), '--root', root, ...args], {
      cwd: root,
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
