/**
 * The events the bench sends: `campaign.created` of the example catalogue with
 * a 300-byte JSON payload, and `system.alert` (realtime only). Latency runs
 * carry the send time (`performance.now()`, one process) at the start of a
 * string field, so the receiver reads it back with `parseFloat`.
 */
import { randomUUID } from 'node:crypto';
import type { Envelope } from '../../runtime/bus.js';
import { encodeEnvelope } from '../../runtime/internal/entry-codec.js';
import { newEventId } from '../../runtime/internal/ids.js';

/** JSON size of `data` the consume and publish cases use. */
export const PAYLOAD_BYTES = 300;

export const CAMPAIGN_CREATED = 'campaign.created';
export const SYSTEM_ALERT = 'system.alert';
export const CAMPAIGN_STREAM = 'campaign-events';
/** The Redis key of stream `campaign-events` (catalog.streams['campaign-events'].key). */
export const CAMPAIGN_STREAM_KEY = '{campaigns:campaign-events}';

export interface CampaignCreated {
  campaignId: string;
  name: string;
  budget: { amount: number; currency: string };
  ownerId: string;
  startsAt: string;
  endsAt: string;
  tags: string[];
  createdAt: string;
}

const STARTS_AT = '2026-03-01T08:00:00.000Z';
const ENDS_AT = '2026-03-31T20:00:00.000Z';

function campaign(name: string): CampaignCreated {
  return {
    campaignId: randomUUID(),
    name,
    budget: { amount: 125_000, currency: 'EUR' },
    ownerId: randomUUID(),
    startsAt: STARTS_AT,
    endsAt: ENDS_AT,
    tags: ['spring', 'newsletter', 'emea'],
    createdAt: new Date().toISOString(),
  };
}

const BASE_NAME = 'Spring sale';
const NAME_PAD = PAYLOAD_BYTES - JSON.stringify(campaign(BASE_NAME)).length;
/** The padded name, made once: a payload is a fresh object, its constant strings are shared. */
const NAME = BASE_NAME + ' '.repeat(Math.max(0, NAME_PAD));

/**
 * A fresh, valid `campaign.created` payload (two new UUIDs, the current time)
 * whose JSON is exactly {@link PAYLOAD_BYTES} bytes: what a producer builds
 * per publish. Every producer of the bench's timed loops calls it once per send.
 */
export function campaignCreated(): CampaignCreated {
  return campaign(NAME);
}

/** A `campaign.created` payload carrying `sentAt` (ms, `performance.now()`) in its name. */
export function timedCampaignCreated(sentAt: number): CampaignCreated {
  const data = campaignCreated();
  const stamp = sentAt.toFixed(4);
  data.name = stamp + data.name.slice(stamp.length);
  return data;
}

/** A valid `system.alert` payload carrying `sentAt` in its message. */
export function timedSystemAlert(sentAt: number): {
  alertId: string;
  severity: 'warning';
  message: string;
  raisedAt: string;
} {
  return {
    alertId: randomUUID(),
    severity: 'warning',
    message: `${sentAt.toFixed(4)} disk almost full on worker-7`,
    raisedAt: new Date().toISOString(),
  };
}

/** The send time a timed payload carries in its first string field. */
export function sentAtOf(text: string): number {
  return Number.parseFloat(text);
}

const SOURCE = 'campaign-service';

/** A fresh `campaign.created` envelope of `data`, as publish makes it (UUIDv7 id, the current time). */
export function campaignEnvelope(data: CampaignCreated = campaignCreated()): Envelope {
  const now = Date.now();
  return {
    specversion: '1.0',
    id: newEventId(now),
    source: SOURCE,
    type: CAMPAIGN_CREATED,
    time: new Date(now).toISOString(),
    datacontenttype: 'application/json',
    data,
  };
}

/**
 * The stream entry fields of one `campaign.created` envelope, exactly as the
 * runtime encodes them (stored format 1: `type`, `v1`).
 */
export function campaignCreatedFields(envelope: Envelope = campaignEnvelope()): string[] {
  return encodeEnvelope(envelope);
}

/** Index of the JSON document (`v1`, whose `data` is the payload) in {@link campaignCreatedFields}. */
export const DATA_FIELD_INDEX = 3;

/**
 * The same two fields as format 1, built by hand the way a raw producer
 * would: a random UUID, `new Date().toISOString()` and one `JSON.stringify`
 * of a document holding `data`.
 */
export function handBuiltFields(data: CampaignCreated): string[] {
  const document = { id: randomUUID(), source: SOURCE, time: new Date().toISOString(), data };
  return ['type', CAMPAIGN_CREATED, 'v1', JSON.stringify(document)];
}

/**
 * What a user writes instead of schemabus: one field, `event`, holding the
 * whole envelope as JSON (every CloudEvents attribute, `data` last).
 */
export function singleFieldEntry(envelope: Envelope = campaignEnvelope()): string[] {
  return ['event', JSON.stringify(envelope)];
}

/** Index of the envelope JSON (whose `data` is the payload) in {@link singleFieldEntry}. */
export const SINGLE_FIELD_INDEX = 1;
