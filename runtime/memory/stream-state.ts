/** Everything the in-memory bus keeps for one stream: the log, its groups and its DLQ. */
import type {
  DeadLetter,
  DeadLetterQueue,
  DeadLetterReason,
  Envelope,
  GroupBootstrap,
  Logger,
  Published,
  StreamBootstrap,
  StreamInspection,
} from '../bus.js';
import type { CatalogGroup, CatalogStream } from '../catalog.js';
import { replayFields } from '../internal/dead-letter-fields.js';
import { deliveryFields, logDeadLettered, logReplayed } from '../internal/log-fields.js';
import type { BusMetrics } from '../internal/metrics.js';
import type { PartitionKeys } from '../internal/partitions.js';
import type { StatsCounter } from '../internal/stats.js';
import type { Clock } from './clock.js';
import { GroupState, type PendingEntry } from './group-state.js';
import { DeadLetterStore, MemoryDeadLetterQueue } from './memory-dead-letter-queue.js';
import { PartitionAssignment } from './partition-assignment.js';
import { applyRetention, isLaggingPastRetention } from './retention.js';
import { type LogEntry, StreamLog } from './stream-log.js';

/** What a stream reports to. */
export interface StreamDeps {
  readonly clock: Clock;
  readonly stats: StatsCounter;
  readonly metrics: BusMetrics;
  readonly logger: Logger;
}

/** One stream of the in-memory bus, or one partition of a partitioned stream. */
export class StreamState {
  readonly name: string;
  /** Its stream key: the stream's, or the partition's. */
  readonly key: string;
  readonly dlqKey: string;
  /** The partition index (0 for an unpartitioned stream). */
  readonly index: number;
  readonly log = new StreamLog();
  readonly groups = new Map<string, GroupState>();
  /** The values of `groups`, for the publish path (no iterator per publish). */
  readonly #groupList: GroupState[] = [];
  readonly dlq: DeadLetterStore;
  readonly dlqApi: MemoryDeadLetterQueue;
  /** `dlqApi` as the bus hands it out: refusing once the bus is closed. */
  guardedDlq: DeadLetterQueue | undefined;

  constructor(
    readonly def: CatalogStream,
    private readonly deps: StreamDeps,
    partition: PartitionKeys = { index: 0, key: def.key, dlqKey: def.dlqKey },
  ) {
    this.name = def.name;
    this.key = partition.key;
    this.dlqKey = partition.dlqKey;
    this.index = partition.index;
    this.dlq = new DeadLetterStore(def.name, deps.clock);
    this.dlqApi = new MemoryDeadLetterQueue(this.dlq, (letter) => this.#replay(letter));
  }

  /** The state of `group` on this stream, created (from its `startFrom`) on first use. */
  ensureGroup(group: CatalogGroup): GroupState {
    let state = this.groups.get(group.name);
    if (state === undefined) {
      state = new GroupState(
        group,
        this.log,
        this.deps.clock,
        PartitionAssignment.of(this.def, this.index),
      );
      this.groups.set(group.name, state);
      this.#groupList.push(state);
    }
    return state;
  }

  /**
   * Creates the catalogue's groups of this stream that do not exist yet and
   * says what it did. The stream "existed" once it had an entry or a group,
   * as a Redis stream key exists once XADD or XGROUP CREATE MKSTREAM ran.
   */
  bootstrap(): StreamBootstrap {
    const existed = this.log.length > 0 || this.groups.size > 0;
    const groups = Object.values(this.def.groups).map((group): GroupBootstrap => {
      const status = this.groups.has(group.name) ? 'found' : 'created';
      this.ensureGroup(group);
      return { name: group.name, startFrom: group.startFrom, status };
    });
    return {
      name: this.name,
      key: this.key,
      dlqKey: this.dlqKey,
      status: existed ? 'found' : groups.length > 0 ? 'created' : 'absent',
      groups,
      unknownGroups: [],
    };
  }

  /**
   * Appends an entry (`fields`, or a validated `envelope`: see LogEntry),
   * applies retention (sparing what groups still need) and wakes the groups.
   */
  append(
    fields: readonly string[] | undefined,
    now: number = this.deps.clock.now(),
    envelope?: Envelope,
  ): LogEntry {
    const entry = this.log.append(fields, now, envelope);
    applyRetention(this.log, this.def.retention, this.#groupList, now);
    for (const group of this.#groupList) group.schedule();
    return entry;
  }

  /** Whether a group with live consumers has more than `limit` entries not handed to it yet. */
  backlogAbove(limit: number): boolean {
    for (const group of this.#groupList) if (group.backlog > limit) return true;
    return false;
  }

  /**
   * Moves `pending` to the DLQ for its group (or drops it when the group's
   * `dlq` is false) and acks it for that group only.
   */
  deadLetter(
    state: GroupState,
    pending: PendingEntry,
    reason: DeadLetterReason,
    error: string,
    attempts: number = pending.deliveries,
  ): void {
    const now = this.deps.clock.now();
    const group = state.group;
    const fields = pending.entry.fields;
    const type = pending.entry.type;
    if (group.dlq) {
      this.dlq.add(
        {
          group: group.name,
          entryId: pending.entry.id,
          reason,
          error,
          attempts,
          firstFailureAt: new Date(pending.firstFailureAt ?? now).toISOString(),
          lastFailureAt: new Date(pending.lastFailureAt ?? now).toISOString(),
        },
        fields,
      );
    }
    const site = { stream: this.name, group: group.name, consumer: pending.owner };
    logDeadLettered(
      this.deps.logger,
      deliveryFields(site, pending.entry.id, pending.entry.envelope, attempts, type),
      { reason, error, dlq: group.dlq },
    );
    state.ack(pending);
    this.deps.stats.deadLettered++;
    this.deps.metrics.consumed(this.name, group.name, type, 'dead_lettered');
  }

  /** The stream as `inspect()` reports it. */
  inspect(): StreamInspection {
    const now = this.deps.clock.now();
    return {
      name: this.name,
      key: this.key,
      length: this.log.length,
      entriesAdded: this.log.endPos,
      firstEntryId: this.log.first?.id ?? null,
      lastEntryId: this.log.last?.id ?? null,
      dlqLength: this.dlq.size,
      groups: [...this.groups.values()]
        .sort((a, b) => (a.group.name < b.group.name ? -1 : 1))
        .map((g) => g.inspect(isLaggingPastRetention(this.log, this.def.retention, g, now))),
    };
  }

  /** Stops every group's timers (bus closing). */
  stop(): void {
    for (const group of this.#groupList) group.stop();
  }

  #replay(letter: DeadLetter): Published {
    const entry = this.append(replayFields(letter));
    logReplayed(this.deps.logger, letter, entry.id);
    return {
      id: letter.event?.id ?? '',
      type: letter.type ?? '',
      entryId: entry.id,
      stream: this.name,
    };
  }
}
