/**
 * The least-privilege ACL of `schemabus acl` (generator/acl) is held to the
 * runtime it grants for: every key runtime/redis/keys.ts derives matches a
 * key pattern (and no other stream's key does), every channel the bus
 * publishes or subscribes to matches a channel pattern and the PSUBSCRIBE
 * pattern is one of them literally, and the command list is exactly what
 * runtime/redis sends (a command added there fails this test until it is
 * granted). The end-to-end proof is tests/redis/least-privilege.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import redisCommands from '@ioredis/commands';
import { describe, expect, it } from 'vitest';
import { catalog as exampleCatalog } from '../../generated/catalog.js';
import {
  BUS_COMMANDS,
  channelGlob,
  cliQuote,
  leastPrivilege,
  setUserArgs,
  setUserLine,
} from '../../generator/acl/least-privilege.js';
import { channelName, channelSubscription, globToRegExp } from '../../runtime/internal/channels.js';
import { partitionKeys } from '../../runtime/internal/partitions.js';
import {
  dedupKey,
  partitionLeaseKey,
  partitionMembersKey,
  streamKeys,
} from '../../runtime/redis/keys.js';
import { createTestCatalog } from '../contract/catalog.js';

const root = join(import.meta.dirname, '../..');
const catalogs = [exampleCatalog, createTestCatalog('acl-test')];

const matchesAny = (patterns: readonly string[], name: string) =>
  patterns.some((pattern) => globToRegExp(pattern).test(name));

describe('the keys of the grant', () => {
  it.each(catalogs.map((c) => [c.namespace, c] as const))(
    '%s: every key of every stream, and nothing of another stream or namespace',
    (_, catalog) => {
      const { keys } = leastPrivilege(catalog);
      expect(keys).not.toContain('*');
      for (const stream of Object.values(catalog.streams)) {
        const derived = partitionKeys(stream).flatMap((p) => [
          ...Object.values(streamKeys(stream, p.key)),
          p.dlqKey,
          dedupKey(p.key, '0193a5c2-7d1e-7000-8000-000000000000'),
          ...Object.keys(stream.groups).map((group) => partitionLeaseKey(p.key, group)),
        ]);
        for (const group of Object.keys(stream.groups))
          derived.push(partitionMembersKey(stream, group));
        for (const key of derived) expect(matchesAny(keys, key), key).toBe(true);
      }
      const [namespace] = [catalog.namespace];
      for (const other of [
        `{${namespace}:not-a-stream}`,
        `{${namespace}:jobs:p0}`,
        `{other:${namespace}}`,
        'x',
        `${namespace}:x`,
      ]) {
        expect(matchesAny(keys, other), other).toBe(false);
      }
    },
  );

  it('lists the example catalogue stream by stream', () => {
    expect(leastPrivilege(exampleCatalog).keys).toEqual([
      '{campaigns:campaign-events}',
      '{campaigns:campaign-events}:*',
      '{campaigns:notification-events}',
      '{campaigns:notification-events}:*',
      '{campaigns:system-events}',
      '{campaigns:system-events}:*',
      '{campaigns:timer-events}',
      '{campaigns:timer-events}:*',
    ]);
  });
});

describe('the channels of the grant', () => {
  it.each(catalogs.map((c) => [c.namespace, c] as const))(
    '%s: what the bus PSUBSCRIBEs literally, what it SUBSCRIBEs and PUBLISHes by match',
    (_, catalog) => {
      const { channels } = leastPrivilege(catalog);
      for (const channel of Object.values(catalog.channels)) {
        const all = channelSubscription(channel, {});
        // PSUBSCRIBE: Redis compares the pattern with the user's & rules literally.
        if (!all.exact) expect(channels).toContain(all.glob);
        else expect(matchesAny(channels, all.name)).toBe(true);
        const params = Object.fromEntries(channel.params.map((p) => [p, 'v-1']));
        const one = channelSubscription(channel, params);
        expect(one.exact).toBe(true);
        if (one.exact) expect(matchesAny(channels, one.name)).toBe(true);
        expect(matchesAny(channels, channelName(channel, params))).toBe(true);
        expect(channelGlob(channel)).toBe(all.exact ? all.name : all.glob);
      }
      expect(matchesAny(channels, `${catalog.namespace}:elsewhere`)).toBe(false);
      expect(matchesAny(channels, 'other:alerts:x')).toBe(false);
    },
  );

  it('notes a channel with several params (a partial subscription PSUBSCRIBEs a value)', () => {
    const catalog = createTestCatalog('acl-notes');
    const channel = {
      ...catalog.channels.alerts!,
      pattern: 'alerts:{level}:{region}',
      params: ['level', 'region'],
    };
    const grant = leastPrivilege({ ...catalog, channels: { alerts: channel } });
    expect(grant.channels).toEqual(['acl-notes:alerts:*:*']);
    expect(grant.notes).toEqual([expect.stringMatching(/^channel alerts has 2 params/)]);
    expect(leastPrivilege(catalog).notes).toEqual([]);
  });
});

/** Subcommand containers: granted as `command|subcommand`. */
const CONTAINERS = new Set(['client', 'xgroup', 'xinfo', 'config', 'script', 'memory', 'object']);
/**
 * Names of Redis commands that are also method names of Maps, arrays,
 * strings, RegExps, loggers or the bus's own classes in runtime/redis (what
 * they stand for in TypeScript there is not a Redis command: the scripts'
 * GET/SET are found in the Lua, EXEC comes with MULTI).
 */
const NOT_REDIS_IN_TS = new Set([
  'get',
  'set',
  'keys',
  'sort',
  'restore',
  'scan',
  'touch',
  'watch',
  'append',
  'exec',
  'debug',
]);
/** Sent by ioredis when it connects (connectionName, the ready check, a /N database). */
const CONNECT_TIME = ['client|setname', 'info', 'select'];
/** Allowed to every user by Redis: never granted. */
const ALWAYS_ALLOWED = new Set(['auth', 'hello', 'quit']);

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(extension))
    .map((file) => join(root, dir, file));
}

/** Every Redis command runtime/redis sends, as `name` or `name|subcommand`, with where. */
function commandsOfRuntime(): Map<string, string> {
  const found = new Map<string, string>();
  const add = (name: string, sub: string | undefined, file: string) => {
    const lower = name.toLowerCase();
    const command = CONTAINERS.has(lower) && sub ? `${lower}|${sub.toLowerCase()}` : lower;
    if (!found.has(command)) found.set(command, file.slice(root.length + 1));
  };
  for (const file of filesUnder('runtime/redis', '.lua')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/redis\.p?call\(\s*'([A-Za-z]+)'(?:\s*,\s*'([A-Za-z]+)')?/g)) {
      add(m[1]!, m[2], file);
    }
    // A script runs as EVAL on a connection's first call, EVALSHA after.
    add('eval', undefined, file);
    add('evalsha', undefined, file);
  }
  for (const file of filesUnder('runtime/redis', '.ts')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\.\s*([a-z]+)\(\s*(?:'([A-Za-z]+)')?/g)) {
      const name = m[1]!;
      if (!redisCommands.exists(name) || NOT_REDIS_IN_TS.has(name)) continue;
      add(name, m[2], file);
      if (name === 'multi') add('exec', undefined, file);
    }
    for (const m of text.matchAll(/new Command\(\s*'([a-z]+)'/g)) add(m[1]!, undefined, file);
    // Commands routed to their key's node by name (routed-command.ts): sendRouted(client, key, 'xinfo', ['STREAM', ...]).
    for (const m of text.matchAll(
      /sendRouted(?:<[^>]*>)?\(\s*[\w.]+,\s*[\w.]+,\s*'([a-z]+)',\s*\[\s*'([A-Za-z]+)'/g,
    )) {
      add(m[1]!, m[2], file);
    }
  }
  return found;
}

describe('the commands of the grant', () => {
  const granted = BUS_COMMANDS.map(([command]) => command);

  it('grants every command runtime/redis sends (scripts included)', () => {
    const used = commandsOfRuntime();
    const missing = [...used]
      .filter(([command]) => !ALWAYS_ALLOWED.has(command) && !granted.includes(command))
      .map(([command, file]) => `${command} (${file})`);
    expect(missing, 'add them to BUS_COMMANDS in generator/acl/least-privilege.ts').toEqual([]);
  });

  it('grants nothing runtime/redis does not send, nor anything Redis allows anyway', () => {
    const used = commandsOfRuntime();
    const unused = granted.filter((c) => !used.has(c) && !CONNECT_TIME.includes(c));
    expect(unused).toEqual([]);
    expect(granted.filter((c) => ALWAYS_ALLOWED.has(c))).toEqual([]);
    expect(new Set(granted).size).toBe(granted.length);
    expect(granted).not.toContain('@all');
  });

  it('finds the commands of the scripts and of the TypeScript', () => {
    const used = commandsOfRuntime();
    for (const command of [
      'xgroup|delconsumer',
      'xinfo|groups',
      'get',
      'set',
      'publish',
      'xtrim',
    ]) {
      expect(used.get(command), command).toMatch(/\.lua$/);
    }
    for (const command of ['client|kill', 'xgroup|createconsumer', 'xread', 'multi', 'exec']) {
      expect(used.get(command), command).toMatch(/\.ts$/);
    }
  });
});

describe('the ACL SETUSER line', () => {
  it('is one line of arguments: user, reset, on, password, keys, channels, commands', () => {
    const grant = leastPrivilege(exampleCatalog);
    const args = setUserArgs('svc', 'secret', grant);
    expect(args.slice(0, 4)).toEqual(['svc', 'reset', 'on', '>secret']);
    const line = setUserLine(args);
    expect(line).not.toContain('\n');
    expect(line).toMatch(
      /^ACL SETUSER svc reset on >secret ~\{campaigns:campaign-events\} .* &campaigns:campaign:\*:status .* \+client\|setname .* \+evalsha$/,
    );
  });

  it('quotes what redis-cli would split or unescape', () => {
    expect(cliQuote('>abc')).toBe('>abc');
    expect(cliQuote('>a b')).toBe('">a b"');
    expect(cliQuote(`>a"b'c\\d`)).toBe(`">a\\"b'c\\\\d"`);
    expect(cliQuote('>a\nb\u0001')).toBe('">a\\x0ab\\x01"');
    expect(cliQuote('')).toBe('""');
  });
});
