/**
 * Scenario i of the fault suite: a realtime subscriber too slow for the
 * publisher (its handler works synchronously per message) is disconnected
 * by Redis at `client-output-buffer-limit pubsub`; ioredis reconnects and
 * re-subscribes. Realtime is at-most-once: the messages published while it
 * was cut are gone. The checker counts that gap, and the subscriber's bus
 * says so once it is back: a RealtimeGapError (counted, and logged with the
 * pattern and the time away).
 */
import { describe, expect, it } from 'vitest';
import { testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';
import { checkRealtime } from './support/checker.js';
import { FaultScenario } from './support/scenario.js';
import { printRealtimeRow } from './support/table.js';

const server = useRedisServer({ config: { 'client-output-buffer-limit': 'pubsub 256kb 128kb 1' } });

/** Whether the subscriber's pub/sub connection is on the server. */
async function subscriberConnected(s: FaultScenario): Promise<boolean> {
  const list = (await s.server.client().call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
  return list.includes('name=schemabus:realtime');
}

describe('scenario i: a slow realtime subscriber cut by client-output-buffer-limit pubsub', () => {
  it('is re-subscribed after the cut; the messages published meanwhile are a counted gap', {
    timeout: 90_000,
  }, async () => {
    const s = new FaultScenario(
      'i. slow realtime subscriber, pubsub buffer limit 256kb',
      server(),
      testCatalog(),
    );
    const subscriber = s.realtimeSubscriber('sub', 'alerts', 1);
    await s.ready(subscriber);
    const publisher = s.publisher('p', {
      type: 'system.alert',
      count: 50_000,
      ratePerSecond: 0,
      inflight: 4,
      padding: 4000,
    });
    const received = () => s.ledger.of('sub').filter((r) => r.kind === 'received').length;
    await waitFor(
      () => received() >= 100,
      () => `100 messages received, got ${received()}`,
    );
    await waitFor(
      async () => !(await subscriberConnected(s)),
      () => 'Redis cutting the subscriber',
      {
        timeoutMs: 30_000,
        intervalMs: 20,
      },
    );
    const cutAt = Date.now();
    const sentAtCut = s.ledger.acknowledged;
    // Re-subscribed: it receives messages published after the cut.
    const back = await waitFor(
      () => s.ledger.of('sub').find((r) => r.kind === 'received' && r.seq > sentAtCut),
      () => 'a message published after the cut received',
      { timeoutMs: 30_000 },
    );
    await publisher.terminate();
    await s.terminate([subscriber]);
    const counts = checkRealtime(s.ledger.records, 'p', 'sub');
    const stats = s.ledger.stats().get('sub') ?? {};
    printRealtimeRow({
      scenario: s.name,
      seed: s.seed,
      counts,
      notes: `cut seen after ${sentAtCut} sent, receiving again ${back.at - cutAt} ms later; subscriber stats().realtimeReceived ${stats.realtimeReceived}, realtimeGaps ${stats.realtimeGaps}`,
    });
    expect(counts.missing).toBeGreaterThan(0);
    expect(counts.gaps.length).toBeGreaterThan(0);
    // The gap signal: counted by the subscriber's bus and logged with the pattern and the time away.
    expect(stats.realtimeGaps ?? 0).toBeGreaterThanOrEqual(1);
    expect(
      s.ledger.records.some(
        (r) =>
          r.kind === 'log' &&
          /was away for \d+ ms and is subscribed again: messages published on .*:alerts:\*/.test(
            r.msg,
          ),
      ),
    ).toBe(true);
  });
});
