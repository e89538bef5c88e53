/**
 * Batches the XADDs of one tick per stream into one `schemabusAppendBatch`
 * script call (scripts/append-batch.lua): the events published in the same
 * synchronous run (1000 publishes in flight, a `publishBatch`) cost one
 * ioredis command instead of one each. Flushed on the microtask queue, so no
 * timer delay is added; a batch is capped in entries and characters; a batch
 * of one is a plain XADD (cheaper for Redis, and what low rates send).
 *
 * Outcomes: an XADD Redis refused inside the script fails only its own
 * publish (a `ReplyError`: nothing was written for it); a batch whose
 * command failed as a whole fails every publish of it, with the command's
 * error (a reply error before the script ran: nothing written; a lost
 * connection or an error while the script ran: outcome unknown).
 */
import { ReplyError } from 'ioredis';
import { FORMAT_FIELD } from '../internal/entry-codec.js';
import { RawScript, respArg } from './raw-script-call.js';
import type { RedisClient } from './redis-client.js';
import { RoutedCommand } from './routed-command.js';
import { APPEND_BATCH_LUA } from './scripts/lua.js';

const APPEND_SCRIPT = new RawScript(APPEND_BATCH_LUA);

/**
 * Most entries in one script call; more publishes in the same tick start a
 * new batch, sent at once. Small on purpose: Redis runs the first batch while
 * this process still encodes the next, so the two overlap. Measured with 100
 * and 1000 publishes in flight and publishBatch(100) x 10: 32 beat 500 by
 * 1.2-1.7x; 16 and 64 were between.
 */
const MAX_APPEND_BATCH = 32;
/** Most characters of arguments in one script call (~1-3 MB on the wire). */
const MAX_BATCH_CHARS = 1 << 20;

/**
 * Told the outcome of appends: one call per append, once Redis replied
 * (callbacks rather than a promise per append, so that a publishBatch of
 * 100 makes one promise, not 100). Must not throw.
 */
export interface AppendReceiver {
  /**
   * Append `index` was stored as `entryId` (`error` undefined), or not
   * (`error` says why); `replicas`: how many acknowledged it, when the
   * batcher waits for replicas.
   */
  appended(index: number, entryId: string | undefined, error: unknown, replicas?: number): void;
}

/**
 * Called for every command the batcher sent to `key` (the command that
 * carried it is asked once `written` settled); resolves with how many
 * replicas acknowledged it (replica-wait.ts).
 */
export type AfterWrite = (
  key: string,
  written: Promise<unknown>,
  carrier: () => RoutedCommand | undefined,
) => Promise<number>;

interface Batch {
  readonly key: string;
  /** The fields of the first entry (a batch of one is sent as a plain XADD). */
  readonly first: readonly string[];
  /** The RESP of the script's ARGV after `n`: `w1 ...fields1 w2 ...fields2 ...`. */
  args: string;
  /** How many arguments `args` holds. */
  argc: number;
  readonly receivers: AppendReceiver[];
  /** Per append, the index its receiver knows it by. */
  readonly indexes: number[];
  /** Replicas that acknowledged the batch, when the batcher waits for them. */
  replicas?: number;
}

/** The XADD batching of one command connection. */
export class AppendBatcher {
  private readonly open = new Map<string, Batch>();
  private scheduled = false;

  constructor(
    private readonly client: RedisClient,
    /** When set, every batch settles only once this resolved (waiting for replicas). */
    private readonly afterWrite?: AfterWrite,
  ) {}

  /** Whether appends wait to be sent. */
  get pending(): boolean {
    return this.open.size > 0;
  }

  /** Appends `fields` to stream `key`; `receiver` hears the outcome as append `index`. */
  append(key: string, fields: readonly string[], receiver: AppendReceiver, index: number): void {
    // The entry's arguments first: if that throws, no batch has changed.
    let args = '';
    let argc: number;
    if (fields.length === 4 && fields[0] === 'type' && fields[2] === FORMAT_FIELD) {
      // What publish writes (entry-codec.ts): values only, the script adds the names.
      args = `$2\r\n-2\r\n${respArg(fields[1]!)}${respArg(fields[3]!)}`;
      argc = 3;
    } else {
      args = respArg(String(fields.length));
      for (const f of fields) args += respArg(f);
      argc = fields.length + 1;
    }
    let batch = this.open.get(key);
    if (batch === undefined) {
      batch = {
        key,
        first: fields,
        args,
        argc,
        receivers: [],
        indexes: [],
      };
      this.open.set(key, batch);
    } else {
      batch.args += args;
      batch.argc += argc;
    }
    batch.receivers.push(receiver);
    batch.indexes.push(index);
    if (batch.receivers.length >= MAX_APPEND_BATCH || batch.args.length >= MAX_BATCH_CHARS) {
      this.open.delete(key);
      this.send(batch);
    } else if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flushScheduled);
    }
  }

  /**
   * Sends every open batch now: call it before any other write to a stream
   * (so commands reach Redis in the order they were issued).
   */
  flush(): void {
    if (this.open.size === 0) return;
    const batches = [...this.open.values()];
    this.open.clear();
    for (const batch of batches) this.send(batch);
  }

  private readonly flushScheduled = (): void => {
    this.scheduled = false;
    this.flush();
  };

  private send(batch: Batch): void {
    const n = batch.receivers.length;
    if (n === 1) {
      // A lone publish (low rates) goes as a plain XADD: a script call costs Redis more.
      // Sent at once like the script calls (never through ioredis auto-pipelining), so
      // appends reach Redis in the order they were made.
      const xadd = new RoutedCommand('xadd', [batch.key, '*', ...batch.first], undefined);
      const written = this.client.sendCommand(xadd) as Promise<unknown>;
      this.settleWhen(
        batch,
        written,
        () => xadd,
        (id) => {
          if (typeof id === 'string') settleOne(batch, 0, id, undefined);
          else settleOne(batch, 0, undefined, new Error('no entry id in the XADD reply'));
        },
      );
      return;
    }
    let carrier: RoutedCommand | undefined;
    const args = respArg(String(n)) + batch.args;
    const written = APPEND_SCRIPT.call(this.client, [batch.key], batch.argc + 1, args, (c) => {
      carrier = c;
    });
    this.settleWhen(
      batch,
      written,
      () => carrier,
      (ids) => {
        for (let i = 0; i < n; i++) {
          const id = Array.isArray(ids) ? ids[i] : undefined;
          if (typeof id === 'string' && !id.startsWith('ERR ')) settleOne(batch, i, id, undefined);
          else if (typeof id === 'string')
            settleOne(batch, i, undefined, new ReplyError(id.slice(4)));
          else settleOne(batch, i, undefined, new Error('no reply from Redis for this entry'));
        }
      },
    );
  }

  /**
   * Settles `batch` with `stored(reply)` once `written` succeeded (and, when
   * waiting for replicas, once they answered), or fails every append of it.
   */
  private settleWhen(
    batch: Batch,
    written: Promise<unknown>,
    carrier: () => RoutedCommand | undefined,
    stored: (reply: unknown) => void,
  ): void {
    const replicas = this.afterWrite?.(batch.key, written, carrier);
    written.then(
      (reply) => {
        if (replicas === undefined) return stored(reply);
        void replicas.then((count) => {
          batch.replicas = count;
          stored(reply);
        });
      },
      (error: unknown) => {
        const outcome = wholeBatchError(error);
        for (let i = 0; i < batch.receivers.length; i++) settleOne(batch, i, undefined, outcome);
      },
    );
  }
}

/**
 * The error every publish of a failed batch gets. A reply error from before
 * the script ran (NOSCRIPT is retried by ioredis; OOM, READONLY, NOPERM,
 * BUSY...) wrote nothing and stays a reply error (`ConnectionError`: refused);
 * an error raised while the script ran may follow stored entries, so it is
 * reported as a plain error (`PublishOutcomeUnknownError`).
 */
function wholeBatchError(error: unknown): unknown {
  if (
    error instanceof Error &&
    error.name === 'ReplyError' &&
    /user_script|Error running script/i.test(error.message)
  ) {
    return new Error(error.message);
  }
  return error;
}

function settleOne(batch: Batch, i: number, entryId: string | undefined, error: unknown): void {
  batch.receivers[i]!.appended(batch.indexes[i]!, entryId, error, batch.replicas);
}
