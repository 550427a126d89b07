// @ts-check
import { defineConfig } from 'astro/config';
import sitemap from '@astrojs/sitemap';
import batchgen from './integration/index.ts';

export default defineConfig({
  site: 'https://laser-cleaning.example.com',
  trailingSlash: 'always',
  integrations: [
    // The one configuration shared by `astro build` and the `batchgen` CLI.
    batchgen({
      provider: 'openai',
      concurrency: 16,
      brand: 'Laser Cleaning Guide',
    }),
    // Tag pages are navigation, marked noindex: they stay out of the sitemap.
    sitemap({ filter: (page) => !new URL(page).pathname.startsWith('/tags/') }),
  ],
});
