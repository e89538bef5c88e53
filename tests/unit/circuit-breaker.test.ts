import { describe, expect, it } from 'vitest';
import { NonRetryableError } from '../../runtime/errors.js';
import { type BreakerState, CircuitBreaker } from '../../runtime/internal/circuit-breaker.js';
import { ManualClock } from '../../runtime/memory/clock.js';

function breaker(options = {}) {
  const clock = new ManualClock();
  const changes: BreakerState[] = [];
  const b = new CircuitBreaker(
    { failureRate: 0.5, minDeliveries: 4, windowMs: 1000, coolDownMs: 500, ...options },
    clock,
    (state) => changes.push(state),
  );
  return { b, clock, changes };
}

const down = new Error('database down');

describe('CircuitBreaker', () => {
  it('opens once more than failureRate of at least minDeliveries failed within the window', () => {
    const { b, changes } = breaker();
    b.record(false);
    b.record(true, down);
    b.record(true, down);
    expect(b.state).toBe('closed'); // 3 deliveries, under minDeliveries
    b.record(false);
    expect(b.state).toBe('closed'); // 2 of 4: not more than half
    b.record(true, down);
    expect(b.state).toBe('open'); // 3 of 5
    expect(changes).toEqual(['open']);
    expect(b.allow()).toBe(false);
    expect(b.lastFailure).toBe(down);
  });

  it('forgets failures older than the window', () => {
    const { b, clock } = breaker();
    for (let i = 0; i < 3; i++) b.record(true, down);
    clock.advance(1100);
    b.record(true, down);
    expect(b.state).toBe('closed'); // the first three fell out of the window
  });

  it('after the cool-down lets one probe through: success closes it, failure opens it again', async () => {
    const { b, clock, changes } = breaker();
    for (let i = 0; i < 4; i++) b.record(true, down);
    let allowed = false;
    void b.whenAllowed().then(() => {
      allowed = true;
    });
    clock.advance(500);
    await Promise.resolve();
    expect(allowed).toBe(true);
    expect(b.state).toBe('half-open');
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false); // one probe at a time
    b.record(true, down);
    expect(b.state).toBe('open');
    clock.advance(500);
    expect(b.allow()).toBe(true);
    b.record(false);
    expect(b.state).toBe('closed');
    expect(b.allow()).toBe(true);
    expect(changes).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('never counts NonRetryableError, nor what isFailure rejects', () => {
    const { b } = breaker({ isFailure: (e: unknown) => (e as Error).message.includes('down') });
    for (let i = 0; i < 10; i++) b.record(true, new NonRetryableError('bad event'));
    for (let i = 0; i < 10; i++) b.record(true, new Error('validation of this order failed'));
    expect(b.state).toBe('closed');
    for (let i = 0; i < 21; i++) b.record(true, down);
    expect(b.state).toBe('open');
  });
});
