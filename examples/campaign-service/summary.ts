/** The closing lines of the demo's account: where the campaign ended, who did what, the bus's counters. */
import type { BusStats } from 'schemabus';
import type { Account } from './account.js';

/** What the summary reports. */
export interface SummaryFacts {
  readonly campaignName: string;
  /** The status lifecycle-service ended with. */
  readonly finalStatus: string | undefined;
  /** The running groups, in order. */
  readonly groups: readonly string[];
  readonly stats: BusStats;
  /** Dead letters of this run still in the DLQ. */
  readonly deadLettersLeft: number;
}

/** Writes the summary lines to `account`. */
export function writeSummary(account: Account, facts: SummaryFacts): void {
  account.text(
    `  campaign "${facts.campaignName}" ended ${facts.finalStatus ?? 'unknown'} (as lifecycle-service saw it)`,
  );
  for (const service of facts.groups) {
    const handled = account.handled.filter((h) => h.service === service);
    const failed = account.failures.filter((f) => f.service === service);
    const replays = handled.filter((h) => h.replay).length;
    const notes = [
      failed.length > 0 &&
        `${failed.length} failed ${failed.length === 1 ? 'delivery' : 'deliveries'}`,
      replays > 0 && `${replays} from the DLQ replay`,
    ].filter(Boolean);
    const extra = notes.length > 0 ? ` (${notes.join(', ')})` : '';
    account.text(`  ${service.padEnd(18)} handled ${handled.length}${extra}`);
  }
  const s = facts.stats;
  account.text(
    `  bus stats: published ${s.published}, delivered ${s.delivered}, acked ${s.acked}, ` +
      `retried ${s.retried}, dead-lettered ${s.deadLettered}, skipped ${s.skipped}`,
  );
  account.text(
    facts.deadLettersLeft === 0
      ? '  DLQ: no dead letter of this run left'
      : `  DLQ: ${facts.deadLettersLeft} dead letters of this run left`,
  );
  if (account.foreign > 0) {
    account.text(`  (acked ${account.foreign} deliveries of earlier runs without handling them)`);
  }
}
