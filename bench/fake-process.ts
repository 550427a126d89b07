// The simulated provider of the benchmark in a process of its own, so that its work does not
// share a thread with the engine being measured (a real provider is on another machine).
// Talks to its parent over IPC: it sends { url } once listening; answers 'stats' with its stats.
import { startFakeProvider, type FakeProviderOptions } from '../tests/fake-provider/server.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as FakeProviderOptions;
const provider = await startFakeProvider(options);
process.send!({ url: provider.url });
process.on('message', async (message) => {
  if (message === 'stats') {
    const cpu = process.cpuUsage();
    process.send!({ stats: { ...provider.stats, authorizationHeaders: provider.stats.authorizationHeaders.size, cpuMs: (cpu.user + cpu.system) / 1000 } });
  } else if (message === 'close') {
    await provider.close();
    process.exit(0);
  }
});
