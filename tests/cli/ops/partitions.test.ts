/** The ops commands on a partitioned stream: bootstrap, inspect (per partition), tail, dlq. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Catalog, RedisEventBus } from 'schemabus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBootstrap } from '../../../cli/commands/bootstrap.js';
import { runDlq } from '../../../cli/commands/dlq.js';
import { runInspect } from '../../../cli/commands/inspect.js';
import { runTail } from '../../../cli/commands/tail.js';
import { loadCatalog } from '../../../generator/catalog/index.js';
import { partitionKeys, partitionOf } from '../../../runtime/internal/partitions.js';
import { type RedisServer, startRedis, uniqueNamespace } from '../../support/redis-harness.js';
import { waitFor } from '../../support/wait.js';

const SCHEMA = 'events.schema.yaml';
const ACCOUNTS = ['acc-1', 'acc-2', 'acc-3', 'acc-4', 'acc-5', 'acc-6'];

let server: RedisServer;
let dir: string;
let catalog: Catalog;

beforeAll(async () => {
  server = await startRedis();
  dir = await mkdtemp(join(tmpdir(), 'schemabus-cli-partitions-'));
  const text = [
    'schemabus: 1',
    `namespace: ${uniqueNamespace('cp')}`,
    'source: ledger-service',
    'streams:',
    '  ledger:',
    '    retention: { maxLen: 1000 }',
    '    partitions: 3',
    '    partitionKey: accountId',
    '    groups:',
    '      balances: { retry: { maxAttempts: 1 }, startFrom: earliest }',
    'events:',
    '  ledger.credited:',
    '    stream: ledger',
    '    payload:',
    '      type: object',
    '      required: [accountId, amount]',
    '      properties:',
    '        accountId: { type: string }',
    '        amount: { type: integer }',
    '',
  ].join('\n');
  await writeFile(join(dir, SCHEMA), text);
  const loaded = loadCatalog(text, SCHEMA);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  catalog = loaded.model.catalog;
});

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('ops commands on a partitioned stream', () => {
  it('bootstrap creates the group on each partition; inspect, tail and dlq show the partitions', async () => {
    const context = { cwd: dir };
    const redis = server.url;
    const boot = await runBootstrap({ redis, schema: SCHEMA }, context);
    expect(boot.exitCode).toBe(0);
    const ns = catalog.namespace;
    expect(boot.stdout).toContain(
      `stream ledger (3 partitions {${ns}:ledger:p0} .. {${ns}:ledger:p2}): created`,
    );
    const bus = new RedisEventBus({ catalog, redis });
    try {
      for (const accountId of ACCOUNTS) {
        await bus.publish('ledger.credited', { accountId, amount: 1 });
      }
      const keys = partitionKeys(catalog.streams.ledger!);
      const lengths = keys.map(
        (k) => ACCOUNTS.filter((a) => partitionOf(a, keys.length) === k.index).length,
      );
      const json = JSON.parse(
        (await runInspect({ redis, schema: SCHEMA, json: true }, context)).stdout,
      );
      const ledger = json.streams[0];
      expect(ledger).toMatchObject({ name: 'ledger', length: ACCOUNTS.length, missingGroups: [] });
      expect(ledger.partitions.map((p: { length: number }) => p.length)).toEqual(lengths);
      const table = (await runInspect({ redis, schema: SCHEMA }, context)).stdout;
      expect(table).toMatch(new RegExp(`^ledger +${ACCOUNTS.length} +0 +balances `, 'm'));
      for (const k of keys) {
        expect(table).toMatch(new RegExp(`^  p${k.index} +${lengths[k.index]} +0 +balances `, 'm'));
      }
      const tail = await runTail(
        {
          redis,
          schema: SCHEMA,
          streams: ['ledger'],
          from: '0',
          count: ACCOUNTS.length,
          json: true,
        },
        context,
      );
      const lines = tail.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(ACCOUNTS.length);
      for (const line of lines) {
        expect(line.partition).toBe(partitionOf(line.envelope.data.accountId, keys.length));
      }
      // One event dead-lettered per account; dlq list shows them across the partitions.
      const sub = bus.subscribe('balances', {
        'ledger.credited': async () => {
          throw new Error('refused');
        },
      });
      await waitFor(async () => (await bus.dlq('ledger').count()) === ACCOUNTS.length);
      await sub.close();
      const listed = await runDlq(
        { redis, schema: SCHEMA, action: 'list', stream: 'ledger', json: true },
        context,
      );
      expect(listed.exitCode).toBe(0);
      const letters = JSON.parse(listed.stdout);
      expect(letters.total).toBe(ACCOUNTS.length);
      const ids: string[] = letters.deadLetters.map((l: { id: string }) => l.id);
      expect(ids).toHaveLength(ACCOUNTS.length);
      for (const id of ids) expect(id).toMatch(/^p\d:\d+-\d+$/);
      // The keys named are the partitions' DLQs, never the base {ns:ledger}:dlq, which is never written.
      expect(letters.dlqKey).toBeUndefined();
      expect(letters.dlqKeys).toEqual(keys.map((k) => k.dlqKey));
      const base = { redis, schema: SCHEMA, stream: 'ledger' };
      const text = await runDlq({ ...base, action: 'list' }, context);
      expect(text.stdout).toContain(
        `DLQ of ledger (3 partition DLQs {${ns}:ledger:p0}:dlq .. {${ns}:ledger:p2}:dlq)`,
      );
      expect(text.stdout).not.toContain(`{${ns}:ledger}:dlq`);
      // An id without its p<i>: prefix: say how ids look there, and which full id it is.
      const [full] = ids;
      const bare = full!.slice(full!.indexOf(':') + 1);
      for (const action of ['show', 'replay'] as const) {
        const wrong = await runDlq({ ...base, action, id: [bare] }, context);
        expect(wrong.exitCode).toBe(1);
        expect(wrong.stderr).toContain(
          `no dead letter ${bare} in stream ledger: it is partitioned, so its dead letter ids are p<partition>:<id>`,
        );
        expect(wrong.stderr).toContain(`did you mean ${full}`);
        expect(wrong.stderr).not.toContain('replayed or purged already');
      }
      const purged = await runDlq({ ...base, action: 'purge', id: [bare], yes: true }, context);
      expect(purged.exitCode).toBe(1);
      expect(purged.stdout).toContain('deleted 0 dead letters');
      expect(purged.stderr).toContain(`did you mean ${full}`);
      const shown = await runDlq({ ...base, action: 'show', id: [full!] }, context);
      expect(shown.exitCode).toBe(0);
      expect(await bus.dlq('ledger').count()).toBe(ACCOUNTS.length);
    } finally {
      await bus.close();
    }
  });
});
