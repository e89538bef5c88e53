import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Tests that need no Redis server (`npm run test:unit`). Every other test file is in project `redis`. */
const unitTests = [
  'tests/generator/**/*.test.ts',
  'tests/schema/**/*.test.ts',
  'tests/cli/*.test.ts',
  'tests/contract/memory.test.ts',
  'tests/unit/**/*.test.ts',
  'tests/examples/demo-memory.test.ts',
];

const runtimeEntry = fileURLToPath(new URL('./runtime/index.ts', import.meta.url));

export default defineConfig({
  resolve: { alias: { schemabus: runtimeEntry } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: unitTests } },
      {
        extends: true,
        test: { name: 'redis', include: ['tests/**/*.test.ts'], exclude: unitTests },
      },
    ],
  },
});
