/**
 * The checker of the fault suite: from a ledger (what every worker process
 * said it did) and what the stream holds at the end, what happened to each
 * publish and each event, for one consumer group. Jepsen's total-queue idea:
 * every acknowledged publish must come out (at least once), and whatever did
 * not is named. Pure: no Redis, no clock.
 */
import type { Handling, LedgerRecord, PublishAcked, StoredEntry } from './ledger-records.js';

/** How to judge one group. */
export interface CheckOptions {
  readonly group: string;
  /** The stream's entries at the end, when the scenario read them back (else stored = handled). */
  readonly stored?: readonly StoredEntry[] | undefined;
  /**
   * Acknowledged publishes the fault destroyed by design (a DEL, a FLUSHALL, a
   * hard-cap trim): counted as `exempt`, not `lost`.
   */
  readonly exempt?: ((acked: PublishAcked) => boolean) | undefined;
}

/** What happened to the publishes and to the group's handling (counts of distinct event ids). */
export interface GroupCounts {
  readonly group: string;
  /** Event ids a publisher tried to publish. */
  readonly attempted: number;
  /** Ids a publish resolved for. */
  readonly acknowledged: number;
  /** Ids only ever rejected with a `ConnectionError` (nothing written). */
  readonly notWritten: number;
  /** Of those, ids the stream holds or a group handled anyway: a publish that lied. */
  readonly notWrittenStored: number;
  /** Ids whose publish ended `PublishOutcomeUnknownError`, never resolved. */
  readonly unknown: number;
  /** Of those, ids that were stored after all (in the stream or handled). */
  readonly unknownStored: number;
  /** Ids with a try that never settled (a hung promise, or a publisher killed meanwhile). */
  readonly unresolved: number;
  /** Ids rejected with an error that is no `ConnectionError`. */
  readonly otherFailures: number;
  /** Ids the stream holds more than once (read back at the end). */
  readonly storedTwice: number;
  /** Ids the group handled (a handler resolved). */
  readonly handled: number;
  /** Acknowledged ids (not exempt) the group never handled. */
  readonly lost: number;
  /** The lost ids. */
  readonly lostIds: readonly string[];
  /** Acknowledged ids the fault destroyed by design (see {@link CheckOptions.exempt}). */
  readonly exempt: number;
  /** Of the exempt ids, those the group handled before they were destroyed. */
  readonly exemptHandled: number;
  /** Ids the group handled more than once. */
  readonly duplicated: number;
  /** The duplicated ids. */
  readonly duplicatedIds: readonly string[];
  /** Handlings beyond the first of each id. */
  readonly redeliveries: number;
  /**
   * Ids handled after a fault: by a consumer process other than the first
   * that started them, or on a later attempt.
   */
  readonly recovered: number;
  /** Ids the group handled that no publisher attempted. */
  readonly unexpected: number;
}

type Outcome = 'acked' | 'unresolved' | 'unknown' | 'other' | 'not-written';

interface Publication {
  tries: number;
  settled: number;
  acked: PublishAcked | undefined;
  unknown: boolean;
  other: boolean;
  notWritten: boolean;
}

/** Counts for `options.group` from `records` (see {@link GroupCounts}). */
export function checkGroup(records: readonly LedgerRecord[], options: CheckOptions): GroupCounts {
  const publications = publicationsOf(records);
  const outcomes = new Map<string, Outcome>();
  for (const [id, p] of publications) outcomes.set(id, outcomeOf(p));
  const handlings = records
    .filter((r): r is Handling => 'group' in r && r.group === options.group)
    .sort((a, b) => a.at - b.at);
  const handledCount = new Map<string, number>();
  const firstStart = new Map<string, Handling>();
  const firstHandled = new Map<string, Handling>();
  for (const h of handlings) {
    if (h.kind === 'started' && !firstStart.has(h.eventId)) firstStart.set(h.eventId, h);
    if (h.kind !== 'handled') continue;
    handledCount.set(h.eventId, (handledCount.get(h.eventId) ?? 0) + 1);
    if (!firstHandled.has(h.eventId)) firstHandled.set(h.eventId, h);
  }
  const seenAnywhere = new Set(
    records.filter((r): r is Handling => 'group' in r).map((h) => h.eventId),
  );
  const storedCount = new Map<string, number>();
  for (const e of options.stored ?? []) {
    storedCount.set(e.eventId, (storedCount.get(e.eventId) ?? 0) + 1);
    seenAnywhere.add(e.eventId);
  }

  const count = (outcome: Outcome, stored?: boolean) =>
    [...outcomes].filter(
      ([id, o]) => o === outcome && (stored === undefined || seenAnywhere.has(id) === stored),
    ).length;
  const lostIds: string[] = [];
  let exempt = 0;
  let exemptHandled = 0;
  for (const [id, p] of publications) {
    if (p.acked === undefined) continue;
    if (options.exempt?.(p.acked)) {
      exempt++;
      if (handledCount.has(id)) exemptHandled++;
    } else if (!handledCount.has(id)) lostIds.push(id);
  }
  let recovered = 0;
  for (const [id, handled] of firstHandled) {
    const started = firstStart.get(id) ?? handled;
    const otherProcess = started.pid !== handled.pid || started.consumer !== handled.consumer;
    if (handled.attempt > 1 || otherProcess) recovered++;
  }
  const counts = [...handledCount.values()];
  const duplicatedIds = [...handledCount].filter(([, n]) => n > 1).map(([id]) => id);
  return {
    group: options.group,
    attempted: publications.size,
    acknowledged: count('acked'),
    notWritten: count('not-written'),
    notWrittenStored: count('not-written', true),
    unknown: count('unknown'),
    unknownStored: count('unknown', true),
    unresolved: count('unresolved'),
    otherFailures: count('other'),
    storedTwice: [...storedCount.values()].filter((n) => n > 1).length,
    handled: handledCount.size,
    lost: lostIds.length,
    lostIds,
    exempt,
    exemptHandled,
    duplicated: duplicatedIds.length,
    duplicatedIds,
    redeliveries: counts.reduce((sum, n) => sum + n - 1, 0),
    recovered,
    unexpected: [...handledCount.keys()].filter((id) => !publications.has(id)).length,
  };
}

function publicationsOf(records: readonly LedgerRecord[]): Map<string, Publication> {
  const publications = new Map<string, Publication>();
  const of = (id: string) => {
    let p = publications.get(id);
    if (p === undefined) {
      p = {
        tries: 0,
        settled: 0,
        acked: undefined,
        unknown: false,
        other: false,
        notWritten: false,
      };
      publications.set(id, p);
    }
    return p;
  };
  for (const r of records) {
    if (r.kind === 'attempted') of(r.eventId).tries++;
    else if (r.kind === 'acked') {
      const p = of(r.eventId);
      p.settled++;
      p.acked ??= r;
    } else if (r.kind === 'failed') {
      const p = of(r.eventId);
      p.settled++;
      if (r.outcome === 'unknown') p.unknown = true;
      else if (r.outcome === 'other') p.other = true;
      else p.notWritten = true;
    }
  }
  return publications;
}

function outcomeOf(p: Publication): Outcome {
  if (p.acked !== undefined) return 'acked';
  if (p.settled < p.tries) return 'unresolved';
  if (p.unknown) return 'unknown';
  if (p.other) return 'other';
  return 'not-written';
}

/** A run of consecutive realtime messages a subscriber missed. */
export interface RealtimeGap {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly count: number;
}

/** What one realtime subscriber received of what one publisher sent. */
export interface RealtimeCounts {
  /** Realtime publishes of the publisher that resolved. */
  readonly sent: number;
  /** Distinct messages of the publisher the subscriber received. */
  readonly received: number;
  readonly missing: number;
  /** Maximal runs of missed messages, in publish order. */
  readonly gaps: readonly RealtimeGap[];
}

/** Realtime delivery from `publisher` (worker name) to `subscriber` (worker name). */
export function checkRealtime(
  records: readonly LedgerRecord[],
  publisher: string,
  subscriber: string,
): RealtimeCounts {
  const sent = new Map<string, number>();
  for (const r of records) {
    if (r.kind === 'acked' && r.worker === publisher) sent.set(r.eventId, r.seq);
  }
  const received = new Set<string>();
  for (const r of records) {
    if (r.kind === 'received' && r.worker === subscriber && sent.has(r.eventId)) {
      received.add(r.eventId);
    }
  }
  const missedSeqs = [...sent]
    .filter(([id]) => !received.has(id))
    .map(([, seq]) => seq)
    .sort((a, b) => a - b);
  const gaps: RealtimeGap[] = [];
  const sentSeqs = [...sent.values()].sort((a, b) => a - b);
  const next = new Map(sentSeqs.map((seq, i) => [seq, sentSeqs[i + 1]]));
  for (const seq of missedSeqs) {
    const last = gaps.at(-1);
    if (last !== undefined && next.get(last.lastSeq) === seq) {
      gaps[gaps.length - 1] = { firstSeq: last.firstSeq, lastSeq: seq, count: last.count + 1 };
    } else gaps.push({ firstSeq: seq, lastSeq: seq, count: 1 });
  }
  return { sent: sent.size, received: received.size, missing: missedSeqs.length, gaps };
}
