/**
 * The dashboard: a realtime subscriber of channel `campaign-status` for this
 * run's campaign, through the generated `onCampaignStatus`. At most once and
 * only while subscribed: it shows live status, it is not a record.
 */
import type { EventBus, Unsubscribe } from 'schemabus';
import { type CampaignStatusMessage, onCampaignStatus } from '../../generated/index.js';
import type { Account } from './account.js';
import { type CampaignRun, formatMoney, shortId } from './campaign.js';

/** What the dashboard shows for one message. */
export function describeStatus(message: CampaignStatusMessage): string {
  const campaign = `campaign ${shortId(message.data.campaignId)}`;
  if (message.type === 'campaign.status-changed') {
    return `${campaign} is ${message.data.to} (was ${message.data.from})`;
  }
  return `${campaign} spent its budget: ${formatMoney(message.data.spent)}`;
}

/** Subscribes the dashboard; resolves once subscribed, with the function that unsubscribes. */
export function watchCampaignStatus(
  bus: EventBus,
  run: CampaignRun,
  account: Account,
): Promise<Unsubscribe> {
  return onCampaignStatus(bus, { campaignId: run.campaignId }, (message, channel) => {
    account.noteRealtime({
      channel,
      type: message.type,
      eventId: message.id,
      status: describeStatus(message),
    });
  });
}
