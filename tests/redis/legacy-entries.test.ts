/**
 * Data written before entry format 1 survives the upgrade: seven-field
 * entries (one field per CloudEvents attribute) and CloudEvents JSON
 * realtime messages, written here with redis-cli as the old version stored
 * them, are consumed, dead-lettered, replayed and received like new ones.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { NonRetryableError } from '../../runtime/errors.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { collect, waitFor } from '../support/wait.js';

const server = useRedisServer();

function redisCli(...args: string[]): string {
  return execFileSync('redis-cli', ['-u', server().url, ...args], { encoding: 'utf8' }).trim();
}

/** XADD of an entry as the first format stored it. */
function xaddLegacy(key: string, id: string, data: object, extra: string[] = []): string {
  return redisCli(
    'XADD',
    key,
    '*',
    'specversion',
    '1.0',
    'id',
    id,
    'source',
    'old-service',
    'type',
    'job.requested',
    'time',
    '2025-01-02T03:04:05.000Z',
    'datacontenttype',
    'application/json',
    'data',
    JSON.stringify(data),
    ...extra,
  );
}

describe('entries and messages of the first format', () => {
  it('are handled, dead-lettered and replayed like entries of format 1', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    await bus.bootstrap();
    const key = catalog.streams.jobs!.key;
    xaddLegacy(key, 'old-1', { jobId: 'a', key: 'k', seq: 1 }, ['subject', 'jobs/a']);
    xaddLegacy(key, 'old-2', { jobId: 'b', key: 'k', seq: 2 });
    await bus.publish('job.requested', { jobId: 'c', key: 'k', seq: 3 });
    const handled: Envelope[] = [];
    bus.subscribe('workers', {
      'job.requested': async (event) => {
        if (event.id === 'old-2' && event.replayfor === undefined) {
          throw new NonRetryableError('refused once');
        }
        handled.push(event);
      },
    });
    await collect(handled, 2);
    expect(handled[0]).toEqual({
      specversion: '1.0',
      id: 'old-1',
      source: 'old-service',
      type: 'job.requested',
      time: '2025-01-02T03:04:05.000Z',
      datacontenttype: 'application/json',
      data: { jobId: 'a', key: 'k', seq: 1 },
      subject: 'jobs/a',
    });
    expect(handled[1]!.data).toEqual({ jobId: 'c', key: 'k', seq: 3 });

    const [letter] = await waitFor(
      async () => {
        const letters = await bus.dlq('jobs').list();
        return letters.length === 1 ? letters : undefined;
      },
      () => 'the refused legacy entry in the DLQ',
    );
    expect(letter).toMatchObject({ type: 'job.requested', event: { id: 'old-2' } });
    expect(letter!.fields.specversion).toBe('1.0');
    await bus.dlq('jobs').replay(letter!.id);
    await collect(handled, 3);
    expect(handled[2]).toMatchObject({ id: 'old-2', replayfor: 'workers', data: { seq: 2 } });
  });

  it('a realtime message of the first format (a CloudEvents JSON object) is received', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const got: Envelope[] = [];
    await bus.onRealtime('alerts', { level: 'critical' }, (event) => void got.push(event));
    const message = {
      specversion: '1.0',
      id: 'old-alert',
      source: 'old-service',
      type: 'system.alert',
      time: '2025-01-02T03:04:05.000Z',
      datacontenttype: 'application/json',
      data: { level: 'critical', message: 'disk' },
    };
    redisCli('PUBLISH', `${catalog.namespace}:alerts:critical`, JSON.stringify(message));
    const [event] = await collect(got, 1);
    expect(event).toEqual(message);
  });
});
