/** Progress lines of long operations: drawn in place on a terminal, nothing with --json or off a terminal. */
import { describe, expect, it } from 'vitest';
import { CLEAR_LINE, progressLine, whileRunning } from '../../cli/support/progress.js';
import { testLive } from '../support/live-io.js';

describe('progressLine', () => {
  it('redraws the line when the percentage moves, and clears it at the end', () => {
    const term = testLive({ stderr: true });
    const progress = progressLine({ cwd: '.', live: term.live }, 'replaying s', false);
    for (let done = 0; done <= 400; done++) progress.update(done, 400);
    progress.end();
    const draws = term
      .err()
      .split(CLEAR_LINE)
      .filter((d) => d !== '');
    expect(draws).toHaveLength(101);
    expect(draws[0]).toBe('replaying s 0/400 (0%)');
    expect(draws[1]).toBe('replaying s 4/400 (1%)');
    expect(draws.at(-1)).toBe('replaying s 400/400 (100%)');
    expect(term.err().endsWith(CLEAR_LINE)).toBe(true);
  });

  it('shows nothing off a terminal, with --json, or without a terminal at all', () => {
    const off = testLive({ stderr: false });
    const json = testLive({ stderr: true });
    for (const [context, asJson] of [
      [{ cwd: '.', live: off.live }, false],
      [{ cwd: '.', live: json.live }, true],
      [{ cwd: '.' }, false],
    ] as const) {
      const progress = progressLine(context, 'x', asJson);
      progress.update(1, 2);
      progress.end();
    }
    expect(off.err() + json.err()).toBe('');
  });
});

describe('whileRunning', () => {
  it('shows the label while the work runs, clears it, and returns what the work returned', async () => {
    const term = testLive({ stderr: true });
    const value = await whileRunning(
      { cwd: '.', live: term.live },
      'purging',
      false,
      async () => 42,
    );
    expect(value).toBe(42);
    expect(term.err()).toBe(`${CLEAR_LINE}purging... 0 s${CLEAR_LINE}`);
  });

  it('clears the line when the work fails, and shows nothing with --json', async () => {
    const term = testLive({ stderr: true });
    const failing = whileRunning({ cwd: '.', live: term.live }, 'x', false, async () => {
      throw new Error('no');
    });
    await expect(failing).rejects.toThrow('no');
    expect(term.err().endsWith(CLEAR_LINE)).toBe(true);
    const quiet = testLive({ stderr: true });
    await whileRunning({ cwd: '.', live: quiet.live }, 'x', true, async () => 1);
    expect(quiet.err()).toBe('');
  });
});
