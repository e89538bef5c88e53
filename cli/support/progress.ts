/**
 * Progress of a long operation (a DLQ replay or purge, a bootstrap): one
 * line on stderr, redrawn in place, only when stderr is a terminal and the
 * output is not `--json`; otherwise nothing at all, so scripts and pipes see
 * only the result.
 */
import type { CommandContext } from '../command.js';

/** Reports how far an operation got. */
export interface Progress {
  /** `done` of `total` finished. */
  update(done: number, total: number): void;
  /** Clears the line (the result follows). */
  end(): void;
}

const QUIET: Progress = { update() {}, end() {} };

/** Carriage return and erase the line. */
const CLEAR_LINE = '\r\u001b[2K';

/** A progress line `label done/total (pct%)` on the terminal, or one that shows nothing. */
export function progressLine(context: CommandContext, label: string, json: boolean): Progress {
  const live = context.live;
  if (live === undefined || !live.stderrIsTTY || json) return QUIET;
  let shown = -1;
  let drawn = false;
  return {
    update(done, total) {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      // Redraw when the percentage moves (a large operation does not flood the terminal).
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
