/**
 * What a worker process of the fault suite is told to do: one JSON object
 * in its `LEDGER_WORKER` environment variable (tests/faults/support/workers.ts
 * writes it, main.ts reads it).
 */
import type { Catalog } from '../../../runtime/catalog.js';
import type { RetentionOptions } from '../../../runtime/index.js';

interface WorkerBase {
  /** The worker's name in the ledger (unique in a scenario); publishers use it in event ids. */
  readonly name: string;
  readonly redisUrl: string;
  readonly catalog: Catalog;
  /** Seeds the worker's own choices (handler durations, publish pacing jitter). */
  readonly seed: number;
}

/**
 * Publishes `count` events (ids `<name>-<seq>`) at `ratePerSecond` (0: as
 * fast as `inflight` sequential loops go), reporting every try and its
 * outcome; SIGTERM stops it after the publishes in flight settle.
 */
export interface PublisherConfig extends WorkerBase {
  readonly role: 'publisher';
  /** `job.requested` (stream) or `system.alert` (realtime only). */
  readonly type: 'job.requested' | 'system.alert';
  readonly count: number;
  readonly ratePerSecond: number;
  readonly inflight: number;
  /** Characters of padding in each payload (memory pressure, pub/sub buffers). @default 0 */
  readonly padding?: number | undefined;
  /** The bus option `idempotentPublish`. @default false */
  readonly idempotent?: boolean | undefined;
  /** Tries again with the same id after `PublishOutcomeUnknownError`, this many times. @default 0 */
  readonly retryUnknown?: number | undefined;
  /** ioredis `commandTimeout` of the publisher's connection. @default none */
  readonly commandTimeoutMs?: number | undefined;
  readonly connectTimeoutMs?: number | undefined;
  readonly retention?: RetentionOptions | undefined;
}

/** How long a handler works. */
export type Work =
  /** A seeded duration in [minMs, maxMs]. */
  | { readonly kind: 'sleep'; readonly minMs: number; readonly maxMs: number }
  /** Until the worker gets SIGTERM, then a seeded duration in [0, afterTermMaxMs]. */
  | { readonly kind: 'until-term'; readonly afterTermMaxMs: number };

/**
 * One consumer of `group`; SIGTERM closes its bus with `closeTimeoutMs`
 * (handlers still running then are abandoned: their signal aborts).
 */
export interface ConsumerConfig extends WorkerBase {
  readonly role: 'consumer';
  readonly group: string;
  readonly consumer: string;
  readonly concurrency: number;
  readonly batchSize?: number | undefined;
  readonly blockMs?: number | undefined;
  readonly work: Work;
  readonly closeTimeoutMs: number;
  /** The bus option `idleConsumerTimeoutMs` (removal of idle consumers holding nothing). @default the bus's */
  readonly idleConsumerTimeoutMs?: number | undefined;
}

/**
 * Consumer start/stop cycles in one process: cycle i makes a bus,
 * subscribes consumer `<prefix>-<i>`, handles `perCycle` events (or stops at
 * `cycleDeadlineMs`) and closes the bus. In cycle `crashInCycle` the process
 * kills itself with SIGKILL while a handler runs; in the cycles of
 * `abandonIn` a handler outlives `closeTimeoutMs` (an abandoned close).
 */
export interface CyclerConfig extends WorkerBase {
  readonly role: 'cycler';
  readonly group: string;
  readonly prefix: string;
  readonly cycles: number;
  readonly perCycle: number;
  readonly workMs: number;
  readonly cycleDeadlineMs: number;
  readonly closeTimeoutMs: number;
  readonly crashInCycle: number | null;
  readonly abandonIn: readonly number[];
}

/**
 * A realtime subscriber of `channel` (every param open) that reports each
 * message; its handler works `busyMs` synchronously per message (a slow
 * handler: the event loop, and so the socket, is not read meanwhile).
 */
export interface RealtimeConfig extends WorkerBase {
  readonly role: 'realtime';
  readonly channel: string;
  readonly busyMs: number;
}

export type WorkerConfig = PublisherConfig | ConsumerConfig | CyclerConfig | RealtimeConfig;

/** The environment variable a worker reads its config from. */
export const WORKER_ENV = 'LEDGER_WORKER';
