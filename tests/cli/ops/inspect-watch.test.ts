/**
 * `schemabus inspect --watch`: on a terminal each inspection redraws the
 * screen in place, elsewhere blocks follow one another, with --json one
 * document per line whose rates are the growth between two documents; the
 * command ends when stopped (SIGINT).
 */
import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../../cli/command.js';
import { runBootstrap } from '../../../cli/commands/bootstrap.js';
import { runInspect } from '../../../cli/commands/inspect.js';
import { CLEAR_SCREEN } from '../../../cli/support/inspect-watch.js';
import { testLive } from '../../support/live-io.js';
import { waitFor } from '../../support/wait.js';
import { SCHEMA, useOpsFixture } from './ops-fixture.js';

const fixture = useOpsFixture();

const health = (component: string) => ({
  component,
  healthy: true,
  checkedAt: new Date().toISOString(),
});

function watch(stdout: boolean, json = false) {
  const { url, context } = fixture();
  const term = testLive({ stdout });
  const running: Promise<CommandResult> = runInspect(
    { redis: url, schema: SCHEMA, watch: 0.1, json },
    { ...context, live: term.live },
  );
  return { term, running };
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe('schemabus inspect --watch', () => {
  it('on a terminal, clears the screen and redraws, with rates from the second inspection on', async () => {
    const { url, context, newBus } = fixture();
    await runBootstrap({ redis: url, schema: SCHEMA }, context);
    const bus = newBus();
    bus.subscribe(
      'monitoring-service',
      {
        'system.health-checked': async () => {},
        'system.error-reported': async () => {},
        'timer.fired': async () => {},
      },
      { consumer: 'watcher-1' },
    );
    await waitFor(async () => {
      const system = (await bus.inspect()).streams.find((s) => s.name === 'system-events');
      return system?.groups[0]?.consumers.length === 1;
    });
    const { term, running } = watch(true);
    await waitFor(() => count(term.out(), CLEAR_SCREEN) >= 1);
    await bus.publish('system.health-checked', health('db'));
    await waitFor(() => count(term.out(), CLEAR_SCREEN) >= 3);
    term.stop();
    expect(await running).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    const frames = term.out().split(CLEAR_SCREEN).slice(1);
    expect(frames[0]).toMatch(
      /^Redis at redis:\/\/\S+, namespace \S+ \(events\.schema\.yaml\), \d{4}-\d\d-\d\dT\S+Z, every 0\.1 s; Ctrl-C stops\n/,
    );
    expect(frames[0]).toMatch(
      /^STREAM +LENGTH +IN\/S +DLQ +GROUP +CONSUMERS +PENDING +OLDEST +LAG +ACK\/S +RETENTION$/m,
    );
    // The first inspection has no rates yet; later ones do, for every stream and group.
    expect(frames[0]).toMatch(
      /^system-events +\d+ +- +0 +monitoring-service +1 +\d+ +\S+( \S+)? +\d+ +- +ok$/m,
    );
    const last = frames.at(-1)!;
    expect(last).toMatch(
      /^system-events +\d+ +[\d.]+ +0 +monitoring-service +1 +\d+ +\S+( \S+)? +\d+ +[\d.]+ +ok$/m,
    );
    expect(last).toMatch(/^ +watcher-1 +\d+ +idle \d/m);
    expect(last).toContain('nothing needs a look');
  });

  it('elsewhere, prints one block after another, no escape codes', async () => {
    const { term, running } = watch(false);
    await waitFor(
      () => count(term.out(), 'nothing needs a look') + count(term.out(), 'finding') >= 2,
    );
    term.stop();
    expect((await running).exitCode).toBe(0);
    expect(term.out()).not.toContain('\u001b');
    expect(count(term.out(), '\n\nRedis at ')).toBeGreaterThanOrEqual(1);
  });

  it('with --json, one document per inspection whose rates are the growth since the one before', async () => {
    const { url, context, newBus } = fixture();
    await runBootstrap({ redis: url, schema: SCHEMA }, context);
    const bus = newBus();
    const { term, running } = watch(false, true);
    const lines = () =>
      term
        .out()
        .split('\n')
        .filter((l) => l !== '');
    await waitFor(() => lines().length >= 1);
    for (const name of ['a', 'b', 'c']) await bus.publish('system.health-checked', health(name));
    await waitFor(() => lines().length >= 3);
    term.stop();
    await running;
    const docs = lines().map((l) => JSON.parse(l));
    const system = (doc: (typeof docs)[number]) =>
      doc.streams.find((s: { name: string }) => s.name === 'system-events');
    expect(system(docs[0]).addedPerSecond).toBeNull();
    expect(system(docs[0]).groups[0].ackedPerSecond).toBeNull();
    let grew = 0;
    for (let i = 1; i < docs.length; i++) {
      const [before, after] = [system(docs[i - 1]), system(docs[i])];
      const seconds = (Date.parse(docs[i].at) - Date.parse(docs[i - 1].at)) / 1000;
      const added = after.entriesAdded - before.entriesAdded;
      grew += added;
      expect(after.addedPerSecond).toBeCloseTo(added / seconds, 6);
      const unfinished = (s: typeof before) => s.groups[0].lag + s.groups[0].pending;
      expect(after.groups[0].ackedPerSecond).toBeCloseTo(
        (added - (unfinished(after) - unfinished(before))) / seconds,
        6,
      );
    }
    expect(grew).toBe(3);
    expect(docs[0]).toMatchObject({ redis: url, findings: [] });
  });

  it('refuses a watch interval under 0.1 s', async () => {
    const { url, context } = fixture();
    const outcome = await runInspect({ redis: url, schema: SCHEMA, watch: 0 }, context);
    expect(outcome).toMatchObject({ exitCode: 2 });
    expect(outcome.stderr).toContain('--watch takes seconds (0.1 or more), got 0');
  });
});
