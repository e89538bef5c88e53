/**
 * Progress of a long operation (a DLQ replay or purge, a bootstrap): one
 * line on stderr, redrawn in place, only when stderr is a terminal and the
 * output is not `--json`; otherwise nothing at all, so scripts and pipes see
 * only the result. Counted (`replayed 120/5000 (2%)`) where the command
 * sees each step, else the time spent on a single call (`purging ... 3 s`).
 */
import type { CommandContext, LiveIo } from '../command.js';

/** Reports how far an operation got. */
export interface Progress {
  /** `done` of `total` finished. */
  update(done: number, total: number): void;
  /** Clears the line (the result follows). */
  end(): void;
}

/** Carriage return and erase the line. */
export const CLEAR_LINE = '\r\u001b[2K';

const QUIET: Progress = { update() {}, end() {} };

/** The terminal progress goes to, or undefined when it must stay quiet. */
function terminal(context: CommandContext, json: boolean): LiveIo | undefined {
  const live = context.live;
  return live?.stderrIsTTY && !json ? live : undefined;
}

/** A line `label done/total (pct%)`, redrawn when the percentage moves; or one that shows nothing. */
export function progressLine(context: CommandContext, label: string, json: boolean): Progress {
  const live = terminal(context, json);
  if (live === undefined) return QUIET;
  let shown = -1;
  let drawn = false;
  return {
    update(done, total) {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (percent === shown && done !== total) return;
      shown = percent;
      drawn = true;
      live.err(`${CLEAR_LINE}${label} ${done}/${total} (${percent}%)`);
    },
    end() {
      if (drawn) live.err(CLEAR_LINE);
      drawn = false;
    },
  };
}

/** Shows `label... N s` (a second more each second) while `work` runs, then clears it. */
export async function whileRunning<T>(
  context: CommandContext,
  label: string,
  json: boolean,
  work: () => Promise<T>,
): Promise<T> {
  const live = terminal(context, json);
  if (live === undefined) return work();
  const started = Date.now();
  const draw = () =>
    live.err(`${CLEAR_LINE}${label}... ${Math.floor((Date.now() - started) / 1000)} s`);
  draw();
  const timer = setInterval(draw, 1000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    live.err(CLEAR_LINE);
  }
}
