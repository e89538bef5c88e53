/**
 * The Redis side of waitUntilReady(), bootstrap()'s report and tail(): the
 * capabilities the CLI's operations commands are built on.
 */
import { describe, expect, it } from 'vitest';
import {
  ClosedError,
  ConnectionError,
  RedisEventBus,
  type TailEntry,
} from '../../runtime/index.js';
import { orderPlacedData } from '../contract/catalog.js';
import { closedPort } from '../support/closed-port.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

/** A bus on a port nobody listens on, closed after the test. */
async function unreachableBus(options: { failFast: boolean }): Promise<RedisEventBus> {
  const url = `redis://:secret@127.0.0.1:${await closedPort()}`;
  const bus = new RedisEventBus({
    catalog: testCatalog(),
    redis: options.failFast ? { url, retryStrategy: () => null } : url,
  });
  onCleanup(() => bus.close({ timeoutMs: 0 }));
  return bus;
}

describe('waitUntilReady()', () => {
  it('rejects at once, naming ECONNREFUSED, when the connection gives up', async () => {
    const bus = await unreachableBus({ failFast: true });
    const error = await bus.waitUntilReady({ timeoutMs: 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(
      /cannot reach Redis at redis:\/\/\*+@127\.0\.0\.1:\d+/,
    );
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect((error as ConnectionError).code).toBe('ECONNREFUSED');
    expect((error as Error).message).not.toContain('secret');
  });

  it('rejects after timeoutMs while ioredis keeps reconnecting, with the last error', async () => {
    const bus = await unreachableBus({ failFast: false });
    const error = await bus.waitUntilReady({ timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/ECONNREFUSED.*waited 300 ms/);
    expect((error as ConnectionError).code).toBe('ECONNREFUSED');
  });

  it('rejects with ClosedError when the bus closes while it waits', async () => {
    const bus = await unreachableBus({ failFast: false });
    const waiting = bus.waitUntilReady({ timeoutMs: 60_000 }).catch((e: unknown) => e);
    await waitFor(
      () => bus.redis.status === 'reconnecting',
      () => bus.redis.status,
    );
    await bus.close({ timeoutMs: 0 });
    expect(await waiting).toBeInstanceOf(ClosedError);
  });

  it('takes ioredis options with a URL: the URL says where, the options how', async () => {
    const bus = new RedisEventBus({
      catalog: testCatalog(),
      redis: { url: server().url, connectionName: 'setup-test', port: 1 },
    });
    onCleanup(() => bus.close({ timeoutMs: 0 }));
    await bus.waitUntilReady();
    expect(String(await server().client().client('LIST'))).toContain('name=setup-test ');
  });
});

describe('bootstrap() on Redis', () => {
  it('reports what it created, what was there, and groups the catalogue does not list', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const admin = server().client();
    const orders = catalog.streams.orders!;
    await admin.xgroup('CREATE', orders.key, 'billing', '$', 'MKSTREAM');
    await admin.xgroup('CREATE', orders.key, 'legacy-reporting', '$');
    const report = await bus.bootstrap();
    const byName = new Map(report.streams.map((s) => [s.name, s]));
    expect(byName.get('orders')).toMatchObject({
      status: 'found',
      unknownGroups: ['legacy-reporting'],
      groups: [
        { name: 'audit', status: 'created' },
        { name: 'billing', status: 'found' },
        { name: 'shipping', status: 'created' },
      ],
    });
    expect(byName.get('jobs')).toMatchObject({ status: 'created', unknownGroups: [] });
    expect(byName.get('metrics')).toMatchObject({ status: 'created' });
    const again = await bus.bootstrap();
    expect(again.streams.every((s) => s.status === 'found')).toBe(true);
    expect(again.streams.flatMap((s) => s.groups).every((g) => g.status === 'found')).toBe(true);
  });

  it('reports a stream without groups as absent: nothing creates it before the first publish', async () => {
    const bus = newBus(
      server(),
      testCatalog((c) => ({
        ...c,
        streams: { ...c.streams, metrics: { ...c.streams.metrics!, groups: {} } },
      })),
    );
    const metrics = (await bus.bootstrap()).streams.find((s) => s.name === 'metrics');
    expect(metrics).toMatchObject({ status: 'absent', groups: [], unknownGroups: [] });
  });
});

describe('tail()', () => {
  it('yields the entries after `from`, decoded or with why not, and joins no group', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const orders = catalog.streams.orders!;
    const first = await bus.publish('order.placed', orderPlacedData());
    const raw = await bus.appendRaw('orders', {
      specversion: '1.0',
      id: 'x',
      type: 'order.placed',
      data: '{',
    });
    const seen: TailEntry[] = [];
    for await (const entry of bus.tail('orders', { from: '0' })) {
      seen.push(entry);
      if (seen.length === 2) break;
    }
    expect(seen[0]).toMatchObject({
      entryId: first.entryId,
      decoded: { ok: true, envelope: { id: first.id } },
    });
    expect(seen[1]).toMatchObject({
      entryId: raw,
      fields: { id: 'x', data: '{' },
      decoded: { ok: false, reason: expect.stringContaining('data is not JSON') },
    });
    expect(await server().client().exists(orders.key)).toBe(1);
    expect(await server().client().xinfo('GROUPS', orders.key)).toEqual([]);
  });

  it('from $ waits for new entries and ends when its signal aborts', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    await bus.publish('order.placed', orderPlacedData());
    const controller = new AbortController();
    const seen: string[] = [];
    const following = (async () => {
      for await (const entry of bus.tail('orders', { signal: controller.signal })) {
        seen.push(entry.entryId);
      }
    })();
    await waitFor(
      async () =>
        /name=schemabus:tail:orders.*cmd=xread/.test(
          String(await server().client().client('LIST')),
        ),
      () => 'the tail reader to block in XREAD',
    );
    const later = await bus.publish('order.placed', orderPlacedData());
    await waitFor(
      () => seen.length === 1,
      () => `one entry, got ${JSON.stringify(seen)}`,
    );
    controller.abort();
    await following;
    expect(seen).toEqual([later.entryId]);
  });

  it('ends when the bus closes: a tail taken before the close ends at once, one asked for after it rejects with ClosedError', async () => {
    const bus = newBus(server(), testCatalog());
    const seen: string[] = [];
    const early = bus.tail('orders', { blockMs: 60_000 });
    const following = (async () => {
      for await (const entry of bus.tail('orders', { blockMs: 60_000 })) seen.push(entry.entryId);
    })();
    await waitFor(
      async () => /cmd=xread/.test(String(await server().client().client('LIST'))),
      () => 'the tail reader to block in XREAD',
    );
    await bus.close({ timeoutMs: 0 });
    await following;
    expect(seen).toEqual([]);
    expect(await early.next()).toEqual({ done: true, value: undefined });
    // One asked for after the close is refused, as every call of a closed bus is.
    await expect(bus.tail('orders').next()).rejects.toBeInstanceOf(ClosedError);
  });

  it('ends on abort after its connection was killed and re-established', async () => {
    const bus = newBus(server(), testCatalog());
    const admin = server().client();
    const controller = new AbortController();
    const following = (async () => {
      for await (const _ of bus.tail('orders', { blockMs: 60_000, signal: controller.signal })) {
        // nothing is published
      }
    })();
    const readerIds = async () =>
      String(await admin.client('LIST'))
        .split('\n')
        .filter((line) => line.includes('name=schemabus:tail:orders'))
        .map((line) => /\bid=(\d+)/.exec(line)![1]!);
    await waitFor(
      async () => (await readerIds()).length === 1,
      () => 'the tail reader',
    );
    const [first] = await readerIds();
    await admin.client('KILL', 'ID', first!);
    await waitFor(
      async () => {
        const ids = await readerIds();
        return ids.length === 1 && ids[0] !== first;
      },
      () => 'the tail reader to reconnect',
    );
    controller.abort();
    await following;
    await waitFor(
      async () => (await readerIds()).length === 0,
      () => 'the reader to be gone',
    );
  });

  it('refuses an unknown stream and a malformed `from`', async () => {
    const bus = newBus(server(), testCatalog());
    expect(() => bus.tail('order')).toThrow(/unknown stream "order".*did you mean "orders"/);
    await expect(bus.tail('orders', { from: 'now' }).next()).rejects.toThrow(
      /from must be \$, 0 or an entry id/,
    );
    await expect(bus.tail('orders', { blockMs: 0 }).next()).rejects.toThrow(
      /blockMs must be a positive integer/,
    );
  });
});
