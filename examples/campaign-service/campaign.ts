/**
 * The campaign one demo run follows: fresh ids every run, so a run on a
 * shared Redis can tell its own events from those of earlier runs.
 */
import { randomUUID } from 'node:crypto';
import type { Money } from '../../generated/index.js';

/** Template the email service has not deployed when the run starts. */
export const MISSING_TEMPLATE = 'budget-exhausted';

/** Ids and facts of the campaign of one run, plus what the "operator" changed. */
export interface CampaignRun {
  readonly campaignId: string;
  readonly ownerId: string;
  readonly ownerEmail: string;
  readonly name: string;
  readonly budget: Money;
  readonly timerId: string;
  /** The notification the email service sends at once. */
  readonly startedNotificationId: string;
  /** The notification whose template is missing: dead-lettered, then replayed. */
  readonly exhaustedNotificationId: string;
  /** Email templates the email service can render; the operator adds the missing one. */
  readonly deployedTemplates: Set<string>;
}

/** A campaign with fresh ids. */
export function newCampaignRun(): CampaignRun {
  return {
    campaignId: randomUUID(),
    ownerId: randomUUID(),
    ownerEmail: 'owner@example.com',
    name: 'Spring sale',
    budget: { amount: 50_000, currency: 'EUR' },
    timerId: randomUUID(),
    startedNotificationId: randomUUID(),
    exhaustedNotificationId: randomUUID(),
    deployedTemplates: new Set(['campaign-started']),
  };
}

/** Whether `campaignId` is this run's campaign (a shared Redis may hold earlier runs' events). */
export function isOurs(run: CampaignRun, campaignId: string): boolean {
  return campaignId === run.campaignId;
}

/** `500.00 EUR` for `{ amount: 50000, currency: 'EUR' }`. */
export function formatMoney(money: Money): string {
  return `${(money.amount / 100).toFixed(2)} ${money.currency}`;
}

/** The first 8 characters of an id, enough to tell ids apart in the account. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
