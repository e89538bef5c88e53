/**
 * Codegen wall time, in process: `loadCatalog` (YAML, checks, model) plus
 * `generateFiles` (every emitter), without writing to disk, for the example
 * catalogue and synthetic catalogues of 300 and 1000 event types.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../../generator/catalog/index.js';
import { syntheticCatalog } from '../support/synthetic-catalog.js';
import type { Case, Variant } from '../support/types.js';
import { SkipError } from '../support/types.js';

const EXAMPLE = fileURLToPath(new URL('../../events.schema.yaml', import.meta.url));

type GenerateFiles = (model: unknown) => unknown;

let generate: Promise<GenerateFiles> | undefined;

function loadGenerator(): Promise<GenerateFiles> {
  generate ??= import(new URL('../../generator/emit/index.js', import.meta.url).href).then(
    (m: { generateFiles?: GenerateFiles }) => {
      if (typeof m.generateFiles !== 'function')
        throw new SkipError('generateFiles not exported yet');
      return m.generateFiles;
    },
    (error: unknown) => {
      throw new SkipError(`generator/emit missing: ${String(error).split('\n')[0]}`);
    },
  );
  return generate;
}

function codegenVariant(name: string, text: () => string, path: string): Variant {
  return {
    name,
    run: async () => {
      const generateFiles = await loadGenerator();
      const source = text();
      const t0 = performance.now();
      const loaded = loadCatalog(source, path);
      if (!loaded.ok) throw new Error(`${path} does not load: ${loaded.issues.length} issues`);
      const files = generateFiles(loaded.model);
      const wall = performance.now() - t0;
      if (files === undefined || files === null) throw new Error('generateFiles returned nothing');
      return { wall };
    },
  };
}

export function codegenCase(quick: boolean): Case {
  const small = quick ? 30 : 300;
  const large = quick ? 100 : 1000;
  return {
    name: 'codegen',
    title: 'codegen wall time (load + generate, in process)',
    metrics: [{ name: 'wall', unit: 'ms', better: 'lower' }],
    variants: [
      codegenVariant('example', () => readFileSync(EXAMPLE, 'utf8'), 'events.schema.yaml'),
      codegenVariant(
        `synthetic-${small}`,
        () => syntheticCatalog(small),
        `synthetic-${small}.yaml`,
      ),
      codegenVariant(
        `synthetic-${large}`,
        () => syntheticCatalog(large),
        `synthetic-${large}.yaml`,
      ),
    ],
    checks: [
      {
        label: `codegen of ${large} event types (ms)`,
        value: `codegen/synthetic-${large}/wall`,
        target: { op: '<=', bound: 10_000 },
      },
    ],
    note: 'loading ts-morph (about 0.5 s) happens before the timer; the first repetition includes its warm-up and first Project',
  };
}
