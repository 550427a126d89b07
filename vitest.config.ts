import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    // The end-to-end suites build the site and share dist/: run files one at a time.
    fileParallelism: false,
  },
});
