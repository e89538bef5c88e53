/**
 * redis-server killed with SIGKILL and restarted at once, again and again,
 * while a publisher and consumers run (scenario c and its negative
 * control): what both variants share. Before each kill it waits until the
 * publisher made progress since the last restart (seeded), and, when asked,
 * until a backlog of acknowledged events is not handled yet (what a server
 * without persistence then loses).
 */
import { waitFor } from '../../support/wait.js';
import { ackedSince } from './ledger.js';
import type { FaultScenario } from './scenario.js';
import type { WorkerProcess } from './workers.js';

export interface RedisKillOptions {
  readonly group: string;
  readonly kills: number;
  /** Consumer processes. */
  readonly consumers: number;
  /** Acknowledged events not yet handled, published since the last restart, before each kill. @default 0 */
  readonly backlog?: number | undefined;
  /** Consumer read size (a small one leaves the backlog in Redis, not in the consumer). */
  readonly batchSize?: number | undefined;
  /** The consumer's handler duration. @default 1-5 ms */
  readonly workMs?: readonly [number, number] | undefined;
  readonly concurrency?: number | undefined;
  readonly ratePerSecond: number;
}

/** Runs the kills; returns when the publisher stopped (every publish settled), with when each restart was done. */
export async function killRedisUnderLoad(
  s: FaultScenario,
  options: RedisKillOptions,
): Promise<{ consumers: WorkerProcess[]; restartedAt: number[] }> {
  const { group, kills, backlog = 0 } = options;
  const [minMs, maxMs] = options.workMs ?? [1, 5];
  const consumers = Array.from({ length: options.consumers }, (_, i) =>
    s.consumer(`c${i}`, {
      group,
      concurrency: options.concurrency ?? 4,
      batchSize: options.batchSize,
      work: { kind: 'sleep', minMs, maxMs },
    }),
  );
  const publisher = s.publisher('p', {
    count: 20_000,
    ratePerSecond: options.ratePerSecond,
    inflight: 4,
  });
  await Promise.all(consumers.map((c) => s.ready(c)));
  const restarts: number[] = [];
  let restartedAt = 0;
  for (let k = 0; k < kills; k++) {
    const progress = s.random.int(100, 250);
    await waitFor(
      () =>
        s.ledger.acknowledgedWhere(ackedSince(restartedAt)) >= progress &&
        s.ledger.unhandled(group, ackedSince(restartedAt)).length >= backlog,
      () =>
        `kill ${k + 1}: ${progress} publishes acknowledged since the last restart (got ${s.ledger.acknowledgedWhere(ackedSince(restartedAt))}), ` +
        `${backlog} of them not handled (got ${s.ledger.unhandled(group, ackedSince(restartedAt)).length})`,
      { timeoutMs: 30_000, intervalMs: 5 },
    );
    await s.server.kill9();
    await s.server.restart();
    restartedAt = Date.now();
    restarts.push(restartedAt);
  }
  // Back to work after the last restart: publishes acknowledged and handled again.
  await waitFor(
    () =>
      s.ledger.acknowledgedWhere(ackedSince(restartedAt)) >= 50 &&
      s.ledger.unhandled(group, ackedSince(restartedAt)).length <
        s.ledger.acknowledgedWhere(ackedSince(restartedAt)),
    () => 'publishing and consuming again after the last restart',
    { timeoutMs: 30_000 },
  );
  await publisher.terminate();
  return { consumers, restartedAt: restarts };
}
