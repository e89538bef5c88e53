/**
 * Child process of the in-memory case (bench/cases/memory-bus.ts): measures
 * one side in a fresh process, so what ran before in the bench's own process
 * does not count, and answers `{ rate }` over IPC.
 *
 *   argv: <kind> <flavor> <redis url> <count>
 *   kind: event-emitter | pure (the in-memory bus alone) |
 *         after-redis (a Redis publish + consume round first, its bus closed, then the in-memory bus)
 *   flavor: schemabus | schemabus+base
 */
import { EventEmitter } from 'node:events';
import { campaignCreated } from './payload.js';
import { runInFlight } from './redis-helpers.js';
import {
  createPublisher,
  type EventBus,
  type Flavor,
  flavorNamed,
  lifecycleHandlers,
  subscribeLifecycleService,
} from './schemabus.js';
import { ratePerSecond } from './stats.js';

const IN_FLIGHT = 1000;
const TIMEOUT_MS = 60_000;

/**
 * Publishes fresh payloads on `bus` to a subscription of concurrency
 * `concurrency` (no-op handlers); `round(count)` resolves once all `count`
 * are handled.
 */
function publishAndHandle(bus: EventBus, concurrency: number) {
  let handled = 0;
  let target = 0;
  let finish: () => void = () => {};
  const sub = subscribeLifecycleService(
    bus,
    lifecycleHandlers(async () => {
      if (++handled === target) finish();
    }),
    { concurrency },
  );
  const publisher = createPublisher(bus);
  const send = () => publisher.campaignCreated(campaignCreated());
  const round = async (count: number) => {
    const done = new Promise<void>((resolve, reject) => {
      finish = resolve;
      setTimeout(
        () => reject(new Error(`handled ${handled} of ${target} in ${TIMEOUT_MS} ms`)),
        TIMEOUT_MS,
      ).unref();
    });
    target = handled + count;
    await runInFlight(count, IN_FLIGHT, send);
    await done;
  };
  return { round, close: () => sub.close({ timeoutMs: 5000 }) };
}

/** publish -> handle on `bus` after a warm-up round; events per second. */
async function timeBus(bus: EventBus, n: number, concurrency: number): Promise<number> {
  try {
    const { round, close } = publishAndHandle(bus, concurrency);
    await round(Math.min(5000, n / 10));
    const t0 = performance.now();
    await round(n);
    const rate = ratePerSecond(n, t0, performance.now());
    await close();
    return rate;
  } finally {
    await bus.close();
  }
}

/** The floor: a Node EventEmitter carrying fresh payloads (no validation, no envelope). */
async function eventEmitter(n: number): Promise<number> {
  const emitter = new EventEmitter();
  let handled = 0;
  emitter.on('campaign.created', async () => {
    handled++;
  });
  const send = async () => {
    emitter.emit('campaign.created', campaignCreated());
  };
  await runInFlight(Math.min(5000, n / 10), IN_FLIGHT, send);
  const t0 = performance.now();
  await runInFlight(n, IN_FLIGHT, send);
  const rate = ratePerSecond(n, t0, performance.now());
  if (handled === 0) throw new Error('no event handled');
  return rate;
}

/** What a service did before using the in-memory bus: publish and consume on Redis. */
async function redisRound(flavor: Flavor, url: string, count: number): Promise<void> {
  const bus = flavor.redisBus(url);
  await bus.bootstrap();
  await timeBus(bus, count, 10);
}

async function main(): Promise<number> {
  const [kind = '', flavorName = 'schemabus', url = '', countText = '0'] = process.argv.slice(2);
  const n = Number(countText);
  if (kind === 'event-emitter') return eventEmitter(n);
  const flavor = await flavorNamed(flavorName);
  if (kind === 'after-redis') await redisRound(flavor, url, Math.min(50_000, n / 4));
  else if (kind !== 'pure') throw new Error(`unknown kind ${kind}`);
  return timeBus(flavor.memoryBus(), n, 100);
}

main().then(
  (rate) => {
    // Run alone (to profile it: node --cpu-prof --import tsx ...), it prints the rate.
    if (process.send) process.send({ rate });
    else console.log(`${rate.toFixed(0)} events/s`);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
