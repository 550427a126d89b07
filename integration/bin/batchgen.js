#!/usr/bin/env node
// The `batchgen` command. Runs on the project's pinned Node (>= 22.12), which loads the
// TypeScript sources directly.
import { main } from '../cli.ts';

process.exitCode = await main(process.argv.slice(2));
