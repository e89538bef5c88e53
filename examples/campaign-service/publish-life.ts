/**
 * The life of one campaign, published by the campaign service through the
 * generated publisher: created, scheduled by a timer that fires and starts
 * it, an email to its owner, its budget spent, paused, and an email about
 * that (whose template is missing: see the email service).
 */
import type { Published } from 'schemabus';
import type { CampaignStatus, Publisher } from '../../generated/index.js';
import type { Account } from './account.js';
import { type CampaignRun, formatMoney, MISSING_TEMPLATE, shortId } from './campaign.js';

/** Who publishes the campaign's life in the account. */
export const CAMPAIGN_SERVICE = 'campaign-service';

/** Publishes the campaign's life, in order, each event once the previous one is stored. */
export async function publishCampaignLife(
  publisher: Publisher,
  run: CampaignRun,
  account: Account,
): Promise<void> {
  const say = (type: string, summary: string, send: () => Promise<Published>) =>
    account.publish(CAMPAIGN_SERVICE, type, summary, send);
  const now = () => new Date().toISOString();
  const { campaignId, timerId } = run;
  const statusChange = (from: CampaignStatus, to: CampaignStatus, reason: string, cause?: string) =>
    say('campaign.status-changed', `${from} -> ${to} (${reason})`, () =>
      publisher.campaignStatusChanged(
        { campaignId, from, to, reason, changedAt: now() },
        cause === undefined ? undefined : { causationId: cause },
      ),
    );

  const created = `"${run.name}" ${shortId(campaignId)}, budget ${formatMoney(run.budget)}`;
  await say('campaign.created', created, () =>
    publisher.campaignCreated({
      campaignId,
      name: run.name,
      budget: run.budget,
      ownerId: run.ownerId,
      tags: ['spring', 'demo'],
      createdAt: now(),
    }),
  );
  await statusChange('draft', 'scheduled', 'start timer requested');
  await say('timer.scheduled', `timer ${shortId(timerId)} will start the campaign`, () =>
    publisher.timerScheduled({ timerId, campaignId, fireAt: now(), action: 'start' }),
  );
  const fired = await say('timer.fired', `timer ${shortId(timerId)} fired`, () =>
    publisher.timerFired({
      timerId,
      campaignId,
      firedAt: now(),
      outcome: 'succeeded',
      durationMs: 3,
    }),
  );
  await statusChange('scheduled', 'active', 'start timer fired', fired.id);
  await say('notification.requested', `email "campaign-started" to ${run.ownerEmail}`, () =>
    publisher.notificationRequested({
      notificationId: run.startedNotificationId,
      campaignId,
      recipient: run.ownerEmail,
      channel: 'email',
      template: 'campaign-started',
      variables: { campaign: run.name },
    }),
  );
  const exhausted = await say('campaign.budget-exhausted', `spent ${formatMoney(run.budget)}`, () =>
    publisher.campaignBudgetExhausted({
      campaignId,
      spent: run.budget,
      budget: run.budget,
      exhaustedAt: now(),
    }),
  );
  await statusChange('active', 'paused', 'budget exhausted', exhausted.id);
  await say('notification.requested', `email "${MISSING_TEMPLATE}" to ${run.ownerEmail}`, () =>
    publisher.notificationRequested(
      {
        notificationId: run.exhaustedNotificationId,
        campaignId,
        recipient: run.ownerEmail,
        channel: 'email',
        template: MISSING_TEMPLATE,
        variables: { campaign: run.name, spent: formatMoney(run.budget) },
      },
      { causationId: exhausted.id },
    ),
  );
}
