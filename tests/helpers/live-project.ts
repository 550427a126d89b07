import { startFakeProvider, type FakeProvider, type FakeProviderOptions } from '../fake-provider/server.ts';
import { copyProject } from './project-copy.ts';

/**
 * What most live tests start from: the local fake provider and a throw-away copy of the
 * project. `close` stops the one and removes the other, whichever of them started.
 */
export async function startProviderAndProject(options: FakeProviderOptions): Promise<{ provider: FakeProvider; root: string; close: () => Promise<void> }> {
  const provider = await startFakeProvider(options);
  let copy: Awaited<ReturnType<typeof copyProject>>;
  try {
    copy = await copyProject();
  } catch (error) {
    await provider.close();
    throw error;
  }
  return {
    provider,
    root: copy.root,
    close: async () => {
      await provider.close();
      await copy.cleanup();
    },
  };
}
