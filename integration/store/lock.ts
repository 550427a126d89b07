import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

export class LockedError extends Error {
  readonly holder: number;
  constructor(holder: number, file: string) {
    super(`another batchgen run (process ${holder}) is writing this project's components; wait for it to finish or stop it (lock: ${file})`);
    this.name = 'LockedError';
    this.holder = holder;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the project's write lock: one run at a time writes components. A lock left by a
 * process that no longer exists (a killed run) is taken over. Returns the release function.
 */
export async function acquireLock(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'run.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) throw new LockedError(holder, file);
      // The holder is gone (or the file is unreadable half-written): a stale lock.
      await rm(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}
