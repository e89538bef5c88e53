/**
 * audit-service: keeps a trail of campaign and timer events. One group on
 * two streams: `campaign-events` (only the types it lists; the rest are
 * acked unseen) and `timer-events`.
 */
import type { AuditServiceHandlers } from '../../../generated/index.js';
import { shortId } from '../campaign.js';
import { belongsToRun, type ServiceDeps } from './deps.js';

/** The group name of the service. */
export const AUDIT_SERVICE = 'audit-service';

/** The handlers, plus the trail. */
export interface AuditService extends AuditServiceHandlers {
  /** One line per audited event, in the order handled. */
  readonly trail: readonly string[];
}

/** An audit service reporting to `deps.account`. */
export function createAuditService(deps: ServiceDeps): AuditService {
  const trail: string[] = [];
  const { account } = deps;
  const record = (line: string) => {
    trail.push(line);
    return `trail #${trail.length}`;
  };
  return {
    trail,
    async campaignCreated(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      const note = record(`created by owner ${shortId(event.data.ownerId)}`);
      account.noteHandled(AUDIT_SERVICE, event, ctx, note);
    },
    async campaignStatusChanged(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      const note = record(`status ${event.data.from} -> ${event.data.to}`);
      account.noteHandled(AUDIT_SERVICE, event, ctx, note);
    },
    async campaignDeleted(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      account.noteHandled(AUDIT_SERVICE, event, ctx, record('deleted'));
    },
    async timerScheduled(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      const note = record(`timer ${shortId(event.data.timerId)} set to ${event.data.action}`);
      account.noteHandled(AUDIT_SERVICE, event, ctx, note);
    },
    async timerFired(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      const note = record(`timer ${shortId(event.data.timerId)} ${event.data.outcome}`);
      account.noteHandled(AUDIT_SERVICE, event, ctx, note);
    },
    async timerCancelled(event, ctx) {
      if (!belongsToRun(deps, event.data.campaignId)) return;
      const note = record(`timer ${shortId(event.data.timerId)} cancelled`);
      account.noteHandled(AUDIT_SERVICE, event, ctx, note);
    },
  };
}
