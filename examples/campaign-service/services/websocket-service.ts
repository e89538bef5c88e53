/**
 * websocket-service: forwards notification requests and outcomes to open
 * dashboards. It shares `notification-events` with email-service, so it is
 * the witness that a DLQ replay for email-service is not delivered to it again.
 */
import type { WebsocketServiceHandlers } from '../../../generated/index.js';
import { shortId } from '../campaign.js';
import { belongsToRun, type ServiceDeps } from './deps.js';

/** The group name of the service. */
export const WEBSOCKET_SERVICE = 'websocket-service';

/** A websocket service reporting to `deps.account`. */
export function createWebsocketService(deps: ServiceDeps): WebsocketServiceHandlers {
  const { account, run } = deps;
  // Outcomes carry no campaign id: tell this run's by notification id.
  const ours = new Set([run.startedNotificationId, run.exhaustedNotificationId]);
  const outcomeIsOurs = (notificationId: string) =>
    belongsToRun(deps, ours.has(notificationId) ? run.campaignId : '');
  return {
    async notificationRequested(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      const note = `pushed "${event.data.template}" request ${shortId(event.data.notificationId)}`;
      account.noteHandled(WEBSOCKET_SERVICE, event, ctx, note);
    },
    async notificationDelivered(event, ctx) {
      if (!outcomeIsOurs(event.data.notificationId)) return;
      const note = `pushed delivery of ${shortId(event.data.notificationId)}`;
      account.noteHandled(WEBSOCKET_SERVICE, event, ctx, note);
    },
    async notificationFailed(event, ctx) {
      if (!outcomeIsOurs(event.data.notificationId)) return;
      const note = `pushed failure of ${shortId(event.data.notificationId)}`;
      account.noteHandled(WEBSOCKET_SERVICE, event, ctx, note);
    },
  };
}
