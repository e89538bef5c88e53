/** waitUntilReady() says when the bus can reach its server; bootstrap() reports what it created and what was there. */

import { expect, it } from 'vitest';
import { ClosedError } from '../../../runtime/errors.js';
import { partitionKeys } from '../../../runtime/internal/partitions.js';
import type { ContractContext } from '../suite.js';

export function setupCases({ h }: ContractContext): void {
  it('waitUntilReady() resolves on a live bus and rejects with ClosedError once it is closed', async () => {
    const { bus } = h();
    await expect(bus.waitUntilReady({ timeoutMs: 5000 })).resolves.toBeUndefined();
    await bus.close();
    await expect(bus.waitUntilReady()).rejects.toBeInstanceOf(ClosedError);
  });

  it('a closed bus rejects every call with ClosedError, as a rejected promise (a DLQ taken before the close too)', async () => {
    const { bus } = h();
    const early = bus.dlq('jobs');
    await bus.close();
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['publish', () => bus.publish('job.requested', { seq: 1 })],
      ['publishBatch', () => bus.publishBatch([{ type: 'job.requested', data: { seq: 1 } }])],
      ['onRealtime', () => bus.onRealtime('alerts', {}, async () => {})],
      ['waitUntilReady', () => bus.waitUntilReady()],
      ['bootstrap', () => bus.bootstrap()],
      ['inspect', () => bus.inspect()],
      ['dlq().list', () => early.list()],
      ['dlq().count', () => bus.dlq('jobs').count()],
      ['dlq().replay', () => bus.dlq('jobs').replay('0-1')],
      ['dlq().replayAll', () => early.replayAll()],
      ['dlq().purge', () => bus.dlq('jobs').purge()],
    ];
    for (const [name, call] of calls) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = call();
      }, `${name} must not throw synchronously`).not.toThrow();
      const error = await promise?.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(ClosedError);
      expect((error as Error).message, name).toContain(`${name} on a closed`);
    }
    // subscribe returns a Subscription, not a promise: it throws at once.
    expect(() => bus.subscribe('workers', { 'job.requested': async () => {} })).toThrow(
      ClosedError,
    );
    expect(bus.stats().published).toBe(0);
  });

  it('bootstrap() is idempotent and reports every stream and group of the catalogue, sorted', async () => {
    const { bus, catalog } = h();
    // The suite bootstrapped once already: everything is there.
    const report = await bus.bootstrap();
    expect(report.streams.map((s) => s.name)).toEqual(Object.keys(catalog.streams).sort());
    for (const stream of report.streams) {
      const def = catalog.streams[stream.name]!;
      expect(stream).toEqual({
        name: def.name,
        key: def.key,
        dlqKey: def.dlqKey,
        status: 'found',
        groups: Object.values(def.groups).map((g) => ({
          name: g.name,
          startFrom: g.startFrom,
          status: 'found',
        })),
        unknownGroups: [],
        // A partitioned stream reports each partition key too (every group is on each).
        ...(def.partitions === undefined
          ? {}
          : {
              partitions: partitionKeys(def).map((p) => ({
                index: p.index,
                key: p.key,
                dlqKey: p.dlqKey,
                status: 'found',
              })),
            }),
      });
    }
    expect(await bus.bootstrap()).toEqual(report);
  });
}
