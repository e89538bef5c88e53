/**
 * Property-based tests of `validate` (fast-check, seeded, bounded): the
 * event validator of the example catalogue never throws on any JSON value —
 * arbitrary JSON, event-shaped records, valid events with a part replaced or
 * removed — and every failure is a typed issue (a JSON Pointer whose parent
 * is in the value, a message); a valid event stays valid. `schemabus
 * validate` on files of arbitrary text never throws and never calls a
 * readable file a usage error: each file is valid, or has its error or its
 * issues.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runValidate } from '../../../cli/commands/validate.js';
import { loadCatalog } from '../../../generator/catalog/index.js';
import {
  createEventValidator,
  type EventIssue,
} from '../../../generator/validate/event-validator.js';

const SEED = 20_261_205;
const ROOT = join(import.meta.dirname, '../../..');
const VALID = join(ROOT, 'tests/cli/fixtures/valid');

function run<Ts>(property: fc.IProperty<Ts>, numRuns = 300): void {
  fc.assert(property, { seed: SEED, numRuns });
}

const loaded = loadCatalog(readFileSync(join(ROOT, 'events.schema.yaml'), 'utf8'), 'x.yaml');
if (!loaded.ok) throw new Error('the example catalogue does not load');
const model = loaded.model;
const validate = createEventValidator(model);
const TYPES = model.events.map((e) => e.type);

/** The valid events of the CLI fixtures, one per item (batch files are arrays). */
const VALID_EVENTS: readonly unknown[] = [
  'envelope.json',
  'envelope-minimal.json',
  'message-v1.json',
  'plain.json',
  'batch.json',
].flatMap((file) => {
  const value: unknown = JSON.parse(readFileSync(join(VALID, file), 'utf8'));
  return Array.isArray(value) ? value : [value];
});

/** The value a JSON Pointer names, or `undefined` when there is none. */
function resolve(value: unknown, pointer: string): { found: boolean } {
  if (pointer === '') return { found: true };
  let current: unknown = value;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) {
      return { found: false };
    }
    current = (current as Record<string, unknown>)[key];
  }
  return { found: true };
}

/** Issues as promised: each a pointer whose parent is in the value, and a message. */
function expectTyped(issues: readonly EventIssue[], value: unknown): void {
  expect(Array.isArray(issues)).toBe(true);
  for (const issue of issues) {
    expect(typeof issue.path).toBe('string');
    expect(issue.path === '' || issue.path.startsWith('/')).toBe(true);
    expect(typeof issue.message === 'string' && issue.message.trim() !== '').toBe(true);
    const parent = issue.path.slice(0, Math.max(0, issue.path.lastIndexOf('/')));
    expect(resolve(value, parent).found, `${issue.path} in ${JSON.stringify(value)}`).toBe(true);
  }
}

const json = fc.jsonValue({ maxDepth: 4 });

/** Records shaped like events: known keys with any values, a type of the catalogue or not. */
const eventLike = fc.record(
  {
    specversion: fc.oneof(fc.constant('1.0'), json),
    v: fc.oneof(fc.constant(1), json),
    id: fc.oneof(fc.string(), json),
    source: fc.oneof(fc.string(), json),
    type: fc.oneof(fc.constantFrom(...TYPES), fc.string(), json),
    time: fc.oneof(fc.constant('2025-01-01T00:00:00Z'), fc.string(), json),
    datacontenttype: fc.oneof(fc.constant('application/json'), json),
    subject: json,
    data: json,
    extra: json,
  },
  { requiredKeys: [] },
);

/** One change of a valid event at one of its paths. */
type Edit = { readonly at: number; readonly kind: 'delete' | 'set'; readonly value: unknown };
const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('delete', 'set'),
  value: fc.oneof(
    json,
    fc.constantFrom('', 'not-a-uuid', 'zzz', -1, 1e300, 2.5, 'campaign.created', null, [], {}),
  ),
});

function pathsOf(value: unknown, prefix: readonly string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((key) => [
    [...prefix, key],
    ...pathsOf((value as Record<string, unknown>)[key], [...prefix, key]),
  ]);
}

function applyEdit(value: unknown, change: Edit): void {
  const paths = pathsOf(value);
  if (paths.length === 0) return;
  const path = paths[change.at % paths.length]!;
  let parent = value as Record<string, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const key = path.at(-1)!;
  if (change.kind === 'set') parent[key] = change.value;
  else if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
}

describe('the event validator (validate)', () => {
  it('accepts the valid fixtures', () => {
    expect(VALID_EVENTS.length).toBeGreaterThanOrEqual(5);
    for (const event of VALID_EVENTS) expect(validate(event)).toEqual([]);
  });

  it('never throws on arbitrary JSON, and every failure is a typed, located issue', () => {
    run(fc.property(json, (value) => expectTyped(validate(value), value)));
  });

  it('never throws on event-shaped records with any values', () => {
    run(fc.property(eventLike, (value) => expectTyped(validate(value), value)));
  });

  it('never throws on a valid event with parts replaced or removed', () => {
    run(
      fc.property(
        fc.constantFrom(...VALID_EVENTS),
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        (event, edits) => {
          const value = structuredClone(event);
          for (const change of edits) applyEdit(value, change);
          expectTyped(validate(value), value);
        },
      ),
    );
  });
});

describe('schemabus validate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'schemabus-validate-prop-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'events.schema.yaml'), readFileSync(join(ROOT, 'events.schema.yaml')));

  /** What a file may hold: JSON of events, of anything, cut short, or not JSON at all. */
  const fileText = fc.oneof(
    fc
      .array(fc.oneof(eventLike, fc.constantFrom(...VALID_EVENTS)), { maxLength: 4 })
      .map((a) => JSON.stringify(a)),
    eventLike.map((e) => JSON.stringify(e)),
    json.map((v) => JSON.stringify(v)),
    fc
      .tuple(json, fc.nat())
      .map(([v, cut]) => JSON.stringify(v).slice(0, cut % (JSON.stringify(v).length + 1))),
    fc.string(),
  );

  it('never throws on files of arbitrary text; each is valid, or has its error or issues', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fileText, { minLength: 1, maxLength: 8 }), async (texts) => {
        round++;
        const files = texts.map((text, i) => {
          const name = `r${round}-${i}.json`;
          writeFileSync(join(dir, name), text);
          return name;
        });
        const result = await runValidate({ files, json: true }, { cwd: dir });
        expect([0, 1]).toContain(result.exitCode);
        const report = JSON.parse(result.stdout) as {
          ok: boolean;
          files: {
            file: string;
            ok: boolean;
            error?: string;
            events: { issues: EventIssue[] }[];
          }[];
        };
        expect(report.files.map((f) => f.file)).toEqual(files);
        expect(report.ok).toBe(result.exitCode === 0);
        for (const file of report.files) {
          if (file.ok) continue;
          const issues = file.events.flatMap((e) => e.issues);
          expect(file.error !== undefined || issues.length > 0, JSON.stringify(file)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 8 },
    );
  });
});
