/**
 * In-memory bus throughput: the generated publisher (validation on) ->
 * InMemoryEventBus -> a no-op handler, 1000 publishes in flight, against a
 * Node EventEmitter carrying the same payload objects (no validation, no
 * envelope: the floor).
 */
import { EventEmitter } from 'node:events';
import { campaignCreated } from '../support/payload.js';
import { runInFlight } from '../support/redis-helpers.js';
import {
  createPublisher,
  type Flavor,
  flavors,
  lifecycleHandlers,
  subscribeLifecycleService,
} from '../support/schemabus.js';
import { ratePerSecond } from '../support/stats.js';
import type { Case } from '../support/types.js';

const POOL = 1024;
const payloads = Array.from({ length: POOL }, () => campaignCreated());
const IN_FLIGHT = 1000;
const TIMEOUT_MS = 60_000;

async function schemabusMemory(flavor: Flavor, n: number) {
  const bus = flavor.memoryBus();
  try {
    let handled = 0;
    let target = 0;
    let finish: () => void = () => {};
    const handler = async () => {
      if (++handled === target) finish();
    };
    const sub = subscribeLifecycleService(bus, lifecycleHandlers(handler), { concurrency: 100 });
    const publisher = createPublisher(bus);
    const send = (i: number) => publisher.campaignCreated(payloads[i % POOL]!);
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
    await round(Math.min(5000, n / 10));
    const t0 = performance.now();
    await round(n);
    const rate = ratePerSecond(n, t0, performance.now());
    await sub.close({ timeoutMs: 5000 });
    return { rate };
  } finally {
    await bus.close();
  }
}

async function eventEmitter(n: number) {
  const emitter = new EventEmitter();
  let handled = 0;
  emitter.on('campaign.created', async () => {
    handled++;
  });
  const send = async (i: number) => {
    emitter.emit('campaign.created', payloads[i % POOL]);
  };
  await runInFlight(Math.min(5000, n / 10), IN_FLIGHT, send);
  const t0 = performance.now();
  await runInFlight(n, IN_FLIGHT, send);
  const rate = ratePerSecond(n, t0, performance.now());
  if (handled === 0) throw new Error('no event handled');
  return { rate };
}

export function memoryBusCase(quick: boolean): Case {
  const n = quick ? 5000 : 200_000;
  return {
    name: 'in-memory',
    title: 'in-memory bus publish -> handle',
    metrics: [{ name: 'rate', unit: 'events/s', better: 'higher' }],
    variants: [
      { name: 'event-emitter', run: () => eventEmitter(n) },
      ...flavors().map((f) => ({ name: `schemabus${f.suffix}`, run: () => schemabusMemory(f, n) })),
    ],
    checks: flavors().flatMap((f) => [
      {
        label: `in-memory publish -> handle${f.suffix} (events/s)`,
        value: `in-memory/schemabus${f.suffix}/rate`,
        target: { op: '>=' as const, bound: 300_000 },
      },
      {
        label: `in-memory bus${f.suffix} / EventEmitter`,
        value: `in-memory/schemabus${f.suffix}/rate`,
        over: 'in-memory/event-emitter/rate',
      },
    ]),
  };
}
