/**
 * Scratch: cost of the `uuid` and `date-time` format checks as ajv-formats
 * (fast mode) runs them, against hand-written checks with the same verdicts.
 * Run: npx tsx bench/scratch/format-checks.ts
 */
import { randomUUID } from 'node:crypto';

const UUID_RE = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const DATE_TIME_RE =
  /^\d\d\d\d-[0-1]\d-[0-3]\dt(?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)$/i;

/** Hex digit (either case) at `i`. */
function hex(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
}

/** Same verdict as UUID_RE. */
export function isUuid(s: string): boolean {
  let o = 0;
  if (s.length === 45) {
    if (s.slice(0, 9).toLowerCase() !== 'urn:uuid:') return false;
    o = 9;
  } else if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (s.charCodeAt(o + i) !== 45) return false;
    } else if (!hex(s, o + i)) return false;
  }
  return true;
}

const digit = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};

/** Same verdict as DATE_TIME_RE (syntax only; ajv-formats fast mode checks nothing more). */
export function isDateTime(s: string): boolean {
  const n = s.length;
  if (n < 20) return false;
  // yyyy-mm-ddThh:mm:ss
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]) if (!digit(s, i)) return false;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  if ((s.charCodeAt(10) | 32) !== 116 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58)
    return false;
  if (s.charCodeAt(5) > 49 || s.charCodeAt(8) > 51) return false;
  const leap =
    s.charCodeAt(11) === 50 &&
    s.charCodeAt(12) === 51 &&
    s.charCodeAt(14) === 53 &&
    s.charCodeAt(15) === 57 &&
    s.charCodeAt(17) === 54 &&
    s.charCodeAt(18) === 48;
  if (!leap && (s.charCodeAt(11) > 50 || s.charCodeAt(14) > 53 || s.charCodeAt(17) > 53))
    return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    i++;
    if (!digit(s, i)) return false;
    while (i < n && digit(s, i)) i++;
  }
  const c = s.charCodeAt(i);
  if ((c | 32) === 122) return i + 1 === n;
  if (c !== 43 && c !== 45) return false;
  if (!digit(s, i + 1) || !digit(s, i + 2)) return false;
  i += 3;
  if (i === n) return true;
  if (s.charCodeAt(i) === 58) i++;
  return i + 2 === n && digit(s, i) && digit(s, i + 1);
}

const uuids = Array.from({ length: 1024 }, () => randomUUID());
const times = Array.from({ length: 1024 }, (_, i) => new Date(Date.now() - i * 1000).toISOString());

function bench(name: string, fn: (i: number) => boolean): void {
  const n = 2_000_000;
  let ok = 0;
  for (let i = 0; i < n / 10; i++) if (fn(i & 1023)) ok++;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) if (fn(i & 1023)) ok++;
  console.log(
    `${name.padEnd(28)} ${(Number(process.hrtime.bigint() - t0) / n).toFixed(1).padStart(6)} ns/op (${ok} ok)`,
  );
}

// Same verdicts on a few edge cases.
const cases = [
  '',
  'x',
  '2026-03-01T08:00:00Z',
  '2026-03-01t08:00:00.123+01:00',
  '2026-03-01T23:59:60Z',
  '2026-13-01T08:00:00Z',
  '2026-03-01T08:00:00',
  '2026-03-01T08:00:00.Z',
  '2026-03-01T08:00:00+0100',
  '2026-03-01T08:00:00+01:0',
];
for (const c of cases)
  if (DATE_TIME_RE.test(c) !== isDateTime(c)) console.log('date-time differs on', c);
for (const c of [
  uuids[0]!,
  uuids[0]!.toUpperCase(),
  `urn:uuid:${uuids[0]}`,
  uuids[0]!.slice(1),
  `${uuids[0]!.slice(0, 8)}x${uuids[0]!.slice(9)}`,
]) {
  if (UUID_RE.test(c) !== isUuid(c)) console.log('uuid differs on', c);
}
for (let r = 0; r < 2; r++) {
  bench('uuid regex (ajv-formats)', (i) => UUID_RE.test(uuids[i]!));
  bench('uuid hand-checked', (i) => isUuid(uuids[i]!));
  bench('date-time regex (fast)', (i) => DATE_TIME_RE.test(times[i]!));
  bench('date-time hand-checked', (i) => isDateTime(times[i]!));
}
