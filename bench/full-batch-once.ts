// One full batch in a process of its own, as a user's run starts: nothing compiled yet.
//   node bench/full-batch-once.ts <concurrency> <scale> [faults|clean] [seed]
// Prints the FullBatchResult as JSON on stdout.
import { fullBatch, simulated, withoutFaults } from './full-batch.ts';

const [concurrency, scale, faults, seed] = process.argv.slice(2);
const s = simulated(Number(scale));
const result = await fullBatch(Number(concurrency), Number(seed ?? 1), faults === 'clean' ? withoutFaults(s) : s);
process.stdout.write(`${JSON.stringify(result)}\n`);
