/**
 * Connection behaviour a person can trust: the URL is checked when the bus
 * is made; an unreachable, refusing or unauthenticated Redis fails publish,
 * bootstrap, the DLQ and inspect with a ConnectionError naming the cause
 * within `connectTimeoutMs`, never as "outcome unknown" (nothing was sent);
 * a database index is honoured or refused; close() keeps its deadline with a
 * subscription running against a dead server; nothing reaches the console.
 */
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import {
  ConnectionError,
  PublishOutcomeUnknownError,
  RedisEventBus,
  type RedisEventBusOptions,
} from '../../runtime/index.js';
import { type Job, jobs } from '../contract/helpers.js';
import { closedPort } from '../support/closed-port.js';
import { onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { startRedis } from '../support/redis-harness.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

function bus(options: Partial<RedisEventBusOptions>): RedisEventBus {
  const made = new RedisEventBus({ catalog: testCatalog(), connectTimeoutMs: 300, ...options });
  onCleanup(() => made.close({ timeoutMs: 0 }));
  return made;
}

const job: Job = jobs(1)[0]!.data as Job;

async function rejection(promise: Promise<unknown>): Promise<ConnectionError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as ConnectionError,
  );
}

/** The user-facing operations that talk to Redis, each as a promise. */
function operations(b: RedisEventBus): Record<string, () => Promise<unknown>> {
  return {
    publish: () => b.publish('job.requested', job),
    publishBatch: () => b.publishBatch(jobs(2)),
    bootstrap: () => b.bootstrap(),
    'dlq count': () => b.dlq('jobs').count(),
    'dlq list': () => b.dlq('jobs').list(),
    inspect: () => b.inspect(),
  };
}

let consoleCalls: MockInstance[] = [];
beforeEach(() => {
  consoleCalls = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation(() => undefined),
  );
});
afterEach(() => {
  const printed = consoleCalls.flatMap((spy) => spy.mock.calls.map((c) => c.join(' ')));
  for (const spy of consoleCalls) spy.mockRestore();
  expect(printed, 'nothing of the library or ioredis reaches the console').toEqual([]);
});

describe('the URL is checked when the bus is made', () => {
  it.each([
    [
      'http://127.0.0.1:6379',
      /scheme is http:\/\/, not redis:\/\/, rediss:\/\/ or redis\+cluster:\/\//,
    ],
    ['127.0.0.1:6379', /it is not a URL/],
    ['not a url', /not a URL/],
    ['redis://127.0.0.1:0', /port 0/],
    ['redis://127.0.0.1:6379/abc', /path "\/abc" is not a database index/],
    ['redis://127.0.0.1:6379/1/2', /not a database index/],
    ['redis://127.0.0.1:6379/?timeout=5', /query parameter "timeout" is not supported/],
    ['redis://:s3cret@127.0.0.1:6379/x', /redis:\/\/\*\*\*@127\.0\.0\.1:6379\/x/],
  ])('refuses %s with a TypeError saying what is wrong', (url, message) => {
    const make = () => new RedisEventBus({ catalog: testCatalog(), redis: url });
    expect(make).toThrow(TypeError);
    expect(make).toThrow(message);
    expect(make).toThrow(/Expected redis:\/\/\[user:password@\]host\[:port\]\[\/db\]/);
    expect(make).not.toThrow(/s3cret/);
  });

  it('honours the database index of the URL', async () => {
    const b = bus({ redis: `${server().url}/3` });
    const { entryId } = await b.publish('job.requested', job);
    const db3 = server().client().duplicate({ db: 3 });
    onCleanup(() => void db3.disconnect());
    const key = b.catalog.streams.jobs!.key;
    expect(await db3.xlen(key)).toBe(1);
    expect((await db3.xrange(key, '-', '+'))[0]![0]).toBe(entryId);
    expect(await server().client().exists(key)).toBe(0);
  });

  it('refuses a database the server does not have, for every operation, instead of using database 0', async () => {
    const b = bus({ redis: `${server().url}/99` });
    for (const [name, run] of Object.entries(operations(b))) {
      const error = await rejection(run());
      expect(error, name).toBeInstanceOf(ConnectionError);
      expect(error, name).not.toBeInstanceOf(PublishOutcomeUnknownError);
      expect(error.message, name).toMatch(/refused database 99: ERR DB index is out of range/);
      expect(error.message, name).toMatch(/redis\.conf `databases`/);
    }
    expect(await server().client().exists(b.catalog.streams.jobs!.key)).toBe(0);
  });
});

describe('an unreachable or refusing Redis', () => {
  it('fails every operation with ECONNREFUSED within connectTimeoutMs, nothing sent, never "outcome unknown"', async () => {
    const port = await closedPort();
    const b = bus({ redis: `redis://app:s3cret@127.0.0.1:${port}` });
    for (const [name, run] of Object.entries(operations(b))) {
      const error = await rejection(run());
      expect(error, name).toBeInstanceOf(ConnectionError);
      expect(error, name).not.toBeInstanceOf(PublishOutcomeUnknownError);
      expect(error.code, name).toBe('ECONNREFUSED');
      expect(error.message, name).toMatch(/ECONNREFUSED.*was not sent.*connectTimeoutMs/);
      expect(error.message, name).not.toContain('s3cret');
    }
    expect(b.stats().publishFailed).toBe(3);
  });

  it('names WRONGPASS for a wrong password; the right one works', async () => {
    const admin = server().client();
    const user = `u${Date.now()}`;
    await admin.acl('SETUSER', user, 'on', '>right-pass', '~*', '&*', '+@all');
    onCleanup(async () => void (await admin.acl('DELUSER', user)));
    const { port } = new URL(server().url);
    const wrong = bus({ redis: `redis://${user}:wrong-pass@127.0.0.1:${port}` });
    const refused = await rejection(wrong.publish('job.requested', job));
    expect(refused).toBeInstanceOf(ConnectionError);
    expect(refused.code).toBe('WRONGPASS');
    expect(refused.message).toMatch(/WRONGPASS.*was not sent/);
    expect(refused.message).not.toContain('wrong-pass');

    const right = bus({ redis: `redis://${user}:right-pass@127.0.0.1:${port}` });
    await expect(right.publish('job.requested', job)).resolves.toMatchObject({
      type: 'job.requested',
    });
  });

  it('waitUntilReady fails at once on refused credentials, saying so, instead of waiting out its timeout', async () => {
    const admin = server().client();
    const user = `w${Date.now()}`;
    await admin.acl('SETUSER', user, 'on', '>right-pass', '~*', '&*', '+@all');
    onCleanup(async () => void (await admin.acl('DELUSER', user)));
    const { port } = new URL(server().url);
    const wrong = bus({ redis: `redis://${user}:wrong-pass@127.0.0.1:${port}` });
    // An hour: only the refusal itself can end this wait within the test's own timeout.
    const refused = await rejection(wrong.waitUntilReady({ timeoutMs: 3_600_000 }));
    expect(refused).toBeInstanceOf(ConnectionError);
    expect(refused.code).toBe('WRONGPASS');
    expect(refused.message).toMatch(/refused the credentials.*check the user and password/);
    expect(refused.message).not.toContain('wrong-pass');
  });

  it('names NOAUTH when the server wants a password and none was given', async () => {
    const guarded = await startGuardedServer();
    const b = bus({ redis: guarded.url });
    const error = await rejection(b.bootstrap());
    expect(error.code).toBe('NOAUTH');
    expect(error.message).toMatch(/NOAUTH.*was not sent/);
  });

  it('says nothing on the console when a password is given to a server that needs none', async () => {
    const b = bus({ redis: server().url.replace('redis://', 'redis://:needless@') });
    await expect(b.publish('job.requested', job)).resolves.toMatchObject({
      type: 'job.requested',
    });
  });

  it('close() keeps its deadline with a subscription running against a dead server, and the subscription says why it fails', async () => {
    const port = await closedPort();
    const b = new RedisEventBus({
      catalog: testCatalog(),
      redis: `redis://127.0.0.1:${port}`,
      connectTimeoutMs: 60_000,
    });
    const sub = b.subscribe('workers', { 'job.requested': async () => {} }, { blockMs: 100 });
    const errors: Error[] = [];
    sub.onError((error) => errors.push(error));
    await waitFor(
      () => errors.length > 0,
      () => `an error event (state ${sub.state})`,
    );
    expect(sub.state).toBe('reconnecting');
    expect((errors[0] as ConnectionError).code).toBe('ECONNREFUSED');
    const health = await b.health();
    expect(health.status).toBe('down');
    expect(health.reason).toMatch(/not connected/);
    expect(health.subscriptions).toMatchObject([
      {
        group: 'workers',
        state: 'reconnecting',
        lastError: expect.stringMatching(/ECONNREFUSED/),
        lag: null,
      },
    ]);
    expect(health.connections.find((c) => c.role === 'command')?.status).not.toBe('ready');
    const closed = b.close({ timeoutMs: 200 }).then(() => 'closed');
    // The deadline stands for "does not wait for the connection": connectTimeoutMs is 60 s here.
    const late = new Promise((resolve) => setTimeout(resolve, 5000, 'still closing')).then(String);
    expect(await Promise.race([closed, late])).toBe('closed');
    expect(sub.state).toBe('closed');
  });
});

/** A server of its own whose default user needs a password (the harness's own server stays open). */
async function startGuardedServer(): Promise<{ url: string }> {
  const guarded = await startRedis();
  onCleanup(() => guarded.stop());
  await guarded.client().config('SET', 'requirepass', 'guard-pass');
  return { url: guarded.url };
}
