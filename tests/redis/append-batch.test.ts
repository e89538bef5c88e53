/**
 * Stream-only publishes of one tick go out as one `schemabusAppendBatch`
 * script call per stream (a batch of one as a plain XADD): entries are stored
 * exactly as a plain XADD would store them, in publish order; an XADD Redis
 * refuses fails only its own publish, as "refused: nothing was written".
 */
import { describe, expect, it } from 'vitest';
import { ConnectionError, PublishOutcomeUnknownError } from '../../runtime/errors.js';
import { decodeEntry, encodeEnvelope } from '../../runtime/internal/entry-codec.js';
import { createEnvelope } from '../../runtime/internal/envelope.js';
import { APPEND_BATCH_LUA } from '../../runtime/redis/scripts/lua.js';
import { jobs } from '../contract/helpers.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';

const server = useRedisServer();

describe('batched appends', () => {
  it('stores every field of every event, in publish order, with and without optional attributes', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const admin = server().client();
    const published = await Promise.all(
      Array.from({ length: 30 }, (_, seq) =>
        bus.publish(
          'job.requested',
          { jobId: `j${seq}`, key: 'k', seq },
          seq % 3 === 0 ? { subject: `s${seq}`, correlationId: `c${seq}` } : undefined,
        ),
      ),
    );
    const [lone] = await bus.publishBatch([
      { type: 'job.requested', data: { jobId: 'lone', key: 'k', seq: 99 } },
    ]);
    const entries = await admin.xrange(catalog.streams.jobs!.key, '-', '+');
    expect(entries.map(([id]) => id)).toEqual([...published, lone!].map((p) => p.entryId));
    for (const [i, [, fields]] of entries.entries()) {
      const decoded = decodeEntry(fields);
      expect(decoded.ok).toBe(true);
      if (!decoded.ok) continue;
      const { envelope } = decoded;
      expect(fields).toEqual(encodeEnvelope(envelope));
      expect(envelope.id).toBe(([...published, lone!][i] as { id: string }).id);
      if (i < 30) {
        expect(envelope.data).toEqual({ jobId: `j${i}`, key: 'k', seq: i });
        expect(envelope.subject).toBe(i % 3 === 0 ? `s${i}` : undefined);
        expect(envelope.correlationid).toBe(i % 3 === 0 ? `c${i}` : undefined);
      }
    }
  });

  it('an entry Redis refuses fails only its own append', async () => {
    const catalog = testCatalog();
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    const good = encodeEnvelope(createEnvelope(catalog, 'job.requested', { jobId: 'a' }));
    const values = good.filter((_, i) => i % 2 === 1);
    // A values-only entry, a generic one with an odd field count (XADD refuses it), a generic good one.
    const reply = (await admin.eval(
      APPEND_BATCH_LUA,
      1,
      key,
      3,
      -2,
      ...values,
      3,
      'a',
      'b',
      'c',
      good.length,
      ...good,
    )) as string[];
    expect(reply[0]).toMatch(/^\d+-\d+$/);
    expect(reply[1]).toMatch(/^ERR /);
    expect(reply[2]).toMatch(/^\d+-\d+$/);
    const entries = await admin.xrange(key, '-', '+');
    expect(entries.map(([, fields]) => fields)).toEqual([good, good]);
  });

  it('publishes of one tick to a stream Redis refuses fail as refused; other streams are stored', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const admin = server().client();
    await bus.publish('metric.recorded', { name: 'warm-up', value: 0 });
    await admin.set(catalog.streams.jobs!.key, 'not a stream');
    const refused = Array.from({ length: 5 }, (_, seq) =>
      bus.publish('job.requested', { jobId: `j${seq}`, key: 'k', seq }).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    const metrics = Array.from({ length: 5 }, (_, i) =>
      bus.publish('metric.recorded', { name: 'm', value: i }),
    );
    for (const error of await Promise.all(refused)) {
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error).not.toBeInstanceOf(PublishOutcomeUnknownError);
      expect((error as Error).message).toMatch(/refused by Redis.*WRONGTYPE.*nothing was written/);
    }
    expect((await Promise.all(metrics)).every((p) => /^\d+-\d+$/.test(p.entryId ?? ''))).toBe(true);
    await expect(
      bus.publishBatch([
        { type: 'job.requested', data: { jobId: 'x', key: 'k', seq: 1 } },
        { type: 'job.requested', data: { jobId: 'y', key: 'k', seq: 2 } },
      ]),
    ).rejects.toThrow(/2 of 2 events of the batch failed.*refused by Redis/);
    expect(bus.stats().publishFailed).toBe(7);
  });

  it('after SCRIPT FLUSH, batched publishes are resent with the script body and stored once', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const admin = server().client();
    const first = await bus.publishBatch(jobs(5));
    await admin.script('FLUSH');
    const second = await bus.publishBatch(jobs(5));
    const entries = await admin.xrange(catalog.streams.jobs!.key, '-', '+');
    expect(entries.map(([id]) => id)).toEqual([...first, ...second].map((p) => p.entryId));
  });
});
