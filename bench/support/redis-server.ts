/**
 * The bench's own redis-server: a free loopback port, persistence off (the bench
 * measures the bus, not the disk), a temporary directory, stopped on exit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly version: string;
  stop(): Promise<void>;
}

/** Asks the kernel for a free port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const READY_TIMEOUT_MS = 10_000;

/** Starts `redis-server` (from PATH or `REDIS_SERVER_BIN`) and waits until it answers PING; `extraArgs` go last. */
export async function startRedisServer(extraArgs: readonly string[] = []): Promise<RedisServer> {
  const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const dir = mkdtempSync(join(tmpdir(), 'schemabus-bench-'));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      bin,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--daemonize',
        'no',
        '--loglevel',
        'warning',
        ...extraArgs,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.once('error', () => {});
    const ready = await waitReady(port, exited);
    if (ready.ok) {
      const stop = stopper(child, exited, dir);
      process.once('exit', () => {
        if (child.exitCode === null) child.kill('SIGKILL');
      });
      return { port, url: `redis://127.0.0.1:${port}`, version: ready.version, stop };
    }
    child.kill('SIGKILL');
    if (attempt >= 2) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(
        `could not start ${bin} on 127.0.0.1:${port}: ${ready.reason} ${stderr.trim()}\n` +
          'Install redis-server (apt-get install redis-server) or set REDIS_SERVER_BIN.',
      );
    }
  }
}

async function waitReady(
  port: number,
  exited: Promise<number | null>,
): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !gone) {
    const client = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      const info = await client.info('server');
      const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
      return { ok: true, version };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      client.disconnect();
    }
  }
  return { ok: false, reason: gone ? 'the server exited' : 'no answer to PING' };
}

function stopper(child: ChildProcess, exited: Promise<number | null>, dir: string) {
  return async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
