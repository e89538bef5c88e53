/**
 * Per-file setup of the CLI ops tests: a Redis server from the harness, a
 * copy of events.schema.yaml with a fresh namespace in a temp directory (the
 * commands' working directory), its catalogue, and buses that are closed,
 * with the namespace's keys deleted, afterwards.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { type Catalog, RedisEventBus } from 'schemabus';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { CommandContext } from '../../../cli/command.js';
import { loadCatalog } from '../../../generator/catalog/index.js';
import { type RedisServer, startRedis, uniqueNamespace } from '../../support/redis-harness.js';

/** The catalogue file name inside the temp directory. */
export const SCHEMA = 'events.schema.yaml';

/** What a test of this file works with. */
export interface OpsFixture {
  readonly server: RedisServer;
  readonly url: string;
  readonly catalog: Catalog;
  /** `cwd` is the temp directory holding SCHEMA. */
  readonly context: CommandContext;
  /** A client for checks (XINFO, XPENDING...). */
  readonly admin: Redis;
  /** A bus on the test catalogue, closed after the test. */
  newBus(): RedisEventBus;
  /** The Redis key of a catalogue stream. */
  key(stream: string): string;
}

/** Registers beforeAll/afterAll and returns the fixture getter. */
export function useOpsFixture(): () => OpsFixture {
  let fixture: OpsFixture | undefined;
  let dir = '';
  const buses: RedisEventBus[] = [];
  beforeAll(async () => {
    const server = await startRedis();
    const namespace = uniqueNamespace('cli');
    dir = await mkdtemp(join(tmpdir(), 'schemabus-cli-ops-'));
    const text = (
      await readFile(new URL('../../../events.schema.yaml', import.meta.url), 'utf8')
    ).replace(/^namespace: .*$/m, `namespace: ${namespace}`);
    await writeFile(join(dir, SCHEMA), text);
    const loaded = loadCatalog(text, SCHEMA);
    if (!loaded.ok) throw new Error(`test catalogue invalid: ${JSON.stringify(loaded.issues)}`);
    const catalog = loaded.model.catalog;
    fixture = {
      server,
      url: server.url,
      catalog,
      context: { cwd: dir },
      admin: server.client(),
      newBus: () => {
        const bus = new RedisEventBus({ catalog, redis: server.url });
        buses.push(bus);
        return bus;
      },
      key: (stream) => {
        const found = catalog.streams[stream];
        if (found === undefined) throw new Error(`no stream ${stream}`);
        return found.key;
      },
    };
  });
  afterEach(async () => {
    for (const bus of buses.splice(0)) await bus.close({ timeoutMs: 100 }).catch(() => undefined);
  });
  afterAll(async () => {
    if (fixture !== undefined) {
      const keys = await fixture.admin.keys(`{${fixture.catalog.namespace}:*`);
      if (keys.length > 0) await fixture.admin.del(...keys);
      await fixture.server.stop();
    }
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (fixture === undefined) throw new Error('no fixture: beforeAll failed');
    return fixture;
  };
}

/** XINFO GROUPS of `key` as records (`[]` when the stream does not exist). */
export async function groupsOf(admin: Redis, key: string): Promise<Record<string, unknown>[]> {
  if ((await admin.exists(key)) === 0) return [];
  const rows = (await admin.xinfo('GROUPS', key)) as unknown[][];
  return rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (let i = 0; i + 1 < row.length; i += 2) record[String(row[i])] = row[i + 1];
    return record;
  });
}
