/**
 * Node 20's JSON.parse errors quote the input ("Unexpected token 'c', "card
 * 4111..." is not valid JSON"): an entry whose `data` is not JSON must go to
 * the DLQ with a fixed reason plus the position, never a fragment of the
 * payload — neither in the DLQ entry's error nor in a log line.
 */
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../support/capture-logger.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

const SECRET = '4111-1111-1111-1111';

function entry(id: string, data: string): Record<string, string> {
  return {
    specversion: '1.0',
    id,
    source: 'tests',
    type: 'job.requested',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
  };
}

describe('undecodable data', () => {
  it('is dead-lettered with "data is not JSON" and a position, never quoting the payload', async () => {
    const catalog = testCatalog();
    const logger = captureLogger();
    const bus = newBus(server(), catalog, { logger });
    await bus.bootstrap();
    await bus.appendRaw('jobs', entry('e-1', `{"card":"${SECRET}" oops}`));
    await bus.appendRaw('jobs', entry('e-2', `card ${SECRET}`));
    bus.subscribe('workers', { 'job.requested': async () => {} });
    const dlq = bus.dlq('jobs');
    await waitFor(
      async () => (await dlq.count()) === 2,
      () => 'two dead letters',
    );
    const letters = await dlq.list();
    expect(letters.map((l) => [l.fields.id, l.reason, l.error])).toEqual([
      ['e-1', 'undecodable', 'data is not JSON (at position 30)'],
      ['e-2', 'undecodable', 'data is not JSON'],
    ]);
    expect(JSON.stringify(logger.records)).not.toContain(SECRET);
  });

  it('a realtime message that is not JSON is dropped with a log line that does not quote it', async () => {
    const catalog = testCatalog();
    const logger = captureLogger();
    const bus = newBus(server(), catalog, { logger });
    await bus.onRealtime('order-status', {}, () => {});
    const channel = `${catalog.namespace}:order:5b0c1f8e-4a55-4e9b-9a33-1f0b3a9e2c11:status`;
    await server().client().publish(channel, `card ${SECRET}`);
    const [record] = await waitFor(() => {
      const found = logger.matching(/undecodable realtime message/);
      return found.length > 0 ? found : undefined;
    });
    expect(record?.obj).toMatchObject({ reason: 'message is not JSON' });
    expect(JSON.stringify(logger.records)).not.toContain(SECRET);
  });
});
