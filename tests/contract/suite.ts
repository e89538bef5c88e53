/**
 * The ONE behaviour suite of the EventBus contract, run against every bus
 * implementation (tests/contract/memory.test.ts, tests/contract/redis.test.ts).
 * A row of DESIGN.md's runtime table has at least one test here. Allowed
 * differences between buses are named in {@link ContractFeatures}.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe } from 'vitest';
import type { Catalog } from '../../runtime/catalog.js';
import type { CreatedBus } from '../../runtime/create-bus.js';
import { circuitBreakerCases } from './cases/circuit-breaker.js';
import { deadLetterCases } from './cases/dead-letters.js';
import { deliveryCases } from './cases/delivery.js';
import { introspectionCases } from './cases/introspection.js';
import { orderingCases } from './cases/ordering.js';
import { partitionCases } from './cases/partitions.js';
import { publishCases } from './cases/publish.js';
import { realtimeCases } from './cases/realtime.js';
import { retentionCases } from './cases/retention.js';
import { retryCases } from './cases/retries.js';
import { setupCases } from './cases/setup.js';
import { shutdownCases, subscriptionStateCases } from './cases/shutdown.js';
import { tracingCases } from './cases/tracing.js';

/** The differences a bus may have, each named for what it changes in the suite. */
export interface ContractFeatures {
  /**
   * Retention trims approximately (Redis `MINID ~` drops whole stream nodes),
   * so after a lagging group caught up the stream may still hold more than
   * `maxLen` entries; the suite then checks only that no group is reported lagging.
   */
  readonly approximateRetention: boolean;
}

/** A bus under test: the contract plus `appendRaw`, which both buses offer (what `createBus` returns). */
export type ContractBus = CreatedBus;

/** What a factory gives each test. */
export interface ContractHarness {
  readonly bus: ContractBus;
  /** The catalogue of the bus (tests/contract/catalog.ts for the test's namespace). */
  readonly catalog: Catalog;
  readonly features: ContractFeatures;
  /** Closes the bus and removes whatever the test left (keys, servers). */
  teardown(): Promise<void>;
}

/** Builds a fresh bus for one test, on its own `namespace`. */
export type ContractFactory = (namespace: string) => Promise<ContractHarness>;

/** Gives the cases the harness of the running test. */
export interface ContractContext {
  /** The harness of the current test (set in beforeEach). */
  readonly h: () => ContractHarness;
}

let counter = 0;

/** A namespace no other test (or run) uses. */
export function uniqueNamespace(): string {
  return `ct-${randomBytes(3).toString('hex')}-${++counter}`;
}

/** Registers the whole contract suite for one bus implementation. */
export function describeContract(name: string, factory: ContractFactory): void {
  describe(`EventBus contract: ${name}`, () => {
    let harness: ContractHarness | undefined;
    beforeEach(async () => {
      harness = await factory(uniqueNamespace());
      await harness.bus.bootstrap();
    });
    afterEach(async () => {
      await harness?.teardown();
      harness = undefined;
    });
    const ctx: ContractContext = {
      h: () => {
        if (harness === undefined) throw new Error('no harness: the factory failed');
        return harness;
      },
    };
    describe('readiness and bootstrap', () => setupCases(ctx));
    describe('publish', () => publishCases(ctx));
    describe('delivery, fan-out and load balancing', () => deliveryCases(ctx));
    describe('retries', () => retryCases(ctx));
    describe('dead letters and replay', () => deadLetterCases(ctx));
    describe('ordering and backpressure', () => orderingCases(ctx));
    describe('partitioned streams', () => partitionCases(ctx));
    describe('shutdown and crash recovery', () => shutdownCases(ctx));
    describe('subscription state', () => subscriptionStateCases(ctx));
    describe('circuit breaker', () => circuitBreakerCases(ctx));
    describe('tracing', () => tracingCases(ctx));
    describe('retention', () => retentionCases(ctx));
    describe('realtime', () => realtimeCases(ctx));
    describe('introspection', () => introspectionCases(ctx));
  });
}
