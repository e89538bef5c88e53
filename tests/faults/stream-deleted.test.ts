/**
 * Scenario g of the fault suite: the stream deleted (`DEL`), then all data
 * flushed (`FLUSHALL`), under consumers blocked in XREADGROUP while a
 * publisher runs. What was stored before each deletion is gone by design
 * (exempt); the consumers re-create their groups (NOGROUP), and every event
 * stored afterwards is handled.
 */
import { describe, expect, it } from 'vitest';
import { testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';
import { expectHonestPublishes, expectNoneLost } from './support/expectations.js';
import { storedAfter } from './support/ledger.js';
import { FaultScenario } from './support/scenario.js';

const server = useRedisServer();

/** Runs `command` and reads the server's clock in one transaction: entries after it have later ids. */
async function deleteAt(
  s: FaultScenario,
  command: 'DEL' | 'FLUSHALL',
  key: string,
): Promise<number> {
  const admin = s.server.client();
  const tx = admin.multi();
  if (command === 'DEL') tx.del(key);
  else tx.flushall();
  const replies = await tx.time().exec();
  const [seconds, micros] = replies![1]![1] as [string, string];
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

describe('scenario g: DEL and FLUSHALL of the stream under blocked readers', () => {
  it('groups are re-created and every event stored after a deletion is handled', {
    timeout: 90_000,
  }, async () => {
    const s = new FaultScenario(
      'g. DEL, then FLUSHALL, under blocked readers',
      server(),
      testCatalog(),
    );
    const group = 'workers';
    const key = s.streamKey(group);
    const admin = server().client();
    const consumers = [s.consumer('c0', { group }), s.consumer('c1', { group })];
    const publisher = s.publisher('p', { count: 10_000, ratePerSecond: 200 });
    await Promise.all([...consumers, publisher].map((w) => s.ready(w)));
    await s.handled(group, s.random.int(100, 200));
    const deletedAt: number[] = [];
    for (const command of ['DEL', 'FLUSHALL'] as const) {
      // Readers blocked in XREADGROUP when it happens.
      await waitFor(async () =>
        ((await admin.client('LIST')) as string).includes('cmd=xreadgroup'),
      );
      const at = await deleteAt(s, command, key);
      deletedAt.push(at);
      const after = storedAfter(at);
      const enough = s.random.int(100, 200);
      // Every event stored after the deletion handled: nothing lost afterwards.
      await waitFor(
        () =>
          s.ledger.acknowledgedWhere(after) >= enough &&
          s.ledger.unhandled(group, after).length === 0,
        () =>
          `after ${command}: ${enough} events stored and all handled (stored ${s.ledger.acknowledgedWhere(after)}, ` +
          `not handled ${s.ledger.unhandled(group, after).length})`,
        { timeoutMs: 30_000 },
      );
      const groups = (await admin.xinfo('GROUPS', key)) as unknown[][];
      expect(groups.map((g) => g[1])).toContain(group); // re-created
    }
    await publisher.terminate();
    const last = storedAfter(deletedAt.at(-1)!);
    await s.drained(group, { which: last });
    const stored = await s.stored(group);
    await s.terminate(consumers);
    const lostStats = [...s.ledger.stats()]
      .filter(([w]) => w !== 'p')
      .map(([, st]) => st.lost ?? 0)
      .reduce((a, b) => a + b, 0);
    const counts = s.report(group, {
      stored,
      exempt: (acked) => !last(acked),
      notes: (c) =>
        `${c.exempt} stored before the last deletion, ${c.exempt - c.exemptHandled} of them gone unhandled (by design); consumers' stats().lost ${lostStats}`,
    });
    expectHonestPublishes(counts);
    expectNoneLost(counts);
  });
});
