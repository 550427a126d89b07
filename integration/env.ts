import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

/** Variables from the project's `.env`, if there is one. Values are never printed. */
export function loadDotEnv(root: string): Record<string, string> {
  try {
    return parseEnv(readFileSync(path.join(root, '.env'), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}
