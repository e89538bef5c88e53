/**
 * The demo, end to end: bootstrap, five services and a dashboard, the
 * campaign's life published, a transient failure retried, a permanent one
 * dead-lettered, the dead letter replayed to its group only, a summary.
 * Waits on conditions with a deadline, never for a fixed time, and always
 * closes the bus.
 *
 * On Redis it works in the catalogue's namespace (`campaigns`, fixed by the
 * generated code) on a fresh or a used server: bootstrap is idempotent, the
 * consumer names are fixed, and the run tells its events from earlier runs'
 * by fresh ids. Another process consuming the same groups at the same time
 * would take some of its events, and the run would time out saying which.
 */
import {
  type BusStats,
  createBus,
  type DeadLetter,
  type EventBus,
  InMemoryEventBus,
  redactUrl,
  type Unsubscribe,
} from 'schemabus';
import { bootstrap, type CampaignStatus, catalog, createPublisher } from '../../generated/index.js';
import {
  Account,
  type FailureRecord,
  type HandledRecord,
  type Out,
  type PublishedRecord,
  type RealtimeRecord,
} from './account.js';
import { MISSING_TEMPLATE, newCampaignRun, shortId } from './campaign.js';
import { watchCampaignStatus } from './dashboard.js';
import { listed, missingDeliveries } from './expectations.js';
import { CAMPAIGN_SERVICE, publishCampaignLife } from './publish-life.js';
import { EMAIL_SERVICE, startServices, WEBSOCKET_SERVICE } from './services/index.js';
import { writeSummary } from './summary.js';
import { DemoError, waitUntil, withDeadline } from './wait.js';

/** How long each step may wait for what it expects. @default 10000 */
export const DEFAULT_DEMO_TIMEOUT_MS = 10_000;
/** How long connecting to Redis may take. */
const CONNECT_TIMEOUT_MS = 5_000;
/** How long closing the bus may take. */
const CLOSE_TIMEOUT_MS = 5_000;
/** The stream of the notification that is dead-lettered. */
const NOTIFICATIONS = 'notification-events';
/** Realtime messages the dashboard gets: three status changes and the budget exhaustion. */
const EXPECTED_REALTIME = 4;

/** Options of {@link runDemo}. */
export interface RunDemoOptions {
  /** Run on Redis at this URL; the in-memory bus when absent or empty. */
  readonly redisUrl?: string;
  /** Where the account is written, line by line. */
  readonly out: Out;
  /** How long each step may wait. @default DEFAULT_DEMO_TIMEOUT_MS */
  readonly timeoutMs?: number;
}

/** What a demo run did, for tests and tools. */
export interface DemoResult {
  readonly bus: 'in-memory' | 'redis';
  readonly campaignId: string;
  readonly published: readonly PublishedRecord[];
  readonly handled: readonly HandledRecord[];
  readonly failures: readonly FailureRecord[];
  readonly realtime: readonly RealtimeRecord[];
  /** The dead letter of the notification whose template was missing. */
  readonly deadLetter: DeadLetter;
  /** The replay of that dead letter and its handling. */
  readonly replay: {
    readonly dlqId: string;
    readonly group: string;
    readonly entryId: string;
    readonly handled: HandledRecord;
  };
  readonly finalStatus: CampaignStatus | undefined;
  readonly stats: BusStats;
  /** Deliveries of earlier runs' events (shared Redis), acked unhandled. */
  readonly foreign: number;
  readonly lines: readonly string[];
}

/**
 * Runs the demo on the in-memory bus, or on Redis when `redisUrl` is given,
 * writing its account to `out`. Rejects with a `DemoError` when a step does
 * not happen in time (saying what was missing), with a `ConnectionError`
 * when Redis cannot be reached.
 */
export async function runDemo(options: RunDemoOptions): Promise<DemoResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DEMO_TIMEOUT_MS;
  const redisUrl = options.redisUrl || undefined;
  const account = new Account(options.out);
  const run = newCampaignRun();
  account.text(
    redisUrl === undefined
      ? 'schemabus demo: the campaign service on the in-memory bus (--redis URL or REDIS_URL runs it on Redis)'
      : `schemabus demo: the campaign service on Redis at ${redactUrl(redisUrl)} (namespace "${catalog.namespace}")`,
  );
  const bus =
    redisUrl === undefined
      ? new InMemoryEventBus({ catalog })
      : createBus({ catalog, url: redisUrl });
  let stopDashboard: Unsubscribe | undefined;
  let bootstrapped = false;
  try {
    // A ConnectionError saying why (refused, unknown host, wrong password) when Redis is not there.
    await bus.waitUntilReady({ timeoutMs: CONNECT_TIMEOUT_MS });
    await bootstrap(bus);
    bootstrapped = true;
    const publisher = createPublisher(bus, { meta: { correlationId: run.campaignId } });
    const services = startServices(bus, { account, run, publisher });
    stopDashboard = await watchCampaignStatus(bus, run, account);
    account.text(`  streams and groups bootstrapped; running: ${services.groups.join(', ')}`);
    account.text(
      `  dashboard watching campaign ${shortId(run.campaignId)} on channel campaign-status`,
    );

    account.text();
    account.text("1. The campaign service publishes the campaign's life; the services handle it");
    await publishCampaignLife(publisher, run, account);
    const request = lastRequest(account.published);
    const failing = [{ service: EMAIL_SERVICE, eventId: request.eventId }];
    const emailsPublished = () => account.published.filter((p) => p.by === EMAIL_SERVICE).length;
    await waitUntil(
      () =>
        missingDeliveries(account, catalog, services.groups, failing).length === 0 &&
        emailsPublished() >= 1 &&
        account.realtime.length >= EXPECTED_REALTIME,
      () =>
        `every delivery (missing: ${listed(missingDeliveries(account, catalog, services.groups, failing))}), ` +
        `realtime messages (${account.realtime.length} of ${EXPECTED_REALTIME})`,
      timeoutMs,
    );
    const letter = await waitUntil(
      () => findDeadLetter(bus, request.eventId),
      () => `the dead letter of ${request.type} ${request.eventId} in the DLQ of ${NOTIFICATIONS}`,
      timeoutMs,
    );

    account.text();
    account.text('2. The dead-letter queue holds the event email-service could not handle');
    account.say(
      'DLQ',
      `${NOTIFICATIONS} ${letter.id}: ${letter.type} for group ${letter.group}, reason ${letter.reason}, ` +
        `${letter.attempts} attempt(s), error "${letter.error}"`,
    );

    account.text();
    account.text(
      '3. The operator fixes the cause and replays the dead letter to email-service only',
    );
    run.deployedTemplates.add(MISSING_TEMPLATE);
    account.say('operator', `deployed template "${MISSING_TEMPLATE}"`);
    account.say(
      'operator',
      `replays ${letter.id}: the event goes back on ${NOTIFICATIONS} with replayfor=${letter.group}`,
    );
    const replayed = await bus.dlq(NOTIFICATIONS).replay(letter.id);
    const handled = await waitUntil(
      () =>
        missingDeliveries(account, catalog, services.groups).length === 0 && emailsPublished() >= 2
          ? account.handled.find((h) => h.replay && h.eventId === request.eventId)
          : undefined,
      () =>
        `the replay handled (missing: ${listed(missingDeliveries(account, catalog, services.groups))})`,
      timeoutMs,
    );
    const seen = account.handled.filter(
      (h) => h.service === WEBSOCKET_SERVICE && h.eventId === request.eventId,
    ).length;
    account.say(
      WEBSOCKET_SERVICE,
      `did not get the replay (it is for ${letter.group}): handled the "${MISSING_TEMPLATE}" request ${seen === 1 ? 'once' : `${seen} times`}, before the DLQ`,
    );
    const left = (await findDeadLetter(bus, request.eventId)) === undefined ? 0 : 1;

    account.text();
    account.text('4. Summary');
    const stats = bus.stats();
    const finalStatus = services.lifecycle.statusOf(run.campaignId);
    writeSummary(account, {
      campaignName: run.name,
      finalStatus,
      groups: services.groups,
      stats,
      deadLettersLeft: left,
    });
    return {
      bus: redisUrl === undefined ? 'in-memory' : 'redis',
      campaignId: run.campaignId,
      published: account.published,
      handled: account.handled,
      failures: account.failures,
      realtime: account.realtime,
      deadLetter: letter,
      replay: {
        dlqId: letter.id,
        group: letter.group,
        entryId: replayed.entryId ?? '',
        handled,
      },
      finalStatus,
      stats,
      foreign: account.foreign,
      lines: account.lines,
    };
  } finally {
    await stopDashboard?.().catch(() => undefined);
    // Bounded, and not awaited when Redis never answered: closing then waits
    // for ioredis's reconnect attempts (see "Requests from F" in notes/runtime-plan.md).
    const closed = withDeadline(bus.close({ timeoutMs: 2000 }), CLOSE_TIMEOUT_MS, 'close');
    if (bootstrapped) await closed.catch(() => undefined);
    else closed.catch(() => undefined);
  }
}

/** The last `notification.requested` the campaign service published (the one that fails). */
function lastRequest(published: readonly PublishedRecord[]): PublishedRecord {
  const requests = published.filter(
    (p) => p.by === CAMPAIGN_SERVICE && p.type === 'notification.requested',
  );
  const last = requests[requests.length - 1];
  if (last === undefined) throw new DemoError('the campaign service published no notification');
  return last;
}

/** The dead letter of event `eventId` for email-service, looked up page by page. */
async function findDeadLetter(bus: EventBus, eventId: string): Promise<DeadLetter | undefined> {
  const dlq = bus.dlq(NOTIFICATIONS);
  let after: string | undefined;
  for (;;) {
    const page = await dlq.list({
      group: EMAIL_SERVICE,
      type: 'notification.requested',
      count: 100,
      ...(after !== undefined && { after }),
    });
    const found = page.find((letter) => letter.event?.id === eventId);
    if (found !== undefined || page.length < 100) return found;
    after = page[page.length - 1]?.id;
  }
}
