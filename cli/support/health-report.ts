/**
 * The `/healthz` document of `schemabus metrics`: named checks, each `ok`
 * with what it looked at; healthy when every check is. A new check (the
 * bus's own health, a circuit breaker) is one more entry.
 */

/** One check: whether it passed, and details for a person reading the JSON. */
export interface HealthCheck {
  readonly ok: boolean;
  readonly [detail: string]: unknown;
}

/** What `/healthz` answers (200 when `status` is `ok`, else 503). */
export interface HealthReport {
  readonly status: 'ok' | 'failing';
  readonly checks: Readonly<Record<string, HealthCheck>>;
}

/** The report of `checks`: `ok` when every one passed. */
export function healthReport(checks: Readonly<Record<string, HealthCheck>>): HealthReport {
  const ok = Object.values(checks).every((check) => check.ok);
  return { status: ok ? 'ok' : 'failing', checks };
}
