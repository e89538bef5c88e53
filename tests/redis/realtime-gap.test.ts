/**
 * Realtime is at-most-once: while the subscriber connection is away, what is
 * published is gone. The bus says so once it is subscribed again: a
 * RealtimeGapError on bus.onError naming the channels and the time away,
 * stats().realtimeGaps and a warning. The connection is cut here by the
 * server (`CLIENT KILL TYPE pubsub`), the way Redis drops a subscriber whose
 * output buffer passed `client-output-buffer-limit pubsub` (the fault suite
 * drives that limit itself; on loopback the kernel buffers tens of MB first).
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { RealtimeGapError, type SchemabusError } from '../../runtime/errors.js';
import { captureLogger } from '../support/capture-logger.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

describe('a realtime subscriber cut off by Redis', () => {
  it('is subscribed again, and the gap is told: channels, time away, a counter', async () => {
    const catalog = testCatalog();
    const logger = captureLogger();
    const bus = newBus(server(), catalog, { logger });
    const signals: SchemabusError[] = [];
    bus.onError((error) => signals.push(error));
    const received: string[] = [];
    await bus.onRealtime('alerts', {}, (event) => {
      received.push((event as Envelope<{ message: string }>).data.message);
    });
    await bus.onRealtime('alerts', { level: 'critical' }, () => {});
    const publisher = newBus(server(), catalog);
    await publisher.publish('system.alert', { level: 'info', message: 'before' });
    await waitFor(() => received.includes('before'));
    await server().client().client('KILL', 'TYPE', 'pubsub');
    await waitFor(
      () => signals.length > 0,
      () => `a gap signal; stats ${JSON.stringify(bus.stats())}`,
    );
    const [gap] = signals as RealtimeGapError[];
    expect(gap).toBeInstanceOf(RealtimeGapError);
    expect(gap!.channels).toEqual(
      [`${catalog.namespace}:alerts:*`, `${catalog.namespace}:alerts:critical`].sort(),
    );
    expect(gap!.awayMs).toBe(Date.parse(gap!.until) - Date.parse(gap!.since));
    expect(gap!.message).toMatch(/was away for \d+ ms and is subscribed again/);
    expect(bus.stats().realtimeGaps).toBe(1);
    expect(logger.matching(/was away for \d+ ms and is subscribed again/)).toHaveLength(1);
    // Subscribed again: a message published now arrives.
    await publisher.publish('system.alert', { level: 'info', message: 'after' });
    await waitFor(() => received.includes('after'));
    expect(signals).toHaveLength(1);
  });
});
