/**
 * `schemabus metrics --redis URL`: the exporter people run beside Redis. A
 * bus on the catalogue (no subscription, nothing written) whose
 * `MetricsRefresher` sets the gauges of every stream and group every
 * `--interval` seconds, served over HTTP: `/metrics` (Prometheus text) and
 * `/healthz` (200 while Redis answers). Runs until SIGINT or SIGTERM. Needs
 * prom-client, an optional peer dependency, loaded only here.
 */

import type { Logger, MetricsRefresh } from 'schemabus';
import { MetricsRefresher, RedisEventBus } from 'schemabus';
import {
  type CommandContext,
  type CommandResult,
  defineCommand,
  EXIT_OK,
  type LiveIo,
  result,
  usageError,
} from '../command.js';
import { type HealthCheck, healthReport } from '../support/health-report.js';
import { aborted, withLiveIo } from '../support/live-io.js';
import { type RunningServer, serveMetrics } from '../support/metrics-server.js';
import {
  isResult,
  type RedisTarget,
  type RedisTargetOptions,
  redisArgs,
  resolveTarget,
} from '../support/redis-session.js';

/** Options of `metrics`. */
export interface MetricsOptions extends RedisTargetOptions {
  /** @default 9464 (0: any free port) */
  readonly port?: number | undefined;
  /** @default 127.0.0.1 */
  readonly host?: string | undefined;
  /** Seconds between two refreshes of the gauges. @default 15 */
  readonly interval?: number | undefined;
}

export const DEFAULT_METRICS_PORT = 9464;
export const DEFAULT_METRICS_HOST = '127.0.0.1';
export const DEFAULT_METRICS_INTERVAL_SECONDS = 15;

type PromClient = typeof import('prom-client');

/** prom-client, or how to install it. */
async function loadPromClient(): Promise<PromClient | CommandResult> {
  try {
    return await import('prom-client');
  } catch {
    return usageError(
      'schemabus metrics needs prom-client (an optional peer dependency of schemabus): npm install prom-client',
    );
  }
}

/** Serves the metrics of the catalogue on Redis until `context.live.signal` aborts. */
export async function runMetrics(
  options: MetricsOptions,
  context: CommandContext,
): Promise<CommandResult> {
  const port = options.port ?? DEFAULT_METRICS_PORT;
  const host = options.host ?? DEFAULT_METRICS_HOST;
  const interval = options.interval ?? DEFAULT_METRICS_INTERVAL_SECONDS;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    return usageError(`--port must be a port number (0-65535), got ${port}`);
  }
  if (!(interval > 0))
    return usageError(`--interval must be a number of seconds > 0, got ${interval}`);
  const prom = await loadPromClient();
  if (isResult(prom)) return prom;
  const target = await resolveTarget(options, context);
  if (isResult(target)) return target;
  return withLiveIo(context, async ({ live }) => {
    const registry = new prom.Registry();
    // Reconnects while it runs (Redis may restart); a command while Redis is away fails in 2 s.
    const bus = new RedisEventBus({
      catalog: target.catalog,
      redis: { url: target.url, connectionName: 'schemabus-metrics' },
      registry,
      metricsIntervalMs: 0,
      maxOfflineQueue: 0,
    });
    const intervalMs = interval * 1000;
    const refresher = new MetricsRefresher(bus, registry, { logger: stderrLogger(live) });
    const stop = async () => {
      refresher.stop();
      await bus.close({ timeoutMs: 0 }).catch(() => undefined);
    };
    let server: RunningServer;
    try {
      server = await serveMetrics(host, port, {
        metrics: async () => ({
          contentType: registry.contentType,
          body: await registry.metrics(),
        }),
        health: () => healthReport(checks(target, refresher.last, intervalMs)),
      });
    } catch (error) {
      await stop();
      const why = error instanceof Error ? error.message : String(error);
      return usageError(`cannot listen on ${host}:${port}: ${why} (another --port or --host?)`);
    }
    refresher.start(intervalMs);
    live.out(
      `schemabus metrics: serving ${server.url}/metrics and ${server.url}/healthz for namespace ${target.catalog.namespace} (${target.schemaPath}) on Redis at ${target.label}, refreshed every ${interval} s; Ctrl-C stops\n`,
    );
    await aborted(live.signal);
    await server.close();
    await stop();
    return result(EXIT_OK, [], ['schemabus metrics: stopped']);
  });
}

/**
 * The checks of `/healthz`: the catalogue is loaded, Redis answered the last
 * refresh, the bus's connections are healthy (its `health()`), and the last
 * refresh is recent.
 */
function checks(
  target: RedisTarget,
  last: MetricsRefresh | undefined,
  intervalMs: number,
): Record<string, HealthCheck> {
  const ageMs = last === undefined ? undefined : Date.now() - last.at.getTime();
  return {
    catalogue: {
      ok: true,
      path: target.schemaPath,
      namespace: target.catalog.namespace,
      streams: Object.keys(target.catalog.streams).length,
    },
    redis: {
      ok: last?.ok === true,
      url: target.label,
      ...(last === undefined && { error: 'no answer yet' }),
      ...(last?.error !== undefined && { error: last.error }),
    },
    connections: {
      // The exporter's own connections to Redis, as the bus's health() reports them.
      ok: last?.health?.status === 'ok',
      ...(last?.health !== undefined && {
        status: last.health.status,
        connections: last.health.connections.map((c) => `${c.role} ${c.status}`),
      }),
    },
    refresh: {
      // A refresh that stopped coming (a hung connection) fails too.
      ok: ageMs !== undefined && ageMs <= 3 * intervalMs + 5000,
      intervalSeconds: intervalMs / 1000,
      ...(last !== undefined && {
        lastAt: last.at.toISOString(),
        durationMs: Math.round(last.durationMs),
      }),
    },
  };
}

/** The refresher's failure and recovery lines, on stderr. */
function stderrLogger(live: LiveIo): Logger {
  const line = (obj: object, msg?: string) => {
    const error = (obj as { error?: unknown }).error;
    live.err(
      `schemabus metrics: ${msg ?? ''}${error === undefined ? '' : ` (${String(error)})`}\n`,
    );
  };
  return { debug() {}, info: line, warn: line, error: line };
}

/** The yargs command. */
export const metricsCommand = defineCommand({
  command: 'metrics',
  describe: 'Serve Prometheus /metrics and /healthz for the catalogue',
  builder: (yargs) =>
    redisArgs(yargs)
      .option('port', {
        type: 'number',
        default: DEFAULT_METRICS_PORT,
        describe: 'HTTP port (0: any free port)',
      })
      .option('host', {
        type: 'string',
        default: DEFAULT_METRICS_HOST,
        describe: 'Address to listen on (0.0.0.0: every interface)',
      })
      .option('interval', {
        type: 'number',
        default: DEFAULT_METRICS_INTERVAL_SECONDS,
        describe: 'Seconds between two refreshes of the gauges',
      })
      .example('$0 metrics --redis redis://127.0.0.1:6379', 'serve http://127.0.0.1:9464/metrics')
      .example('$0 metrics --host 0.0.0.0 --interval 30', 'for a Prometheus on another host')
      .epilogue(
        'Needs prom-client installed next to schemabus. Runs until Ctrl-C (SIGINT) or SIGTERM.',
      ),
  run: (args, context) => runMetrics(args, context),
});
