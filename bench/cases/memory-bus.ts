/**
 * In-memory bus throughput: the generated publisher (validation on) ->
 * InMemoryEventBus -> a no-op handler, 1000 publishes in flight, a fresh
 * payload per publish, against a Node EventEmitter carrying fresh payloads
 * too (no validation, no envelope: the floor). Every run is a fresh child
 * process: `schemabus` measures the in-memory bus alone, `schemabus-after-redis`
 * in a process that published and consumed on the Redis bus first (shared
 * consumer code then has seen both buses).
 */
import { fileURLToPath } from 'node:url';
import { runChild } from '../support/child.js';
import { flavors } from '../support/schemabus.js';
import type { Case, Check, Variant } from '../support/types.js';

const CHILD = fileURLToPath(new URL('../support/memory-bus-child.ts', import.meta.url));
const CHILD_TIMEOUT_MS = 180_000;

function childVariant(name: string, kind: string, flavor: string, n: number): Variant {
  return {
    name,
    run: (ctx) =>
      runChild<{ rate: number }>(CHILD, [kind, flavor, ctx.redisUrl, String(n)], CHILD_TIMEOUT_MS),
  };
}

export function memoryBusCase(quick: boolean): Case {
  const n = quick ? 5000 : 200_000;
  const variants: Variant[] = [childVariant('event-emitter', 'event-emitter', '', n)];
  const checks: Check[] = [];
  for (const f of flavors()) {
    const flavor = `schemabus${f.suffix}`;
    const pure = `in-memory/schemabus${f.suffix}/rate`;
    const mixed = `in-memory/schemabus-after-redis${f.suffix}/rate`;
    variants.push(
      childVariant(`schemabus${f.suffix}`, 'pure', flavor, n),
      childVariant(`schemabus-after-redis${f.suffix}`, 'after-redis', flavor, n),
    );
    checks.push(
      {
        label: `in-memory publish -> handle${f.suffix} (events/s)`,
        value: pure,
        target: { op: '>=', bound: 300_000 },
      },
      {
        label: `in-memory after the Redis bus ran${f.suffix} / in-memory alone`,
        value: mixed,
        over: pure,
        target: { op: '>=', bound: 0.9 },
      },
      {
        label: `in-memory bus${f.suffix} / EventEmitter`,
        value: pure,
        over: 'in-memory/event-emitter/rate',
      },
    );
  }
  return {
    name: 'in-memory',
    title: 'in-memory bus publish -> handle (each run a fresh child process)',
    metrics: [{ name: 'rate', unit: 'events/s', better: 'higher' }],
    beforeRun: (ctx) => ctx.admin.flushall().then(() => undefined),
    variants,
    checks,
    note: 'fresh payload per publish; schemabus-after-redis: the child first publishes and consumes on the Redis bus (n/4 events, at most 50k), closes it, then measures the in-memory bus',
  };
}
