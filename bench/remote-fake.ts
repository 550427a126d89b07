import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeProviderOptions, FakeProviderStats } from '../tests/fake-provider/server.ts';

/** The fake's stats, with the CPU its process has used so far. */
export type RemoteStats = Omit<FakeProviderStats, 'authorizationHeaders'> & { cpuMs: number };

/** Starts the fake provider in a child process; returns its URL and a way to read its stats. */
export async function startRemoteFake(options: FakeProviderOptions): Promise<{ url: string; stats: () => Promise<RemoteStats>; close: () => Promise<void> }> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./fake-process.ts', import.meta.url)), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the fake provider exited with ${code}`)));
  });
  return {
    url,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve((m as { stats: RemoteStats }).stats));
        child.send('stats');
      }),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send('close');
      }),
  };
}
