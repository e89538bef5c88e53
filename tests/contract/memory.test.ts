/** The contract suite on InMemoryEventBus (real clock), and createBus's choice of bus. */
import { afterEach, describe, expect, it } from 'vitest';
import { createBus } from '../../runtime/create-bus.js';
import { InMemoryEventBus } from '../../runtime/index.js';
import { createTestCatalog } from './catalog.js';
import { describeContract } from './suite.js';

describeContract('InMemoryEventBus', async (namespace) => {
  const catalog = createTestCatalog(namespace);
  const bus = new InMemoryEventBus({ catalog });
  return {
    bus,
    catalog,
    features: { approximateRetention: false },
    teardown: () => bus.close({ timeoutMs: 50 }),
  };
});

describe('createBus', () => {
  const saved = process.env.REDIS_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = saved;
  });

  it('picks the in-memory bus when neither url nor REDIS_URL is given', async () => {
    delete process.env.REDIS_URL;
    const bus = createBus({ catalog: createTestCatalog('cb') });
    expect(bus).toBeInstanceOf(InMemoryEventBus);
    await bus.close();
  });
});
