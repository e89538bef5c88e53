import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const runtimeEntry = fileURLToPath(new URL('./runtime/index.ts', import.meta.url));

export default defineConfig({
  resolve: { alias: { schemabus: runtimeEntry } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'tests/generator/**/*.test.ts',
            'tests/contract/memory.test.ts',
            'tests/unit/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'redis',
          include: [
            'tests/contract/redis.test.ts',
            'tests/redis/**/*.test.ts',
            'tests/faults/**/*.test.ts',
            'tests/bench/**/*.test.ts',
          ],
        },
      },
    ],
  },
});
