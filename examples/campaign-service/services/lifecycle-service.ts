/**
 * lifecycle-service: keeps the current status of each campaign, checking
 * that every status change starts from the status it knows.
 */
import type { CampaignStatus, LifecycleServiceHandlers } from '../../../generated/index.js';
import { formatMoney } from '../campaign.js';
import { belongsToRun, type ServiceDeps } from './deps.js';

/** The group name of the service. */
export const LIFECYCLE_SERVICE = 'lifecycle-service';

/** The handlers, plus what the service knows. */
export interface LifecycleService extends LifecycleServiceHandlers {
  statusOf(campaignId: string): CampaignStatus | undefined;
}

/** A lifecycle service reporting to `deps.account`. */
export function createLifecycleService(deps: ServiceDeps): LifecycleService {
  const statuses = new Map<string, CampaignStatus>();
  const { account } = deps;
  return {
    statusOf: (campaignId) => statuses.get(campaignId),
    async campaignCreated(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      statuses.set(event.data.campaignId, 'draft');
      account.noteHandled(LIFECYCLE_SERVICE, event, ctx, `"${event.data.name}" is a draft`);
    },
    async campaignStatusChanged(event, ctx) {
      const { campaignId, from, to } = event.data;
      if (!belongsToRun(deps, campaignId)) return;
      const known = statuses.get(campaignId);
      statuses.set(campaignId, to);
      const note = known === from ? `${from} -> ${to}` : `${from} -> ${to} (it knew ${known})`;
      account.noteHandled(LIFECYCLE_SERVICE, event, ctx, note);
    },
    async campaignBudgetExhausted(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      const { spent, budget } = event.data;
      const note = `spent ${formatMoney(spent)} of ${formatMoney(budget)}, pause expected`;
      account.noteHandled(LIFECYCLE_SERVICE, event, ctx, note);
    },
    async campaignUpdated(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      const fields = Object.keys(event.data.changes).join(', ');
      account.noteHandled(LIFECYCLE_SERVICE, event, ctx, `changed ${fields}`);
    },
    async campaignDeleted(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      statuses.delete(event.data.campaignId);
      account.noteHandled(LIFECYCLE_SERVICE, event, ctx, 'forgotten');
    },
  };
}
