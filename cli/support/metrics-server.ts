/**
 * The HTTP side of `schemabus metrics` (node:http): `GET /metrics` answers
 * the Prometheus text of the registry, `GET /healthz` the health report as
 * JSON (200 when healthy, 503 otherwise); anything else is a 404 naming the
 * two paths.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthReport } from './health-report.js';

/** What the server answers with. */
export interface MetricsEndpoints {
  /** The exposition text and its content type. */
  metrics(): Promise<{ readonly contentType: string; readonly body: string }>;
  health(): HealthReport;
}

/** A listening server. */
export interface RunningServer {
  /** `http://host:port` (the port the system gave when 0 was asked). */
  readonly url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Listens on `host:port`; rejects when that fails (port in use, unknown host). */
export function serveMetrics(
  host: string,
  port: number,
  endpoints: MetricsEndpoints,
): Promise<RunningServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      endpoints.metrics().then(
        ({ contentType, body }) =>
          response.writeHead(200, { 'content-type': contentType }).end(body),
        (error: unknown) =>
          response.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`),
      );
    } else if (path === '/healthz') {
      const report = endpoints.health();
      response
        .writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' })
        .end(`${JSON.stringify(report)}\n`);
    } else {
      response
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('schemabus metrics serves /metrics and /healthz\n');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${shown}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
