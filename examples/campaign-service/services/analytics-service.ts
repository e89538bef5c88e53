/**
 * analytics-service: counts campaign events. Its warehouse times out on the
 * first delivery of `campaign.created`, a transient failure: the handler
 * throws, the bus retries with backoff, the second attempt succeeds.
 */
import type { AnalyticsServiceHandlers } from '../../../generated/index.js';
import { formatMoney } from '../campaign.js';
import { belongsToRun, type ServiceDeps } from './deps.js';

/** The group name of the service. */
export const ANALYTICS_SERVICE = 'analytics-service';

/** The handlers, plus the counts. */
export interface AnalyticsService extends AnalyticsServiceHandlers {
  /** Events counted, by type. */
  readonly counts: ReadonlyMap<string, number>;
}

/** An analytics service reporting to `deps.account`. */
export function createAnalyticsService(deps: ServiceDeps): AnalyticsService {
  const counts = new Map<string, number>();
  const { account } = deps;
  const count = (type: string) => counts.set(type, (counts.get(type) ?? 0) + 1);
  return {
    counts,
    async campaignCreated(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      if (ctx.attempt === 1) {
        const error = new Error('analytics warehouse timed out (simulated, transient)');
        account.noteFailure(ANALYTICS_SERVICE, event, ctx, error, true);
        throw error;
      }
      count(event.type);
      const note = `budget ${formatMoney(event.data.budget)} recorded`;
      account.noteHandled(ANALYTICS_SERVICE, event, ctx, note);
    },
    async campaignStatusChanged(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      count(event.type);
      account.noteHandled(ANALYTICS_SERVICE, event, ctx, `time in ${event.data.from} closed`);
    },
    async campaignBudgetExhausted(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      count(event.type);
      account.noteHandled(ANALYTICS_SERVICE, event, ctx, 'spend curve closed');
    },
    async campaignUpdated(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      count(event.type);
      account.noteHandled(ANALYTICS_SERVICE, event, ctx, 'counted');
    },
    async campaignDeleted(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      count(event.type);
      account.noteHandled(ANALYTICS_SERVICE, event, ctx, 'counted');
    },
  };
}
