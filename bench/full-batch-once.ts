// One full batch in a process of its own, as a user's run starts: nothing compiled yet.
//   node bench/full-batch-once.ts <concurrency> <scale> [faults|clean]
// Prints the FullBatchResult as JSON on stdout.
import { fullBatch, simulated } from './full-batch.ts';

const [concurrency, scale, faults] = process.argv.slice(2);
const s = simulated(Number(scale));
const result = await fullBatch(Number(concurrency), 1, faults === 'clean' ? { ...s, rate429: 0, rate5xx: 0, rateHang: 0 } : s);
process.stdout.write(`${JSON.stringify(result)}\n`);
