/**
 * A worker process of the fault suite: a publisher, a consumer, a churn of
 * consumers or a realtime subscriber, reporting everything it does to the
 * test process's ledger as JSON lines (see config.ts, report.ts). Started by
 * tests/faults/support/workers.ts with `node --import tsx`.
 */
import { WORKER_ENV, type WorkerConfig } from './config.js';
import { runConsumer } from './consumer.js';
import { runConsumerCycles } from './consumer-cycles.js';
import { runPublisher } from './publisher.js';
import { runRealtimeSubscriber } from './realtime-subscriber.js';

const raw = process.env[WORKER_ENV];
if (raw === undefined) throw new Error(`worker: ${WORKER_ENV} is not set`);
const config = JSON.parse(raw) as WorkerConfig;

function run(config: WorkerConfig): Promise<void> {
  switch (config.role) {
    case 'publisher':
      return runPublisher(config);
    case 'consumer':
      return runConsumer(config);
    case 'cycler':
      return runConsumerCycles(config);
    case 'realtime':
      return runRealtimeSubscriber(config);
  }
}

run(config).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`worker ${config.name} failed: ${(error as Error)?.stack ?? error}\n`);
    process.exit(1);
  },
);
