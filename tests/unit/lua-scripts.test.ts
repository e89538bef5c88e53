/**
 * The Lua scripts of the Redis bus are `.lua` files (runtime/redis/scripts/),
 * read by scripts/lua.ts. Each file opens with a `--[[ ... ]]` header giving
 * its KEYS, ARGV and reply (bullmq's convention); every file is loaded, and
 * a function of includes/ goes with exactly the scripts that call it. No
 * Redis needed: what the scripts do is tested in tests/redis.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as lua from '../../runtime/redis/scripts/lua.js';

const dir = join(import.meta.dirname, '../../runtime/redis/scripts');

/** Every .lua file of the folder, by path relative to it (`claim.lua`, `includes/x.lua`). */
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.lua'))
  .map((file) => file.split('\\').join('/'))
  .sort();
const text = (file: string) => readFileSync(join(dir, file), 'utf8');
const scripts = files.filter((file) => !file.startsWith('includes/'));
const includes = files.filter((file) => file.startsWith('includes/'));
const loaded = Object.entries(lua as Record<string, unknown>);

/** The opening `--[[ ... ]]` comment and the code after it. */
function splitHeader(source: string): { header: string; code: string } | undefined {
  const end = source.indexOf('\n]]\n');
  if (!source.startsWith('--[[\n') || end < 0) return undefined;
  return { header: source.slice(0, end), code: source.slice(end + 4) };
}

describe('lua script files', () => {
  it('are found (scripts and includes)', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(11);
    expect(includes.length).toBeGreaterThanOrEqual(1);
  });

  it.each(scripts)('%s opens with a header giving KEYS, ARGV and the reply', (file) => {
    const parts = splitHeader(text(file));
    expect(parts, `${file} must open with a --[[ ... ]] header`).toBeDefined();
    const { header, code } = parts!;
    expect(header).toMatch(/\n {2}Input:\n/);
    expect(header).toMatch(/\n {2}Output:\n/);
    expect(header).toContain('KEYS[1]');
    expect(header).toContain('ARGV[1]');
    // Every KEYS[n] and ARGV[n] the code reads is in the header, alone or as `ARGV[k..]`, k <= n.
    for (const [, name, n] of code.matchAll(/\b(KEYS|ARGV)\[(\d+)\]/g)) {
      const ranges = [...header.matchAll(new RegExp(`${name}\\[(\\d+)\\.\\.\\]`, 'g'))];
      const named =
        header.includes(`${name}[${n}]`) || ranges.some(([, k]) => Number(k) <= Number(n));
      expect(named, `${file}: ${name}[${n}] is read but not in the header`).toBe(true);
    }
    expect(code.trim()).not.toBe('');
  });

  it.each(includes)('%s opens with a header giving its function, KEYS, ARGV and return', (file) => {
    const parts = splitHeader(text(file));
    expect(parts, `${file} must open with a --[[ ... ]] header`).toBeDefined();
    const { header, code } = parts!;
    const fn = /^local function (\w+)\(/m.exec(code)?.[1];
    expect(fn, `${file} defines a local function`).toBeDefined();
    expect(header).toContain(`${fn}(`);
    expect(header).toMatch(/\n {2}Input:\n[\s\S]*\bKEYS\b[\s\S]*\bARGV\b/);
    expect(header).toMatch(/\n {2}Output:\n/);
  });
});

describe('the loader (scripts/lua.ts)', () => {
  it('exposes only non-empty script texts', () => {
    expect(loaded.length).toBe(scripts.length);
    for (const [name, value] of loaded) {
      expect(typeof value, name).toBe('string');
      expect((value as string).trim(), name).not.toBe('');
    }
  });

  it.each(scripts)('loads %s as exactly one script, ending with the whole file', (file) => {
    const source = text(file);
    const users = loaded.filter(([, value]) => (value as string).endsWith(source));
    expect(users.map(([name]) => name)).toHaveLength(1);
  });

  it.each(includes)(
    'puts %s before exactly the scripts that call its function, directly or through another include',
    (file) => {
      const fnOf = (include: string) => /^local function (\w+)\(/m.exec(text(include))![1]!;
      const calls = (code: string, include: string) =>
        new RegExp(`\\b${fnOf(include)}\\(`).test(code);
      const codeOf = (f: string) => splitHeader(text(f))?.code ?? '';
      /** Whether `code` calls the function of `include`, or of an include that needs it. */
      const needs = (code: string, include: string, seen = new Set<string>()): boolean =>
        calls(code, include) ||
        includes.some(
          (other) =>
            other !== include &&
            !seen.has(other) &&
            calls(code, other) &&
            needs(codeOf(other), include, new Set([...seen, other])),
        );
      const callers = scripts.filter((script) => needs(codeOf(script), file));
      expect(callers.length, `no script calls ${fnOf(file)}()`).toBeGreaterThan(0);
      for (const script of scripts) {
        const [, value] = loaded.find(([, v]) => (v as string).endsWith(text(script)))!;
        const at = (value as string).indexOf(text(file));
        expect(at >= 0, `${script} and ${file}`).toBe(callers.includes(script));
        if (at >= 0)
          expect(at, `${file} comes before ${script}`).toBeLessThan(
            (value as string).length - text(script).length,
          );
      }
    },
  );
});
