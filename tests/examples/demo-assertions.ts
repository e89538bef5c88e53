/** What every demo run must show, on either bus: the retry, the dead letter, the replay. */
import { expect } from 'vitest';
import type { DemoResult } from '../../examples/campaign-service/run-demo.js';

/** Asserts the structured result and a few lines of the account of one demo run. */
export function expectCompleteDemo(result: DemoResult, text: string): void {
  // The transient failure: analytics-service fails campaign.created once, then handles it.
  const created = result.published.find((p) => p.type === 'campaign.created');
  expect(created).toBeDefined();
  expect(result.failures).toContainEqual(
    expect.objectContaining({
      service: 'analytics-service',
      type: 'campaign.created',
      eventId: created?.eventId,
      attempt: 1,
      retryable: true,
    }),
  );
  expect(result.handled).toContainEqual(
    expect.objectContaining({
      service: 'analytics-service',
      eventId: created?.eventId,
      attempt: 2,
      replay: false,
    }),
  );

  // The permanent failure: straight to the DLQ for email-service only.
  const letter = result.deadLetter;
  expect(letter).toMatchObject({
    stream: 'notification-events',
    group: 'email-service',
    reason: 'non-retryable',
    attempts: 1,
    type: 'notification.requested',
  });
  expect(letter.error).toContain('template "budget-exhausted" is not deployed');
  const request = result.published.filter((p) => p.type === 'notification.requested').at(-1);
  expect(letter.event?.id).toBe(request?.eventId);

  // The replay: handled by email-service (fresh attempts), not by websocket-service again.
  expect(result.replay.group).toBe('email-service');
  expect(result.replay.handled).toMatchObject({
    service: 'email-service',
    eventId: request?.eventId,
    attempt: 1,
    replay: true,
  });
  const sameEvent = result.handled.filter((h) => h.eventId === request?.eventId);
  expect(sameEvent.map((h) => `${h.service}:${h.replay}`).sort()).toEqual([
    'email-service:true',
    'websocket-service:false',
  ]);

  // The rest of the story.
  expect(result.finalStatus).toBe('paused');
  expect(result.realtime.map((r) => r.type)).toEqual([
    'campaign.status-changed',
    'campaign.status-changed',
    'campaign.budget-exhausted',
    'campaign.status-changed',
  ]);
  expect(result.stats).toMatchObject({ retried: 1, deadLettered: 1 });
  expect(text).toContain(
    'analytics-service  FAILED campaign.created (attempt 1/6): analytics warehouse timed out',
  );
  expect(text).toContain('analytics-service  handled campaign.created (attempt 2/6)');
  expect(text).toMatch(
    /DLQ {16}notification-events \S+: notification.requested for group email-service, reason non-retryable/,
  );
  expect(text).toContain('handled notification.requested (attempt 1/5, replayed from the DLQ)');
  expect(text).toContain('DLQ: no dead letter of this run left');
  expect(result.lines.join('\n')).toBe(text.trimEnd());
}
