/**
 * A synthetic catalogue of 300 event types across 30 streams (and groups,
 * channels, realtime-only events), plus one using every keyword: both
 * generate, type-check and pass the linter.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { generateFiles } from '../../../generator/emit/index.js';
import { itPassesGeneratedCodeChecks, removeScratch, writeScratch } from './check-output.js';
import { EDGE_CATALOG } from './edge-catalog.js';
import { loadModel } from './example-model.js';
import { LARGE, syntheticCatalog } from './synthetic-catalog.js';

describe.each<[string, () => string, number]>([
  ['large', () => syntheticCatalog(LARGE), 300],
  ['edge', () => EDGE_CATALOG, 1],
])('%s catalogue', (name, text, eventCount) => {
  let dir = '';

  beforeAll(() => {
    const model = loadModel(text(), `${name}.schema.yaml`);
    expect(model.events).toHaveLength(eventCount);
    dir = writeScratch(name, generateFiles(model));
  }, 60_000);

  afterAll(() => removeScratch(dir));

  itPassesGeneratedCodeChecks(() => dir);
});
