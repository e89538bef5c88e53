/** A Logger that keeps what it was given, so tests can assert on signals such as `retention forced`. */
import type { Logger } from '../../runtime/bus.js';

export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly obj: object;
  readonly msg: string;
}

export interface CapturingLogger extends Logger {
  readonly records: LogRecord[];
  /** Records whose message matches `pattern`. */
  matching(pattern: RegExp): LogRecord[];
}

/** A fresh capturing logger; `echo` also prints records (for debugging a test). */
export function captureLogger(echo = false): CapturingLogger {
  const records: LogRecord[] = [];
  const add =
    (level: LogRecord['level']) =>
    (obj: object, msg = '') => {
      records.push({ level, obj, msg });
      if (echo) console.log(level, msg, JSON.stringify(obj));
    };
  return {
    records,
    matching: (pattern) => records.filter((r) => pattern.test(r.msg)),
    debug: add('debug'),
    info: add('info'),
    warn: add('warn'),
    error: add('error'),
  };
}
