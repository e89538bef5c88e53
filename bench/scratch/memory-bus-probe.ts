/** Scratch: in-memory bus publish -> handle throughput through bus.publish / bus.subscribe directly. */
import { readFileSync } from 'node:fs';
import { loadCatalog } from '../../generator/catalog/index.js';
import { InMemoryEventBus } from '../../runtime/index.js';
import { campaignCreated } from '../support/payload.js';
import { runInFlight } from '../support/redis-helpers.js';

const loaded = loadCatalog(readFileSync('events.schema.yaml', 'utf8'), 'events.schema.yaml');
if (!loaded.ok) throw new Error('catalogue does not load');
const catalog = loaded.model.catalog;
const payloads = Array.from({ length: 1024 }, () => campaignCreated());
const n = Number(process.argv[2] ?? 200_000);
const bus = new InMemoryEventBus({ catalog });
let handled = 0;
let target = 0;
let finish: () => void = () => {};
const h = async () => {
  if (++handled === target) finish();
};
const sub = bus.subscribe(
  'lifecycle-service',
  Object.fromEntries(catalog.streams['campaign-events']!.events.map((t) => [t, h])),
  { concurrency: 100 },
);
const round = async (count: number) => {
  const done = new Promise<void>((r) => {
    finish = r;
  });
  target = handled + count;
  await runInFlight(count, 1000, (i) => bus.publish('campaign.created', payloads[i & 1023]));
  await done;
};
for (let r = 0; r < 4; r++) {
  const t0 = performance.now();
  await round(n);
  console.log(`round ${r}: ${((n * 1000) / (performance.now() - t0)).toFixed(0)} events/s`);
}
await sub.close();
await bus.close();
