import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, parseOptions, type ResolvedOptions } from './config.ts';
import { INTEGRATION_NAME } from './astro.ts';

/**
 * Reads the batchgen options and the site URL from the project's astro.config.mjs, so the CLI
 * and `astro build` share one configuration.
 */
export async function loadProjectConfig(root: string): Promise<{ options: ResolvedOptions; site: string | undefined; file: string }> {
  const candidates = ['astro.config.mjs', 'astro.config.ts', 'astro.config.js'];
  const name = candidates.find((c) => existsSync(path.join(root, c)));
  if (!name) throw new ConfigError(`no astro.config.mjs in ${root}`, 'Run batchgen from the project root, or pass --root.');
  const file = path.join(root, name);
  let config: { site?: string; integrations?: unknown[] };
  try {
    config = ((await import(pathToFileURL(file).href)) as { default: typeof config }).default;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${name} could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
  const integration = (config.integrations ?? [])
    .flat(Infinity)
    .find((i): i is { name: string; batchgenOptions: ResolvedOptions } => (i as { name?: string })?.name === INTEGRATION_NAME);
  return { options: integration ? integration.batchgenOptions : parseOptions({}), site: config.site, file: name };
}
