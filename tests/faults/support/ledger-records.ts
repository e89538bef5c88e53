/**
 * What a worker process of the fault suite reports, one JSON line per
 * record on its stdout: the ledger the checker reads. The ledger lives in
 * the test process, outside the Redis server the scenario faults, so a
 * server that loses data cannot take the evidence with it.
 */

/** Fields every record has: which worker said it, from which process, when (epoch ms). */
interface RecordBase {
  readonly worker: string;
  readonly pid: number;
  readonly at: number;
}

/** A publish is about to be sent (`attempt` counts tries of the same event id, from 1). */
export interface PublishAttempted extends RecordBase {
  readonly kind: 'attempted';
  readonly eventId: string;
  readonly seq: number;
  readonly attempt: number;
}

/** A publish resolved: Redis stored it (`entryId` is empty for a realtime-only event). */
export interface PublishAcked extends RecordBase {
  readonly kind: 'acked';
  readonly eventId: string;
  readonly seq: number;
  readonly attempt: number;
  readonly entryId: string;
}

/**
 * A publish rejected: `not-written` for a `ConnectionError` (Redis refused it
 * or it was never sent), `unknown` for a `PublishOutcomeUnknownError` (it may
 * have been stored), `other` for anything else (a bug of the bus or the test).
 */
export interface PublishFailed extends RecordBase {
  readonly kind: 'failed';
  readonly eventId: string;
  readonly seq: number;
  readonly attempt: number;
  readonly outcome: 'not-written' | 'unknown' | 'other';
  readonly error: string;
  readonly code: string | undefined;
  readonly message: string;
}

/**
 * A handler of a consumer group: `started` when it was called, `handled`
 * when it resolved (the entry is acked after that), `abandoned` when it gave
 * up because its `ctx.signal` aborted (close gave up waiting for it).
 */
export interface Handling extends RecordBase {
  readonly kind: 'started' | 'handled' | 'abandoned';
  readonly group: string;
  readonly consumer: string;
  readonly eventId: string;
  readonly entryId: string;
  readonly attempt: number;
}

/** A realtime message a subscriber received. */
export interface RealtimeReceived extends RecordBase {
  readonly kind: 'received';
  readonly eventId: string;
  readonly seq: number;
}

/** A notice, warning or error the bus logged in the worker. */
export interface WorkerLog extends RecordBase {
  readonly kind: 'log';
  readonly level: 'info' | 'warn' | 'error';
  readonly msg: string;
}

/**
 * The worker's life: `ready` (subscribed, or about to publish), `cycle` (a
 * consumer of the churn scenario closed after `detail` handlings), `stopped`
 * (closed its bus), with the bus's counters when it has them.
 */
export interface WorkerState extends RecordBase {
  readonly kind: 'ready' | 'cycle' | 'stopped';
  readonly consumer?: string | undefined;
  readonly detail?: number | undefined;
  readonly stats?: Readonly<Record<string, number>> | undefined;
}

export type LedgerRecord =
  | PublishAttempted
  | PublishAcked
  | PublishFailed
  | Handling
  | RealtimeReceived
  | WorkerLog
  | WorkerState;

/** An entry read back from the stream at the end of a scenario. */
export interface StoredEntry {
  readonly entryId: string;
  readonly eventId: string;
}

/** Whether a parsed stdout line is a ledger record. */
export function isLedgerRecord(line: unknown): line is LedgerRecord {
  return (
    typeof line === 'object' &&
    line !== null &&
    typeof (line as { kind?: unknown }).kind === 'string' &&
    typeof (line as { pid?: unknown }).pid === 'number'
  );
}
