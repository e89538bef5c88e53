/**
 * The dead-letter queue of one stream: the stream `{ns:stream}:dlq`, one
 * entry per dead letter (the `dlq:*` fields of runtime/internal/dead-letter-fields.ts,
 * then the original entry's fields). Replay appends the original fields plus
 * `replayfor=<group>` to the main stream and deletes the DLQ entry in one
 * script, so only the failing group sees the event again, with fresh attempts.
 */

import type {
  DeadLetter,
  DeadLetterFilter,
  DeadLetterListOptions,
  DeadLetterQueue,
  Published,
} from '../bus.js';
import type { CatalogStream } from '../catalog.js';
import { CatalogMismatchError } from '../errors.js';
import {
  decodeDeadLetter,
  matchesDeadLetterFilter,
  replayFields,
} from '../internal/dead-letter-fields.js';
import { logReplayed } from '../internal/log-fields.js';
import type { PartitionKeys } from '../internal/partitions.js';
import type { BusContext } from './bus-context.js';
import { readError, writeError } from './redis-errors.js';
import type { RetentionKeeper } from './retention-keeper.js';
import { compareIds, isStreamId } from './stream-ids.js';

const PAGE = 200;

type RawDlqEntry = [id: string, fields: string[]];

/**
 * `bus.dlq(stream)` on Redis; on a partitioned stream, the DLQ of one
 * partition (`keys`), replaying to that partition's stream key (the bus
 * combines them: internal/partition-dead-letters.ts).
 */
export class RedisDeadLetterQueue implements DeadLetterQueue {
  constructor(
    private readonly ctx: BusContext,
    private readonly stream: CatalogStream,
    private readonly retention: RetentionKeeper,
    private readonly keys: PartitionKeys = { index: 0, key: stream.key, dlqKey: stream.dlqKey },
  ) {}

  async list(options: DeadLetterListOptions = {}): Promise<DeadLetter[]> {
    const limit = options.count ?? 100;
    const found: DeadLetter[] = [];
    if (limit <= 0) return found;
    await this.scan(options, options.after, (letter) => {
      found.push(letter);
      return found.length < limit;
    });
    return found;
  }

  async count(): Promise<number> {
    try {
      return await this.ctx.connections.command.xlen(this.keys.dlqKey);
    } catch (error) {
      throw readError(
        error,
        `XLEN of the DLQ of "${this.stream.name}"`,
        this.ctx.connections.label,
      );
    }
  }

  /** Replays dead letter `id`; a `CatalogMismatchError` when there is none (replayed or purged already). */
  async replay(id: string): Promise<Published> {
    const published = await this.replayOne(id);
    if (published === undefined) {
      throw new CatalogMismatchError(
        `no dead letter "${id}" in the DLQ of stream "${this.stream.name}" (${this.keys.dlqKey}); list the DLQ for current ids (it may have been replayed or purged already)`,
      );
    }
    return published;
  }

  async replayAll(filter: DeadLetterFilter = {}): Promise<number> {
    const ids: string[] = [];
    await this.scan(filter, undefined, (letter) => {
      ids.push(letter.id);
      return true;
    });
    let replayed = 0;
    for (const id of ids) if ((await this.replayOne(id)) !== undefined) replayed++;
    return replayed;
  }

  /** Reads the dead letter, then appends it for its group and deletes it in one script (if still there). */
  private async replayOne(id: string): Promise<Published | undefined> {
    const { command, label } = this.ctx.connections;
    if (!isStreamId(id)) return undefined;
    let entries: RawDlqEntry[];
    try {
      entries = (await command.xrange(this.keys.dlqKey, id, id)) as RawDlqEntry[];
    } catch (error) {
      throw readError(error, `reading dead letter ${id}`, label);
    }
    const entry = entries[0];
    if (entry === undefined) return undefined;
    const letter = decodeDeadLetter(this.stream.name, entry[0], entry[1]);
    let entryId: string | null;
    try {
      entryId = await command.schemabusReplay(
        this.keys.key,
        this.keys.dlqKey,
        id,
        ...replayFields(letter),
      );
    } catch (error) {
      throw writeError(error, `replay of dead letter ${id}`, label);
    }
    if (entryId === null) return undefined;
    this.retention.notePublish(this.stream, 1, this.keys.key);
    logReplayed(this.ctx.logger, letter, entryId);
    return {
      id: letter.event?.id ?? '',
      type: letter.type ?? '',
      entryId,
      stream: this.stream.name,
    };
  }

  async purge(filter: DeadLetterFilter = {}): Promise<number> {
    const { command, label } = this.ctx.connections;
    const all =
      filter.group === undefined &&
      filter.type === undefined &&
      filter.reason === undefined &&
      filter.ids === undefined;
    try {
      if (all) {
        const replies =
          (await command.multi().xlen(this.keys.dlqKey).del(this.keys.dlqKey).exec()) ?? [];
        const [error, length] = replies[0] ?? [new Error('no reply')];
        if (error) throw error;
        return Number(length);
      }
      const ids: string[] = [];
      await this.scan(filter, undefined, (letter) => {
        ids.push(letter.id);
        return true;
      });
      let deleted = 0;
      for (let i = 0; i < ids.length; i += 500) {
        deleted += await command.xdel(this.keys.dlqKey, ...ids.slice(i, i + 500));
      }
      return deleted;
    } catch (error) {
      throw writeError(error, `purge of the DLQ of "${this.stream.name}"`, label);
    }
  }

  /** Calls `visit` for each matching dead letter, oldest first, while it returns true. */
  private async scan(
    filter: DeadLetterFilter,
    after: string | undefined,
    visit: (letter: DeadLetter) => boolean,
  ): Promise<void> {
    const { command, label } = this.ctx.connections;
    try {
      if (filter.ids !== undefined) {
        const sorted = filter.ids.filter(isStreamId).sort(compareIds);
        for (const id of sorted) {
          if (after !== undefined && compareIds(id, after) <= 0) continue;
          const [entry] = (await command.xrange(this.keys.dlqKey, id, id)) as RawDlqEntry[];
          if (entry === undefined) continue;
          const letter = decodeDeadLetter(this.stream.name, entry[0], entry[1]);
          if (matchesDeadLetterFilter(letter, filter) && !visit(letter)) return;
        }
        return;
      }
      let start = after === undefined ? '-' : `(${after}`;
      for (;;) {
        const page = (await command.xrange(
          this.keys.dlqKey,
          start,
          '+',
          'COUNT',
          PAGE,
        )) as RawDlqEntry[];
        for (const [id, fields] of page) {
          const letter = decodeDeadLetter(this.stream.name, id, fields);
          if (matchesDeadLetterFilter(letter, filter) && !visit(letter)) return;
        }
        if (page.length < PAGE) return;
        start = `(${page[page.length - 1]![0]}`;
      }
    } catch (error) {
      throw readError(error, `reading the DLQ of "${this.stream.name}"`, label);
    }
  }
}
