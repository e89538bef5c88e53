/**
 * `schemabus inspect --watch [SECONDS]`: inspects again every SECONDS until
 * the user stops it (SIGINT). On a terminal each inspection redraws the
 * screen in place (clear, home); otherwise each is printed as a block after
 * the last; with `--json`, one JSON document per line (NDJSON). Between two
 * inspections it shows rates: entries added per second to each stream,
 * entries acked per second by each group.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { LiveIo } from '../command.js';
import { type InspectionRates, ratesBetween } from './inspection-rates.js';
import {
  findingLines,
  findingsOf,
  inspectionTable,
  type StreamReport,
  withMissingGroups,
} from './inspection-report.js';
import type { RedisSession } from './redis-session.js';

/** Erase the screen, cursor to the top left. */
export const CLEAR_SCREEN = '\u001b[2J\u001b[H';

/** Inspects every `seconds` and writes each inspection to `live` until its signal aborts. */
export async function watchInspection(
  session: RedisSession,
  seconds: number,
  json: boolean,
  live: LiveIo,
): Promise<void> {
  let previous: { at: number; streams: readonly StreamReport[] } | undefined;
  while (!live.signal.aborted) {
    const inspection = await session.bus.inspect();
    const at = Date.now();
    const streams = withMissingGroups(session.catalog, inspection);
    const rates = previous && ratesBetween(previous.streams, streams, (at - previous.at) / 1000);
    previous = { at, streams };
    if (live.signal.aborted) break;
    live.out(
      json
        ? `${JSON.stringify(jsonFrame(session, at, streams, rates))}\n`
        : textFrame(session, at, seconds, streams, rates ?? null, live.stdoutIsTTY),
    );
    await sleep(seconds * 1000, undefined, { signal: live.signal }).catch(() => undefined);
  }
}

function textFrame(
  session: RedisSession,
  at: number,
  seconds: number,
  streams: readonly StreamReport[],
  rates: InspectionRates | null,
  tty: boolean,
): string {
  const lines = [
    `Redis at ${session.label}, namespace ${session.catalog.namespace} (${session.schemaPath}), ${new Date(at).toISOString()}, every ${seconds} s; Ctrl-C stops`,
    '',
    ...inspectionTable(streams, rates),
    '',
    ...findingLines(findingsOf(streams, session.catalog)),
  ];
  // On a terminal the next inspection replaces this one; elsewhere they follow one another.
  return tty ? `${CLEAR_SCREEN}${lines.join('\n')}\n` : `${lines.join('\n')}\n\n`;
}

/** One NDJSON document: the inspection with the rates in its streams and groups (null on the first). */
function jsonFrame(
  session: RedisSession,
  at: number,
  streams: readonly StreamReport[],
  rates: InspectionRates | undefined,
) {
  return {
    at: new Date(at).toISOString(),
    redis: session.label,
    namespace: session.catalog.namespace,
    streams: streams.map((stream) => ({
      ...stream,
      addedPerSecond: rates?.added(stream.name) ?? null,
      groups: stream.groups.map((group) => ({
        ...group,
        ackedPerSecond: rates?.acked(stream.name, group.name) ?? null,
      })),
    })),
    findings: findingsOf(streams, session.catalog),
  };
}
