/**
 * TLS and mutual TLS: a CA, a server and a client certificate made here with
 * openssl; redis-server listening on TLS only (`--port 0 --tls-port`, with
 * `--tls-auth-clients no`, then `yes`). The bus connects with `rediss://` and
 * ioredis `tls` options beside the URL (`redis: { url, tls: { ca, cert, key } }`),
 * publishes and consumes; a CA that did not sign the server's certificate,
 * and on mTLS a client without a certificate, fail with a ConnectionError
 * naming the cause. Skipped, saying why, when redis-server was built without
 * TLS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { ConnectionError, PublishOutcomeUnknownError, RedisEventBus } from '../../runtime/index.js';
import { type Job, jobs } from '../contract/helpers.js';
import { captureLogger } from '../support/capture-logger.js';
import { newBus, onCleanup, testCatalog } from '../support/redis-bus.js';
import { type RedisServer, redisServerTls, startRedis } from '../support/redis-harness.js';
import { waitFor } from '../support/wait.js';

const support = redisServerTls();

/** PEM files of a test PKI, in a temp directory. */
interface Pki {
  readonly dir: string;
  readonly file: (name: string) => string;
  readonly pem: (name: string) => Buffer;
}

/** A CA (and a second, unrelated one), a server certificate for 127.0.0.1, a client certificate. */
function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'schemabus-tls-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  for (const ca of ['ca', 'other-ca']) {
    openssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.crt`,
      '-days',
      '2',
      '-subj',
      `/CN=schemabus test ${ca}`,
    );
  }
  writeFileSync(
    file('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  writeFileSync(file('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, subject] of [
    ['server', '/CN=127.0.0.1'],
    ['client', '/CN=schemabus-client'],
  ] as const) {
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
  }
  return { dir, file, pem: (name) => readFileSync(file(name)) };
}

let pki: Pki | undefined;
beforeAll(() => {
  if (support.ok) pki = makePki();
});
afterAll(() => {
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

let consoleCalls: MockInstance[] = [];
beforeEach(() => {
  consoleCalls = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation(() => undefined),
  );
});
afterEach(() => {
  const printed = consoleCalls.flatMap((spy) => spy.mock.calls.map((c) => c.join(' ')));
  for (const spy of consoleCalls) spy.mockRestore();
  expect(printed, 'nothing reaches the console').toEqual([]);
});

/** Starts a TLS-only server for the describe block (`authClients: yes` is mutual TLS). */
function useTlsServer(authClients: 'yes' | 'no'): () => { server: RedisServer; pki: Pki } {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    if (!pki) return;
    const client: ConnectionOptions = { ca: pki.pem('ca.crt') };
    if (authClients === 'yes')
      Object.assign(client, { cert: pki.pem('client.crt'), key: pki.pem('client.key') });
    server = await startRedis({
      tls: {
        certFile: pki.file('server.crt'),
        keyFile: pki.file('server.key'),
        caFile: pki.file('ca.crt'),
        authClients,
        client,
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server || !pki) throw new Error('no TLS server: beforeAll failed');
    return { server, pki };
  };
}

/** Publishes a job on `bus` and resolves once a subscriber of the same bus handled it. */
async function publishAndConsume(bus: RedisEventBus): Promise<void> {
  await bus.bootstrap();
  const handled: Job[] = [];
  bus.subscribe('workers', {
    'job.requested': async (event: Envelope<Job>) => void handled.push(event.data),
  });
  const [job] = jobs(1);
  const published = await bus.publish(job!.type, job!.data);
  expect(published.entryId).toMatch(/^\d+-\d+$/);
  await waitFor(
    () => handled.length === 1,
    () => 'the job handled over TLS',
  );
  expect(handled[0]).toEqual(job!.data);
}

/** The ConnectionError a bus with `tls` gets on `url` (waitUntilReady and a publish). */
async function refusal(url: string, tls: ConnectionOptions): Promise<ConnectionError[]> {
  const bus = new RedisEventBus({
    catalog: testCatalog(),
    redis: { url, tls, retryStrategy: () => null },
    connectTimeoutMs: 2000,
    logger: captureLogger(),
  });
  onCleanup(() => bus.close({ timeoutMs: 0 }));
  const errors: ConnectionError[] = [];
  for (const attempt of [
    () => bus.waitUntilReady({ timeoutMs: 3000 }),
    () => bus.publish(jobs(1)[0]!.type, jobs(1)[0]!.data),
  ]) {
    const error = await attempt().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectionError);
    // Nothing was sent: never "it may or may not have been stored".
    expect(error).not.toBeInstanceOf(PublishOutcomeUnknownError);
    errors.push(error as ConnectionError);
  }
  return errors;
}

describe('TLS (rediss://, tls-auth-clients no)', () => {
  const tls = useTlsServer('no');

  it('publishes and consumes over TLS with the CA beside the URL', async ({ skip }) => {
    if (!support.ok) skip(support.why);
    const { server, pki } = tls();
    expect(server.url).toMatch(/^rediss:\/\/127\.0\.0\.1:\d+$/);
    const bus = newBus(server, testCatalog(), {
      redis: { url: server.url, tls: { ca: pki.pem('ca.crt') } },
    });
    await publishAndConsume(bus);
  });

  it('refuses a server whose certificate another CA signed, naming the cause', async ({ skip }) => {
    if (!support.ok) skip(support.why);
    const { server, pki } = tls();
    const [ready, publish] = await refusal(server.url, { ca: pki.pem('other-ca.crt') });
    for (const error of [ready!, publish!]) {
      // Node names it after what the server sent: its certificate alone, or with its issuer.
      expect(error.code).toMatch(/^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/);
      expect(error.message).toMatch(/certificate/);
    }
    expect(publish!.message).toMatch(/the command was not sent/);
  });
});

describe('mutual TLS (tls-auth-clients yes)', () => {
  const tls = useTlsServer('yes');

  it('publishes and consumes with a client certificate', async ({ skip }) => {
    if (!support.ok) skip(support.why);
    const { server, pki } = tls();
    const bus = newBus(server, testCatalog(), {
      redis: {
        url: server.url,
        tls: { ca: pki.pem('ca.crt'), cert: pki.pem('client.crt'), key: pki.pem('client.key') },
      },
    });
    await publishAndConsume(bus);
  });

  it('is refused without a client certificate, naming the cause', async ({ skip }) => {
    if (!support.ok) skip(support.why);
    const { server, pki } = tls();
    const [ready, publish] = await refusal(server.url, { ca: pki.pem('ca.crt') });
    for (const error of [ready!, publish!]) {
      // TLS 1.3: the server's alert after the handshake, or the reset that follows it when the
      // socket closes first; TLS 1.2: a failed handshake.
      expect(`${error.code} ${error.message}`).toMatch(
        /certificate required|handshake failure|ECONNRESET/i,
      );
    }
    expect(publish!.message).toMatch(/the command was not sent/);
  });
});
