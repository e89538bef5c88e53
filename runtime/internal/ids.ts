/**
 * Event ids and consumer names.
 *
 * Event ids are UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a
 * 12-bit counter (method 1 of RFC 9562 section 6.2) so ids made by one process
 * sort in creation order even inside one millisecond, then 62 random bits.
 * Random bytes come from a pooled buffer refilled 4 KiB at a time, so one id
 * costs no system call.
 */
import { randomFillSync } from 'node:crypto';
import { hostname } from 'node:os';

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let poolOffset = POOL_BYTES;

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

const HEX_CODES = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  HEX_CODES[2 * i] = HEX[i]!.charCodeAt(0);
  HEX_CODES[2 * i + 1] = HEX[i]!.charCodeAt(1);
}
/** `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, the dashes written once. */
const scratch = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');

function putHex(at: number, byte: number): void {
  scratch[at] = HEX_CODES[2 * byte]!;
  scratch[at + 1] = HEX_CODES[2 * byte + 1]!;
}

let lastMs = -1;
let counter = 0;

function takeRandom(bytes: number): number {
  if (poolOffset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += bytes;
  return at;
}

/**
 * A new UUIDv7: unique, and ordered by creation time (strictly increasing
 * inside one process, also within one millisecond and across a clock step back).
 */
export function newEventId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    // Start the counter in its lower half so a burst has room to count up.
    const r = takeRandom(2);
    counter = ((pool[r]! << 8) | pool[r + 1]!) & 0x7ff;
  } else if (++counter > 0xfff) {
    // Counter exhausted (or the clock went back): borrow the next millisecond.
    lastMs++;
    counter = 0;
  }
  const ms = lastMs;
  const hi = Math.floor(ms / 0x1000000); // upper 24 bits of the 48-bit timestamp
  const lo = ms % 0x1000000; // lower 24 bits
  const r = takeRandom(8);
  // Write ASCII hex into a scratch buffer and decode it once: one flat string, no concatenation garbage.
  putHex(0, (hi >>> 16) & 0xff);
  putHex(2, (hi >>> 8) & 0xff);
  putHex(4, hi & 0xff);
  putHex(6, (lo >>> 16) & 0xff);
  putHex(9, (lo >>> 8) & 0xff);
  putHex(11, lo & 0xff);
  putHex(14, 0x70 | (counter >>> 8));
  putHex(16, counter & 0xff);
  putHex(19, 0x80 | (pool[r]! & 0x3f));
  putHex(21, pool[r + 1]!);
  putHex(24, pool[r + 2]!);
  putHex(26, pool[r + 3]!);
  putHex(28, pool[r + 4]!);
  putHex(30, pool[r + 5]!);
  putHex(32, pool[r + 6]!);
  putHex(34, pool[r + 7]!);
  return scratch.toString('latin1', 0, 36);
}

/** The millisecond timestamp a UUIDv7 was made at, or `undefined` for any other string. */
export function eventIdTime(id: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id)) {
    return undefined;
  }
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** Four random hex characters. */
export function randomHex4(): string {
  const r = takeRandom(2);
  return HEX[pool[r]!]! + HEX[pool[r + 1]!]!;
}

/** The default consumer name: `<hostname>-<pid>-<4 random hex>`, unique per subscription. */
export function defaultConsumerName(): string {
  return `${hostname()}-${process.pid}-${randomHex4()}`;
}
