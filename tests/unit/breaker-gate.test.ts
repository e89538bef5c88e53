import { describe, expect, it } from 'vitest';
import type { Logger } from '../../runtime/bus.js';
import type { CatalogGroup } from '../../runtime/catalog.js';
import { BreakerGate, breakerOptionsOf } from '../../runtime/internal/breaker-gate.js';
import type { BreakerState } from '../../runtime/internal/circuit-breaker.js';
import { noopLogger } from '../../runtime/internal/logger.js';
import { noopMetrics } from '../../runtime/internal/metrics.js';
import { SubscriptionStatus } from '../../runtime/internal/subscription-status.js';
import { ManualClock } from '../../runtime/memory/clock.js';

const group: CatalogGroup = {
  name: 'billing',
  stream: 'orders',
  events: ['order.placed'],
  retry: { maxAttempts: 3, backoff: { initialMs: 10, factor: 2, maxMs: 100, jitter: 0 } },
  claimIdleMs: 1000,
  dlq: true,
  startFrom: 'latest',
};
const catalogued: CatalogGroup = {
  ...group,
  circuitBreaker: { failureRate: 0.5, minDeliveries: 10, windowMs: 10_000, coolDownMs: 30_000 },
};

describe('breakerOptionsOf', () => {
  it.each([
    ['no option, no catalogue breaker: none', group, undefined, undefined],
    ['true without a catalogue breaker: the defaults', group, true, {}],
    ['the catalogue breaker when no option', catalogued, undefined, catalogued.circuitBreaker],
    ['true takes the catalogue breaker', catalogued, true, catalogued.circuitBreaker],
    ['false turns the catalogue breaker off', catalogued, false, undefined],
    [
      'an object overrides the catalogue field by field',
      catalogued,
      { coolDownMs: 500, windowMs: undefined },
      { ...catalogued.circuitBreaker, coolDownMs: 500 },
    ],
  ] as const)('%s', (_, g, option, want) => {
    expect(breakerOptionsOf(g, option)).toEqual(want);
  });
});

describe('BreakerGate', () => {
  function setup() {
    const clock = new ManualClock();
    const lines: { level: string; msg: string | undefined; obj: object }[] = [];
    const log =
      (level: string) =>
      (obj: object, msg?: string): void => {
        lines.push({ level, msg, obj });
      };
    const logger: Logger = {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
    };
    const states: BreakerState[] = [];
    const metrics = {
      ...noopMetrics,
      circuitState: (_s: string, _g: string, state: BreakerState) => states.push(state),
    };
    const status = new SubscriptionStatus(noopLogger);
    const gate = new BreakerGate({ minDeliveries: 2, coolDownMs: 100 }, group, 'c1', status, {
      logger,
      metrics,
      clock,
    });
    return { clock, lines, states, status, gate };
  }

  it('pauses the subscription while open, holds deliveries, lets one probe through, and reports every change', async () => {
    const { clock, lines, states, status, gate } = setup();
    const a = {};
    const b = {};
    expect(
      gate.admit(
        a,
        () => {},
        () => {},
      ),
    ).toBe(true);
    gate.record(a, false, new Error('db down'));
    expect(
      gate.admit(
        b,
        () => {},
        () => {},
      ),
    ).toBe(true);
    gate.record(b, false, new Error('db down'));
    expect(status.state).toBe('paused');
    expect(status.lastError?.message).toMatch(
      /circuit breaker of group "billing" on stream "orders" is open .*db down/,
    );
    expect(gate.reading).toBe(false);
    const started: string[] = [];
    expect(
      gate.admit(
        {},
        () => started.push('held'),
        () => started.push('dropped'),
      ),
    ).toBe(false);
    clock.advance(100);
    await Promise.resolve();
    expect(started).toEqual(['held']); // woken to ask again: the probe
    expect(gate.facts()).toEqual({ stream: 'orders', state: 'half-open', lastFailure: 'db down' });
    const probe = {};
    expect(
      gate.admit(
        probe,
        () => {},
        () => {},
      ),
    ).toBe(true);
    expect(gate.reading).toBe(false); // one probe at a time
    gate.record(a, false, new Error('late failure of a delivery started before')); // not the probe
    expect(gate.facts().state).toBe('half-open');
    gate.record(probe, true, undefined);
    expect(status.state).toBe('running');
    expect(status.lastError).toBeUndefined();
    expect(states).toEqual(['closed', 'open', 'half-open', 'closed']);
    expect(lines.map((l) => [l.level, (l.obj as { state: string }).state])).toEqual([
      ['warn', 'open'],
      ['info', 'half-open'],
      ['info', 'closed'],
    ]);
    expect(lines[0]!.obj).toMatchObject({
      stream: 'orders',
      group: 'billing',
      consumer: 'c1',
      error: 'db down',
    });
  });

  it('drops what waits when the subscription closes', async () => {
    const { status, gate } = setup();
    for (const key of [{}, {}]) {
      gate.admit(
        key,
        () => {},
        () => {},
      );
      gate.record(key, false, new Error('db down'));
    }
    const seen: string[] = [];
    gate.admit(
      {},
      () => seen.push('started'),
      () => seen.push('dropped'),
    );
    status.closing();
    await Promise.resolve();
    await Promise.resolve();
    expect(seen).toEqual(['dropped']);
  });
});
