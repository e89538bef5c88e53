/** Retention trims on publish but never an entry some group still needs, and reports the lagging group. */
import { expect, it } from 'vitest';
import type { Envelope } from '../../../runtime/bus.js';
import { waitFor } from '../../support/wait.js';
import { METRICS_MAX_LEN } from '../catalog.js';
import { groupDrained, inspectGroup, inspectStream } from '../helpers.js';
import type { ContractContext } from '../suite.js';

export function retentionCases({ h }: ContractContext): void {
  it('keeps entries a lagging group has not read, reports it, and trims once it caught up', async () => {
    const { bus, catalog, features } = h();
    expect(catalog.streams.metrics!.retention).toEqual({ maxLen: METRICS_MAX_LEN });
    const fast: number[] = [];
    bus.subscribe('fast', {
      'metric.recorded': async (event: Envelope<{ value: number }>) =>
        void fast.push(event.data.value),
    });
    const n = 4 * METRICS_MAX_LEN;
    for (let i = 0; i < n; i++) await bus.publish('metric.recorded', { name: 'cpu', value: i });
    await waitFor(
      () => fast.length === n,
      () => `fast handled ${n}, got ${fast.length}`,
    );
    await waitFor(() => groupDrained(bus, 'metrics', 'fast'));
    await bus.publish('metric.recorded', { name: 'cpu', value: n });
    await waitFor(() => fast.length === n + 1);

    const lagging = await inspectStream(bus, 'metrics');
    expect(lagging.length).toBe(n + 1);
    const byName = Object.fromEntries(lagging.groups.map((g) => [g.name, g]));
    expect(byName.slow?.laggingPastRetention).toBe(true);
    expect(byName.fast?.laggingPastRetention).toBe(false);

    const slow: number[] = [];
    bus.subscribe('slow', {
      'metric.recorded': async (event: Envelope<{ value: number }>) =>
        void slow.push(event.data.value),
    });
    await waitFor(
      () => slow.length === n + 1,
      () => `slow handled ${n + 1}, got ${slow.length}`,
    );
    expect(slow).toEqual([...Array(n + 1).keys()]);
    await waitFor(() => groupDrained(bus, 'metrics', 'slow'));
    await waitFor(() => groupDrained(bus, 'metrics', 'fast'));
    await bus.publish('metric.recorded', { name: 'cpu', value: n + 1 });
    await waitFor(() => fast.length === n + 2 && slow.length === n + 2);
    await waitFor(
      async () => {
        const groups = (await inspectStream(bus, 'metrics')).groups;
        return groups.every((g) => !g.laggingPastRetention);
      },
      () => 'no group lagging past retention',
    );
    const trimmed = await inspectStream(bus, 'metrics');
    if (!features.approximateRetention) expect(trimmed.length).toBe(METRICS_MAX_LEN);
    expect(trimmed.length).toBeLessThanOrEqual(n + 2);
    expect((await inspectGroup(bus, 'metrics', 'slow')).pending).toBe(0);
  });
}
