/**
 * The least-privilege Redis ACL of a catalogue (`schemabus acl`): the keys of
 * its streams, the channels of its realtime channels, and only the commands
 * the bus and the CLI's operations commands send. Pure: a catalogue in, the
 * grant and its `ACL SETUSER` line out.
 *
 * Three things this file knows about the runtime, each held to it by a test
 * (`tests/unit/acl-rule.test.ts`):
 * - every key of a stream starts with its key (`runtime/redis/keys.ts`:
 *   `{ns:stream}`, `{ns:stream}:dlq`, `{ns:stream}:failures`,
 *   `{ns:stream}:dedup:<id>`), so `~{ns:stream}` and `~{ns:stream}:*` cover
 *   them; the partitions of a partitioned stream, `{ns:stream:p<i>}` and the keys
 *   beside each (`schema/partition-keys.ts`), are covered by `~{ns:stream:p*}`
 *   and `~{ns:stream:p*}:*`;
 * - a realtime subscription without params PSUBSCRIBEs the channel's prefix
 *   and pattern with `*` for each param (`runtime/internal/channels.ts`), and
 *   Redis allows a PSUBSCRIBE only when that pattern is literally one of the
 *   user's `&` patterns; the same pattern, as a glob, allows PUBLISH and
 *   SUBSCRIBE of every concrete channel;
 * - the commands: every command `runtime/redis/` sends, Lua scripts' commands
 *   included (Redis checks them one by one), and what ioredis sends when it
 *   connects.
 */
import type { Catalog, CatalogChannel } from '../../runtime/catalog.js';

/** What a user of the catalogue's bus needs. */
export interface AclGrant {
  /** Key patterns (`~` rules, without the `~`). */
  readonly keys: readonly string[];
  /** Channel patterns (`&` rules, without the `&`). */
  readonly channels: readonly string[];
  /** Commands, `name` or `name|subcommand` (`+` rules, without the `+`). */
  readonly commands: readonly string[];
  /** What the grant does not cover, for the person applying it. */
  readonly notes: readonly string[];
}

/**
 * Every command the Redis bus sends, with why. Connection: ioredis's
 * connect-time commands and the bus's own; AUTH, HELLO and QUIT need no
 * grant (Redis allows them to every user).
 */
export const BUS_COMMANDS: ReadonlyArray<readonly [command: string, why: string]> = [
  ['client|setname', 'ioredis names every connection (connectionName) when it connects'],
  ['client|id', 'a blocking reader learns its connection id'],
  ['client|unblock', 'close() ends a blocked read at once'],
  ['client|kill', 'the reader watchdog kills a hung reader connection server-side'],
  ['select', 'ioredis selects the database of the URL (/N) when it connects'],
  ['info', "ioredis's ready check (it waits while Redis loads its data)"],
  ['ping', 'waitUntilReady'],
  ['asking', 'on a Redis Cluster, a blocking read of a stream whose slot is being migrated'],
  ['exists', 'bootstrap and inspect: whether a stream exists'],
  ['del', 'dlq purge of a whole DLQ; a partition lease released'],
  ['multi', 'dlq purge: count and delete in one transaction'],
  ['exec', 'dlq purge: count and delete in one transaction'],
  ['get', 'idempotent publish: the dedup marker (publish-once.lua); partition leases'],
  ['set', 'idempotent publish: the dedup marker (publish-once.lua); partition leases'],
  ['hget', 'failure records (fail.lua, claim.lua, reclaim-own.lua, dead-letter.lua)'],
  ['hset', 'failure records (fail.lua)'],
  ['hdel', 'failure records, deleted on ack and on dead-lettering'],
  ['pexpire', 'partitioned streams: lease renewal, membership expiry (partition-*.lua)'],
  ['time', "partitioned streams: membership heartbeats on Redis's clock (partition-members.lua)"],
  ['zadd', 'partitioned streams: a consumer joins its group (partition-members.lua)'],
  ['zrem', 'partitioned streams: a consumer leaves its group (partition-members.lua)'],
  ['zremrangebyscore', 'partitioned streams: expired members are dropped (partition-members.lua)'],
  ['zrange', 'partitioned streams: the live members (partition-members.lua)'],
  ['xadd', 'publish, dead-letter, replay'],
  ['xread', 'tail'],
  ['xreadgroup', 'consumers'],
  ['xack', 'consumers'],
  ['xclaim', 'retries, takeovers and heartbeats (claim.lua, fail.lua, reclaim-own.lua, touch.lua)'],
  ['xpending', 'consumer scripts, retention (trim.lua), the pending re-read'],
  ['xrange', 'DLQ list/show, replay, retention, dead-lettering, heartbeats'],
  ['xrevrange', 'tail: the last entry id'],
  ['xlen', 'inspect, DLQ count, retention'],
  ['xdel', 'DLQ purge, replay (replay.lua)'],
  ['xtrim', 'retention (trim.lua)'],
  ['xgroup|create', 'bootstrap, and consumers creating their group'],
  ['xgroup|createconsumer', 'a consumer registers itself'],
  [
    'xgroup|delconsumer',
    'a consumer that holds nothing is removed on close (release-consumer.lua)',
  ],
  ['xinfo|stream', 'inspect'],
  ['xinfo|groups', 'bootstrap, inspect, retention (trim.lua)'],
  ['xinfo|consumers', 'inspect'],
  ['publish', 'realtime publish'],
  ['subscribe', 'realtime with every param given'],
  ['psubscribe', 'realtime with params missing'],
  ['unsubscribe', 'realtime unsubscribe'],
  ['punsubscribe', 'realtime unsubscribe'],
  ['eval', "the bus's Lua scripts, the first call on a connection"],
  ['evalsha', "the bus's Lua scripts"],
];

/** The grant of `catalog`: its keys, channels, and the bus's commands. */
export function leastPrivilege(catalog: Catalog): AclGrant {
  const keys: string[] = [];
  for (const name of Object.keys(catalog.streams).sort()) {
    const stream = catalog.streams[name]!;
    keys.push(escapeGlob(stream.key), `${escapeGlob(stream.key)}:*`);
    if (!stream.dlqKey.startsWith(`${stream.key}:`)) keys.push(escapeGlob(stream.dlqKey));
    if (stream.partitions !== undefined) {
      // `{ns:stream:p<i>}` and its keys; stream names hold no `:`, so no other stream matches.
      const partitions = `${escapeGlob(stream.key.slice(0, -1))}:p*}`;
      keys.push(partitions, `${partitions}:*`);
    }
  }
  const channels: string[] = [];
  const notes: string[] = [];
  for (const name of Object.keys(catalog.channels).sort()) {
    const channel = catalog.channels[name]!;
    channels.push(channelGlob(channel));
    if (channel.params.length > 1) {
      notes.push(
        `channel ${channel.name} has ${channel.params.length} params (${channel.params.join(', ')}): ` +
          'a subscription giving some of them but not all PSUBSCRIBEs a pattern holding their values, ' +
          "which Redis allows only when that exact pattern is one of the user's & rules; " +
          'give all params or none, or add such patterns to the user',
      );
    }
  }
  return {
    keys: unique(keys),
    channels: unique(channels),
    commands: BUS_COMMANDS.map(([command]) => command),
    notes,
  };
}

/** The arguments of `ACL SETUSER` (after the verb) granting `grant` to `user` with `password`. */
export function setUserArgs(user: string, password: string, grant: AclGrant): string[] {
  return [
    user,
    'reset',
    'on',
    `>${password}`,
    ...grant.keys.map((key) => `~${key}`),
    ...grant.channels.map((channel) => `&${channel}`),
    ...grant.commands.map((command) => `+${command}`),
  ];
}

/** The `ACL SETUSER` command as one line for redis-cli (arguments quoted when they need it). */
export function setUserLine(args: readonly string[]): string {
  return ['ACL', 'SETUSER', ...args].map(cliQuote).join(' ');
}

/**
 * `text` as one redis-cli argument: as it is when it holds no space, quote
 * or control character, else in double quotes with `\\`, `\"` and `\xHH`
 * escapes (what redis-cli's argument splitting reads back).
 */
export function cliQuote(text: string): string {
  if (text !== '' && !/[\s"'\\]/.test(text) && !hasControlCharacter(text)) return text;
  let quoted = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === '\\') quoted += `\\${char}`;
    else if (isControl(code)) quoted += `\\x${code.toString(16).padStart(2, '0')}`;
    else quoted += char;
  }
  return `${quoted}"`;
}

/** Whether `text` holds a control character (C0 or DEL). */
export function hasControlCharacter(text: string): boolean {
  for (const char of text) if (isControl(char.codePointAt(0)!)) return true;
  return false;
}

function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

/**
 * What a subscription to `channel` without params (PSUBSCRIBE) or, for a
 * channel without params, every subscription (SUBSCRIBE) names: the prefix
 * and pattern, glob characters escaped, `*` for each `{param}`.
 */
export function channelGlob(channel: CatalogChannel): string {
  const parts = channel.pattern.split(/\{[A-Za-z_$][\w$]*\}/);
  return escapeGlob(channel.prefix) + parts.map(escapeGlob).join('*');
}

/** Escapes the glob characters of Redis patterns (`* ? [ ] \`). */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
