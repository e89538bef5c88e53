/**
 * email-service: renders and sends requested email notifications, then
 * publishes `notification.delivered`. A request for a template that is not
 * deployed cannot succeed by retrying: the handler throws
 * `NonRetryableError`, so the event goes to the DLQ at once. Once the
 * template is deployed, the dead letter is replayed to this group only.
 */
import { NonRetryableError } from 'schemabus';
import type { EmailServiceHandlers } from '../../../generated/index.js';
import { belongsToRun, type ServiceDeps } from './deps.js';

/** The group name of the service. */
export const EMAIL_SERVICE = 'email-service';

/** An email service reporting to `deps.account`. */
export function createEmailService(deps: ServiceDeps): EmailServiceHandlers {
  const { account, run, publisher } = deps;
  return {
    async notificationRequested(event, ctx) {
      const { campaignId, notificationId, template, recipient, channel } = event.data;
      if (!belongsToRun(deps, campaignId)) return;
      if (!run.deployedTemplates.has(template)) {
        const error = new NonRetryableError(
          `template "${template}" is not deployed; deploy it, then replay the dead letter`,
        );
        account.noteFailure(EMAIL_SERVICE, event, ctx, error, false);
        throw error;
      }
      account.noteHandled(EMAIL_SERVICE, event, ctx, `sent "${template}" to ${recipient}`);
      await account.publish(
        EMAIL_SERVICE,
        'notification.delivered',
        `"${template}" reached ${recipient}`,
        () =>
          publisher.notificationDelivered(
            { notificationId, channel, deliveredAt: new Date().toISOString() },
            {
              causationId: event.id,
              ...(event.correlationid !== undefined && { correlationId: event.correlationid }),
            },
          ),
      );
    },
  };
}
