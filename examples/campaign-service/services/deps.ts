/** What every service of the demo gets: where to tell what it did, the run, and a publisher. */
import type { Publisher } from '../../../generated/index.js';
import type { Account } from '../account.js';
import { type CampaignRun, isOurs } from '../campaign.js';

/** The dependencies of a demo service. */
export interface ServiceDeps {
  readonly account: Account;
  readonly run: CampaignRun;
  /** For follow-up events a service publishes. */
  readonly publisher: Publisher;
}

/**
 * Whether an event about `campaignId` belongs to this run. Events of
 * earlier runs (a shared Redis) are counted and acked without a word.
 */
export function belongsToRun(deps: ServiceDeps, campaignId: string): boolean {
  if (isOurs(deps.run, campaignId)) return true;
  deps.account.foreign++;
  return false;
}
