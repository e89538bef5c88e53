/**
 * A Redis server per test file.
 *
 * `startRedis()` picks, in order:
 * 1. `REDIS_URL` when set (shared server: tests still isolate by namespace;
 *    `kill9`/`restart` are unavailable, `canKill` is false);
 * 2. a local `redis-server` binary on a free loopback port, in its own temp
 *    directory, with `--save ''` (and, on request, `appendonly yes` +
 *    `appendfsync always`), which fault tests can kill -9 and restart on the
 *    same port and directory, so the AOF survives;
 * 3. a testcontainers Redis when a Docker engine answers;
 * 4. otherwise it fails, saying how to get a server.
 *
 * With `tls`, only a local `redis-server` will do: it listens on TLS only
 * (`--port 0 --tls-port`), its URL is `rediss://`, and the harness's own
 * clients use the given client TLS options (`redisServerTls()` says whether
 * the binary was built with TLS).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';

export interface StartRedisOptions {
  /** Run with `appendonly yes` + `appendfsync always` (every acknowledged write is on disk). @default false */
  readonly appendOnly?: boolean;
  /** Extra `--name value` arguments for a local server, e.g. `{ 'maxmemory': '10mb' }`. */
  readonly config?: Readonly<Record<string, string>>;
  /** How long to wait for the server to answer PING. @default 10000 */
  readonly readyTimeoutMs?: number;
  /** Listen on TLS only, with these files (a local server only). */
  readonly tls?: TlsServerOptions;
}

/** A TLS-only server: its certificate files, and what the harness's clients connect with. */
export interface TlsServerOptions {
  readonly certFile: string;
  readonly keyFile: string;
  /** The CA that signs client certificates (`tls-ca-cert-file`). */
  readonly caFile: string;
  /** `tls-auth-clients`: `yes` is mutual TLS. */
  readonly authClients: 'yes' | 'no' | 'optional';
  /** ioredis `tls` options of the harness's clients (the CA, and a client certificate for mTLS). */
  readonly client: NonNullable<RedisOptions['tls']>;
}

/** A running Redis for one test file. */
export interface RedisServer {
  /** Where it came from. */
  readonly kind: 'env' | 'local' | 'container';
  /** `redis://127.0.0.1:<port>` (or `REDIS_URL`). */
  readonly url: string;
  readonly port: number;
  /** Whether `kill9` and `restart` work (a local server only). */
  readonly canKill: boolean;
  /** SIGKILL the server (no shutdown, no final fsync) and wait until the process is gone. */
  kill9(): Promise<void>;
  /** Start the server again on the same port and directory (AOF, if any, is reloaded); waits for PING. */
  restart(): Promise<void>;
  /** Stop the server (if this harness started it) and remove its directory. */
  stop(): Promise<void>;
  /** A new ioredis client on this server; the harness quits it in `stop()`. */
  client(): Redis;
}

/** A fresh namespace (catalogue names are `^[a-z][a-z0-9-]*$`), so tests never share keys. */
export function uniqueNamespace(prefix = 't'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** Starts (or finds) a Redis server for this test file; see the module comment for the order. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  if (options.tls) {
    if (!hasRedisServerBinary()) {
      throw new Error(
        'a TLS server needs a local redis-server binary (`apt-get install redis-server`)',
      );
    }
    return LocalServer.start(options);
  }
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv) return envServer(fromEnv, options);
  if (hasRedisServerBinary()) return LocalServer.start(options);
  const container = await tryContainer(options);
  if (container) return container;
  throw new Error(
    'no Redis for the tests: set REDIS_URL=redis://host:port to use a running server, ' +
      'or install the redis-server binary (Debian/Ubuntu: `apt-get install redis-server`; ' +
      'macOS: `brew install redis`), or start a Docker engine so testcontainers can run redis:7',
  );
}

function hasRedisServerBinary(): boolean {
  const result = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return result.status === 0;
}

/**
 * Whether the local `redis-server` was built with TLS: asked to listen on a
 * TLS port without a certificate, a TLS build refuses to configure TLS
 * ("No tls-cert-file configured"); a build without TLS does not know it.
 */
export function redisServerTls():
  | { readonly ok: true }
  | { readonly ok: false; readonly why: string } {
  if (!hasRedisServerBinary()) return { ok: false, why: 'no redis-server binary' };
  const probe = spawnSync(
    'redis-server',
    ['--port', '0', '--tls-port', '1', '--save', '', '--logfile', '', '--daemonize', 'no'],
    { encoding: 'utf8', timeout: 5000 },
  );
  const output = `${probe.stdout}${probe.stderr}`;
  if (/tls-cert-file|Failed to configure TLS/.test(output)) return { ok: true };
  const said = output.trim().split('\n').slice(-2).join(' / ');
  return {
    ok: false,
    why: `redis-server was not built with TLS (--tls-port: ${said || 'no output'})`,
  };
}
/** Resolves once `url` answers PING, or throws after `timeoutMs` with the last error and `logTail()`. */
export async function waitForPing(
  url: string,
  timeoutMs: number,
  logTail: () => Promise<string> = async () => '',
  clientOptions: RedisOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  for (;;) {
    const probe = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      connectTimeout: 1000,
      ...clientOptions,
    });
    probe.on('error', () => {});
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') {
        probe.disconnect();
        return;
      }
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    probe.disconnect();
    if (Date.now() > deadline) {
      throw new Error(
        `Redis at ${url} did not answer PING within ${timeoutMs} ms (last error: ${lastError})${await logTail()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not get a free port'));
      });
    });
  });
}

class ClientPool {
  private readonly clients: Redis[] = [];
  constructor(
    private readonly url: string,
    private readonly options: RedisOptions = {},
  ) {}
  client(): Redis {
    const c = new Redis(this.url, { maxRetriesPerRequest: 3, ...this.options });
    c.on('error', () => {});
    this.clients.push(c);
    return c;
  }
  closeAll(): void {
    for (const c of this.clients.splice(0)) c.disconnect();
  }
}

async function envServer(url: string, options: StartRedisOptions): Promise<RedisServer> {
  await waitForPing(url, options.readyTimeoutMs ?? 10_000);
  const pool = new ClientPool(url);
  const unsupported = async () => {
    throw new Error(
      'kill9/restart need a local redis-server; unset REDIS_URL to let the harness start one',
    );
  };
  return {
    kind: 'env',
    url,
    port: Number(new URL(url).port || 6379),
    canKill: false,
    kill9: unsupported,
    restart: unsupported,
    stop: async () => pool.closeAll(),
    client: () => pool.client(),
  };
}

/** A `redis-server` child process on a free port in a temp directory. */
class LocalServer implements RedisServer {
  readonly kind = 'local';
  readonly canKill = true;
  readonly url: string;
  private process: ChildProcess | undefined;
  private readonly pool: ClientPool;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly options: StartRedisOptions,
  ) {
    this.url = `${options.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`;
    this.pool = new ClientPool(this.url, this.clientOptions());
  }

  static async start(options: StartRedisOptions): Promise<LocalServer> {
    const dir = await mkdtemp(join(tmpdir(), 'schemabus-redis-'));
    // A port can be taken between probing and binding: try a few.
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const server = new LocalServer(await freePort(), dir, options);
      try {
        await server.launch();
        return server;
      } catch (error) {
        lastError = error;
        await server.killProcess();
      }
    }
    await rm(dir, { recursive: true, force: true });
    throw lastError;
  }

  /** What the harness's clients add to the URL: the TLS options of a TLS server. */
  private clientOptions(): RedisOptions {
    return this.options.tls ? { tls: this.options.tls.client } : {};
  }

  private args(): string[] {
    const tls = this.options.tls;
    const listen = tls
      ? [
          '--port',
          '0',
          '--tls-port',
          String(this.port),
          '--tls-cert-file',
          tls.certFile,
          '--tls-key-file',
          tls.keyFile,
          '--tls-ca-cert-file',
          tls.caFile,
          '--tls-auth-clients',
          tls.authClients,
        ]
      : ['--port', String(this.port)];
    const args = [
      ...listen,
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--daemonize',
      'no',
      '--logfile',
      join(this.dir, 'redis.log'),
      '--appendonly',
      this.options.appendOnly ? 'yes' : 'no',
    ];
    if (this.options.appendOnly) args.push('--appendfsync', 'always');
    for (const [name, value] of Object.entries(this.options.config ?? {})) {
      args.push(`--${name}`, value);
    }
    return args;
  }

  private async launch(): Promise<void> {
    const child = spawn('redis-server', this.args(), { stdio: 'ignore' });
    this.process = child;
    let exited: string | undefined;
    child.once('exit', (code, signal) => {
      exited = `redis-server exited (code ${code}, signal ${signal})`;
    });
    const tail = async () => {
      const log = await readFile(join(this.dir, 'redis.log'), 'utf8').catch(() => '');
      return `${exited ? `; ${exited}` : ''}; redis.log:\n${log.split('\n').slice(-15).join('\n')}`;
    };
    await waitForPing(this.url, this.options.readyTimeoutMs ?? 10_000, tail, this.clientOptions());
    if (exited) throw new Error(`${exited}${await tail()}`);
  }

  private async killProcess(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  }

  kill9(): Promise<void> {
    return this.killProcess();
  }

  async restart(): Promise<void> {
    await this.killProcess();
    await this.launch();
  }

  async stop(): Promise<void> {
    this.pool.closeAll();
    await this.killProcess();
    await rm(this.dir, { recursive: true, force: true });
  }

  client(): Redis {
    return this.pool.client();
  }
}

/** A testcontainers Redis, or `undefined` when no Docker engine answers. */
async function tryContainer(options: StartRedisOptions): Promise<RedisServer | undefined> {
  let tc: typeof import('testcontainers');
  try {
    tc = await import('testcontainers');
    await tc.getContainerRuntimeClient();
  } catch {
    return undefined;
  }
  const command = ['redis-server', '--save', ''];
  if (options.appendOnly) command.push('--appendonly', 'yes', '--appendfsync', 'always');
  const container = await new tc.GenericContainer('redis:7.0')
    .withExposedPorts(6379)
    .withCommand(command)
    .start();
  const port = container.getMappedPort(6379);
  const url = `redis://${container.getHost()}:${port}`;
  await waitForPing(url, options.readyTimeoutMs ?? 30_000);
  const pool = new ClientPool(url);
  const unsupported = async () => {
    throw new Error(
      'kill9/restart need a local redis-server binary (`apt-get install redis-server`)',
    );
  };
  return {
    kind: 'container',
    url,
    port,
    canKill: false,
    kill9: unsupported,
    restart: unsupported,
    stop: async () => {
      pool.closeAll();
      await container.stop();
    },
    client: () => pool.client(),
  };
}
