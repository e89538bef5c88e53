/**
 * `schemabus inspect`'s findings about entries left pending on stopped
 * consumers: reported when nothing running will take them over (no
 * consumer of the group has read lately; on a partition, none holds it),
 * not while a running consumer will claim them or before a consumer counts as stopped.
 */
import type { ConsumerInspection, GroupInspection, PartitionInspection } from 'schemabus';
import { describe, expect, it } from 'vitest';
import {
  findingsOf,
  STOPPED_AFTER_MS,
  type StreamReport,
} from '../../cli/support/inspection-report.js';
import { createTestCatalog } from '../contract/catalog.js';

const catalog = createTestCatalog('findings');
const LONG_AGO = 5 * 60_000;

function consumer(name: string, pending: number, idleMs: number): ConsumerInspection {
  return { name, pending, idleMs };
}

function group(
  name: string,
  consumers: ConsumerInspection[],
  reader?: string | null,
): GroupInspection {
  return {
    name,
    consumers,
    pending: consumers.reduce((sum, c) => sum + c.pending, 0),
    lag: 0,
    lastDeliveredId: '1-0',
    oldestPendingId: null,
    oldestPendingAgeMs: null,
    laggingPastRetention: false,
    ...(reader === undefined ? {} : { reader }),
  };
}

function stream(
  name: string,
  groups: GroupInspection[],
  partitions?: PartitionInspection[],
): StreamReport {
  return {
    name,
    key: `{findings:${name}}`,
    length: 10,
    entriesAdded: 10,
    firstEntryId: '1-0',
    lastEntryId: '10-0',
    dlqLength: 0,
    groups,
    missingGroups: [],
    ...(partitions === undefined ? {} : { partitions }),
  };
}

function partition(index: number, groups: GroupInspection[]): PartitionInspection {
  return {
    index,
    key: `{findings:ledger:p${index}}`,
    dlqKey: `{findings:ledger:p${index}}:dlq`,
    length: 5,
    entriesAdded: 5,
    firstEntryId: '1-0',
    lastEntryId: '5-0',
    dlqLength: 0,
    groups,
  };
}

describe('inspect findings: entries pending on stopped consumers', () => {
  it('names the entries, the stopped consumers and what to do when no consumer of the group reads', () => {
    const findings = findingsOf(
      [
        stream('jobs', [
          group('workers', [
            consumer('host-1-a1b2', 7, LONG_AGO),
            consumer('host-2-c3d4', 2, LONG_AGO + 60_000),
            consumer('host-3-e5f6', 0, LONG_AGO),
          ]),
        ]),
      ],
      catalog,
    );
    expect(findings).toEqual([
      {
        stream: 'jobs',
        group: 'workers',
        message:
          '9 entries of jobs (group workers) wait on stopped consumers host-1-a1b2 (idle 5 min), host-2-c3d4 (idle 6 min) and no consumer of the group has read for 30.0 s (none runs, or the running ones are paused by their circuit breaker): start a consumer of group workers; it takes them over',
      },
    ]);
  });

  it('says nothing while a consumer of the group runs (it claims them), or before a consumer counts as stopped', () => {
    const running = stream('jobs', [
      group('workers', [consumer('gone', 3, LONG_AGO), consumer('alive', 0, 1500)]),
    ]);
    const recent = stream('jobs', [group('workers', [consumer('just-gone', 3, 10_000)])]);
    expect(findingsOf([running, recent], catalog)).toEqual([]);
  });

  it('takes a consumer for stopped after STOPPED_AFTER_MS, or claimIdleMs when that is longer', () => {
    const at = (idleMs: number) => stream('jobs', [group('workers', [consumer('c', 1, idleMs)])]);
    expect(findingsOf([at(STOPPED_AFTER_MS)], catalog)).toEqual([]);
    expect(findingsOf([at(STOPPED_AFTER_MS + 1)], catalog)).toHaveLength(1);
    const slow = structuredClone(catalog);
    (slow.streams.jobs!.groups.workers as { claimIdleMs: number }).claimIdleMs = 600_000;
    expect(findingsOf([at(STOPPED_AFTER_MS + 1)], slow)).toEqual([]);
    expect(findingsOf([at(600_001)], slow)).toHaveLength(1);
  });

  it('on a partitioned stream, reports a partition no consumer holds, not one whose holder will take them over', () => {
    const stopped = consumer('host-1-a1b2', 4, LONG_AGO);
    const findings = findingsOf(
      [
        stream(
          'ledger',
          [group('balances', [stopped])],
          [
            partition(0, [group('balances', [stopped], 'host-9-ffff')]),
            partition(1, [group('balances', [stopped], null)]),
            partition(2, [group('balances', [], null)]),
          ],
        ),
      ],
      catalog,
    );
    expect(findings).toEqual([
      {
        stream: 'ledger',
        group: 'balances',
        message:
          '4 entries of ledger partition p1 (group balances) wait on stopped consumer host-1-a1b2 (idle 5 min) and no consumer holds the partition: start a consumer of group balances; it takes them over',
      },
    ]);
  });
});
