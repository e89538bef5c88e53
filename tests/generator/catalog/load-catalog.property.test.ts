/**
 * Property-based tests of the catalogue loader (fast-check, seeded,
 * bounded): `loadCatalog` never throws, whatever the text — YAML-ish noise,
 * a valid catalogue with its text cut, spliced and shuffled, or its
 * document with values replaced, keys renamed and entries dropped — and
 * every failure is a located issue: the file, a line and column inside the
 * text, a path, a message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { type CatalogIssue, loadCatalog } from '../../../generator/catalog/index.js';
import { BASE, BASE_LINES } from './base-catalog.js';

const SEED = 20_261_205;
const RUNS = 200;
const FILE = 'events.schema.yaml';

function run<Ts>(property: fc.IProperty<Ts>, numRuns = RUNS): void {
  fc.assert(property, { seed: SEED, numRuns });
}

/** A located issue of `text`: in the file, at a line and column the text has. */
function expectLocated(issue: CatalogIssue, text: string): void {
  const lines = text.split(/\r\n|\r|\n/);
  expect(issue.file).toBe(FILE);
  expect(Number.isInteger(issue.line) && issue.line >= 1).toBe(true);
  expect(issue.line).toBeLessThanOrEqual(lines.length + 1);
  expect(Number.isInteger(issue.col) && issue.col >= 1).toBe(true);
  expect(typeof issue.path).toBe('string');
  expect(typeof issue.message === 'string' && issue.message.trim() !== '').toBe(true);
  if (issue.hint !== undefined) expect(typeof issue.hint).toBe('string');
}

/** Loads `text`: never a throw; a model, or at least one located issue. */
function expectLoadedOrLocated(text: string): boolean {
  const result = loadCatalog(text, FILE);
  if (result.ok) {
    expect(result.model.catalog.namespace).toMatch(/^[a-z][a-z0-9-]*$/);
    for (const warning of result.warnings) expectLocated(warning, text);
  } else {
    expect(result.issues.length).toBeGreaterThan(0);
    for (const issue of result.issues) expectLocated(issue, text);
  }
  return result.ok;
}

/** Pieces of catalogue-like YAML, and its syntax. */
const token = fc.constantFrom(
  'schemabus: 1\n',
  'schemabus: 2\n',
  'namespace: shop\n',
  'source: svc\n',
  'streams:\n',
  '  orders:\n',
  '    retention: { maxLen: 10 }\n',
  '    retention: { maxAge: 7d }\n',
  '    groups:\n',
  '      billing: {}\n',
  'channels:\n',
  '  status:\n',
  '    pattern: "order:{orderId}:status"\n',
  'events:\n',
  '  order.placed:\n',
  '    stream: orders\n',
  '    realtime: status\n',
  '    payload: { type: object }\n',
  'types:\n',
  '  Money: { type: integer }\n',
  '$ref: "#/types/Money"',
  'required: [a, b]',
  'properties:',
  '  ',
  '- ',
  ': ',
  ', ',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '# ',
  '&a ',
  '*a',
  '<<: *a\n',
  '!!str ',
  '!tag ',
  '|\n',
  '>-\n',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '? ',
  '\t',
  '\n',
  '\r\n',
  '\ufeff',
  '\u0000',
  '~',
  'null',
  '1e400',
  '0x1F',
  '.inf',
);
const noise = fc.string({ unit: 'binary', maxLength: 8 });
const yamlish = fc
  .array(fc.oneof({ weight: 4, arbitrary: token }, { weight: 1, arbitrary: noise }), {
    maxLength: 60,
  })
  .map((parts) => parts.join(''));

/** One edit of a valid catalogue's text. */
type TextEdit = (text: string) => string;
const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(
    ([at, length]): TextEdit =>
      (text) => {
        const start = at % (text.length + 1);
        return text.slice(0, start) + text.slice(start + length);
      },
  ),
  fc.tuple(fc.nat(), fc.oneof(token, noise)).map(
    ([at, inserted]): TextEdit =>
      (text) => {
        const start = at % (text.length + 1);
        return text.slice(0, start) + inserted + text.slice(start);
      },
  ),
  fc.tuple(fc.nat(), fc.nat()).map(
    ([a, b]): TextEdit =>
      (text) => {
        const lines = text.split('\n');
        const i = a % lines.length;
        const j = b % lines.length;
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        return lines.join('\n');
      },
  ),
  fc.tuple(fc.nat(), fc.nat({ max: 6 })).map(
    ([at, indent]): TextEdit =>
      (text) => {
        const lines = text.split('\n');
        const i = at % lines.length;
        lines[i] = ' '.repeat(indent) + lines[i]!.trimStart();
        return lines.join('\n');
      },
  ),
);

/** A YAML scalar or flow collection a catalogue value (or key) could be. */
const scalar = fc.oneof(
  fc.constantFrom(
    '',
    'x',
    '1',
    '-5',
    '0.5',
    'null',
    'true',
    '{}',
    '[]',
    '"a b"',
    'order-events',
    'payment-events',
    'order.placed',
    'order-status',
    'Money',
    '"#/types/Money"',
    '"#/types/Nope"',
    '7x',
    '30s',
    '{ maxLen: -1 }',
    '{ maxLen: 1, maxAge: 1h }',
    '[order.placed, nope]',
    '{ type: string, format: nope }',
    '{ type: object, properties: { a: { $ref: "#/types/Money" } } }',
    '"order:{orderId}:{orderId}"',
    '"a b {c d}"',
    'Order-Events',
    'schemabus',
    'events',
  ),
  fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
);

/** A line's value or key replaced: the YAML mostly stays valid, so the catalogue checks work. */
const lineEdit: fc.Arbitrary<TextEdit> = fc.tuple(fc.nat(), fc.boolean(), scalar).map(
  ([at, key, replacement]): TextEdit =>
    (text) => {
      const lines = text.split('\n');
      const i = at % lines.length;
      const match = /^(\s*(?:- )?)([^:#]+):(.*)$/.exec(lines[i]!);
      if (match === null) return text;
      lines[i] = key
        ? `${match[1]}${replacement}:${match[3]}`
        : `${match[1]}${match[2]}: ${replacement}`;
      return lines.join('\n');
    },
);

/** A path into the base catalogue's document: every key, at every depth. */
type Path = readonly (string | number)[];
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value).map(([k, v]) => [k, v] as const);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

/** The base catalogue as the plain document the loader reads. */
const BASE_DOCUMENT = parse(BASE) as object;
const BASE_PATHS = pathsOf(BASE_DOCUMENT);

/** One change of the base document at one of its paths. */
type DocumentEdit =
  | { readonly kind: 'delete'; readonly path: Path }
  | { readonly kind: 'set'; readonly path: Path; readonly value: unknown }
  | { readonly kind: 'rename'; readonly path: Path; readonly name: string };
const documentEdit: fc.Arbitrary<DocumentEdit> = fc
  .tuple(
    fc.nat({ max: BASE_PATHS.length - 1 }),
    fc.constantFrom('delete', 'set', 'rename'),
    fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom('', 'order-events', 'order.placed', '#/types/Money', -1, 0, 1.5, true, null),
    ),
    fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('order.placed', 'type', '$ref', 'x.y')),
  )
  .map(([index, kind, value, name]): DocumentEdit => {
    const path = BASE_PATHS[index]!;
    if (kind === 'delete') return { kind, path };
    if (kind === 'set') return { kind, path, value };
    return { kind, path, name };
  });

function applyEdit(document: unknown, edit: DocumentEdit): void {
  let parent = document as Record<string | number, unknown>;
  for (const key of edit.path.slice(0, -1)) {
    const next = parent?.[key];
    if (typeof next !== 'object' || next === null) return; // an earlier edit removed the way
    parent = next as Record<string | number, unknown>;
  }
  const key = edit.path.at(-1)!;
  if (!(key in parent)) return;
  if (edit.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (edit.kind === 'set') parent[key] = edit.value;
  else if (!Array.isArray(parent)) {
    const value = parent[key];
    delete parent[key];
    parent[edit.name] = value;
  }
}

describe('loadCatalog', () => {
  it('loads the base catalogue (the start of the mutations)', () => {
    expect(loadCatalog(BASE, FILE).ok).toBe(true);
    expect(BASE_PATHS.length).toBeGreaterThan(50);
    expect(BASE_LINES.length).toBeGreaterThan(30);
  });

  it('never throws on YAML-ish text, and every failure is located', () => {
    run(fc.property(yamlish, (text) => void expectLoadedOrLocated(text)));
  });

  it('never throws on the base catalogue with its text cut, spliced or shuffled', () => {
    run(
      fc.property(fc.array(textEdit, { minLength: 1, maxLength: 4 }), (edits) => {
        const text = edits.reduce((t, edit) => edit(t), BASE);
        expectLoadedOrLocated(text);
      }),
    );
  });

  it('never throws on the base catalogue with values and keys of its lines replaced', () => {
    run(
      fc.property(fc.array(lineEdit, { minLength: 1, maxLength: 4 }), (edits) => {
        const text = edits.reduce((t, edit) => edit(t), BASE);
        expectLoadedOrLocated(text);
      }),
    );
  });

  it('never throws on the base document with values replaced, keys renamed, entries dropped', () => {
    run(
      fc.property(fc.array(documentEdit, { minLength: 1, maxLength: 3 }), (edits) => {
        const document = structuredClone(BASE_DOCUMENT);
        for (const edit of edits) applyEdit(document, edit);
        expectLoadedOrLocated(stringify(document));
      }),
    );
  });
});
