/** waitUntilReady() says when the bus can reach its server; bootstrap() reports what it created and what was there. */
import { expect, it } from 'vitest';
import { ClosedError } from '../../../runtime/errors.js';
import type { ContractContext } from '../suite.js';

export function setupCases({ h }: ContractContext): void {
  it('waitUntilReady() resolves on a live bus and rejects with ClosedError once it is closed', async () => {
    const { bus } = h();
    await expect(bus.waitUntilReady({ timeoutMs: 5000 })).resolves.toBeUndefined();
    await bus.close();
    await expect(bus.waitUntilReady()).rejects.toBeInstanceOf(ClosedError);
  });

  it('bootstrap() is idempotent and reports every stream and group of the catalogue, sorted', async () => {
    const { bus, catalog } = h();
    // The suite bootstrapped once already: everything is there.
    const report = await bus.bootstrap();
    expect(report.streams.map((s) => s.name)).toEqual(Object.keys(catalog.streams).sort());
    for (const stream of report.streams) {
      const def = catalog.streams[stream.name]!;
      expect(stream).toEqual({
        name: def.name,
        key: def.key,
        dlqKey: def.dlqKey,
        status: 'found',
        groups: Object.values(def.groups).map((g) => ({
          name: g.name,
          startFrom: g.startFrom,
          status: 'found',
        })),
        unknownGroups: [],
      });
    }
    expect(await bus.bootstrap()).toEqual(report);
  });
}
