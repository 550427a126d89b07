// Runs the fake provider from the command line:
//   npm run fake-provider -- --port 8787 [--latency-ms 33] [--fault-rate 0.1] [--rpm 500] [--api-key K]
// Prints the base URL (never the key); on SIGINT/SIGTERM prints a one-line summary and exits.
import { parseArgs } from 'node:util';
import { startFakeProvider, type FakeProviderOptions } from './server.ts';
import { summarizeStats } from './stats.ts';

const USAGE = `Usage: npm run fake-provider -- [options]
  --port N              port on 127.0.0.1 (default 8787, 0 = any free port)
  --api-key K           require "Authorization: Bearer K" (or set FAKE_PROVIDER_API_KEY)
  --seed S              seed for content, faults and latency (default 0)
  --latency-ms N        mean added latency per chat request
  --latency-jitter F    latency spread as a fraction of the mean (default 0.3)
  --latency-per-token N further latency per completion token, in ms (default 0)
  --fault-rate R        spread R evenly across 429, 5xx, 408 and connection resets
  --rate-429 R  --rate-5xx R  --rate-408 R  --rate-hang R  --rate-reset R
  --rate-malformed R  --rate-schema-violation R  --rate-truncation R  --rate-overlong R
                        probability per request of each fault (overrides --fault-rate's share)
  --hang-ms N           how long a hung request is held (default 60000)
  --retry-after-ms N    retry-after-ms of fault 429s (default 1000)
  --rpm N  --tpm N      sliding one-minute request and token limits
  --batch-delay-ms N    time for a batch to complete (default 200)
  --batch-line-error-rate R   probability that a batch line fails
  --batch-expire        batches end expired with half of their lines answered
  --known-models a,b    only these models exist (others get 404)`;

const numberFlags = {
  'latency-ms': 'latencyMs',
  'latency-jitter': 'latencyJitter',
  'latency-per-token': 'latencyPerToken',
  'rate-429': 'rate429',
  'rate-5xx': 'rate5xx',
  'rate-408': 'rate408',
  'rate-hang': 'rateHang',
  'rate-reset': 'rateReset',
  'rate-malformed': 'rateMalformed',
  'rate-schema-violation': 'rateSchemaViolation',
  'rate-truncation': 'rateTruncation',
  'rate-overlong': 'rateOverlong',
  'hang-ms': 'hangMs',
  'retry-after-ms': 'retryAfterMs',
  rpm: 'requestsPerMinute',
  tpm: 'tokensPerMinute',
  'batch-delay-ms': 'batchCompletionDelayMs',
  'batch-line-error-rate': 'batchLineErrorRate',
} as const satisfies Record<string, keyof FakeProviderOptions>;

function fail(message: string): never {
  process.stderr.write(`fake-provider: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function toNumber(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) fail(`--${flag} needs a non-negative number, got "${value}"`);
  if (flag.startsWith('rate-') || flag.endsWith('-rate')) {
    if (n > 1) fail(`--${flag} is a probability between 0 and 1, got ${value}`);
  }
  return n;
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      port: { type: 'string' },
      'api-key': { type: 'string' },
      seed: { type: 'string' },
      'fault-rate': { type: 'string' },
      'batch-expire': { type: 'boolean' },
      'known-models': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(Object.keys(numberFlags).map((flag) => [flag, { type: 'string' as const }])),
    },
    strict: true,
    allowPositionals: false,
  });
} catch (error) {
  fail((error as Error).message);
}
const values = parsed.values as Record<string, string | boolean | undefined>;
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const port = values.port === undefined ? 8787 : toNumber('port', values.port as string);
if (!Number.isInteger(port) || port > 65535) fail(`--port needs a whole number up to 65535, got "${values.port}"`);
const options: FakeProviderOptions = { port };
const apiKey = (values['api-key'] as string | undefined) ?? process.env.FAKE_PROVIDER_API_KEY;
if (apiKey) options.apiKey = apiKey;
if (values.seed !== undefined) options.seed = /^-?\d+$/.test(values.seed as string) ? Number(values.seed) : (values.seed as string);
if (values['fault-rate'] !== undefined) {
  const share = toNumber('fault-rate', values['fault-rate'] as string) / 4;
  Object.assign(options, { rate429: share, rate5xx: share, rate408: share, rateReset: share });
}
for (const [flag, key] of Object.entries(numberFlags)) {
  const value = values[flag];
  if (typeof value === 'string') (options as Record<string, unknown>)[key] = toNumber(flag, value);
}
if (values['batch-expire']) options.batchExpire = true;
if (typeof values['known-models'] === 'string') options.knownModels = values['known-models'].split(',').map((m) => m.trim()).filter(Boolean);

const provider = await startFakeProvider(options).catch((error: NodeJS.ErrnoException) =>
  fail(error.code === 'EADDRINUSE' ? `port ${options.port} is already in use` : error.message),
);
process.stdout.write(`fake provider listening on ${provider.url}${apiKey ? ' (an API key is required)' : ''}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`fake provider stopped: ${summarizeStats(provider.stats)}\n`);
  void provider.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
