/** Stream entry ids (`<ms>-<seq>`). */

const STREAM_ID = /^\d+-\d+$/;

/** Whether `id` is a complete stream entry id. */
export function isStreamId(id: string): boolean {
  return STREAM_ID.test(id);
}

/** Compares two stream ids numerically: negative when `a` is older. Non-ids sort first. */
export function compareIds(a: string, b: string): number {
  const validA = isStreamId(a);
  const validB = isStreamId(b);
  if (!validA || !validB) return validA === validB ? 0 : validA ? 1 : -1;
  const [am, as] = a.split('-') as [string, string];
  const [bm, bs] = b.split('-') as [string, string];
  const ms = BigInt(am) - BigInt(bm);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(as) - BigInt(bs);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}
