/**
 * Imports go one way (ARCHITECTURE.md, "The parts"): every source file of
 * every folder is held to the rule of its folder.
 *
 *   cli -> generator, cli -> 'schemabus' (the public runtime entry)
 *   generator -> schema, generator -> types of runtime
 *   generated -> 'schemabus'
 *   runtime -> schema; runtime/memory and runtime/redis never import each other
 *   schema -> nothing of the project
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

/** One import of a source file: what it names, resolved to a repo path when relative. */
interface Import {
  readonly file: string;
  /** Repo-relative target of a relative import (`runtime/bus.ts`), or the bare specifier. */
  readonly target: string;
  readonly relative: boolean;
  readonly typeOnly: boolean;
  readonly dynamic: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|mts|js|mjs)$/.test(file) && !file.includes('fixtures'))
    .map((file) => posix.join(dir, file.split('\\').join('/')));
}

/** Every static and dynamic import (and re-export) of a file. */
function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean, dynamic: boolean) => {
    const isRelative = specifier.startsWith('.');
    const target = isRelative
      ? posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts')
      : specifier;
    found.push({ file, target, relative: isRelative, typeOnly, dynamic });
  };
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
    add(m[2]!, m[1] !== undefined, false);
  }
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) add(m[1]!, false, false);
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) add(m[1]!, false, true);
  return found;
}

const inside = (target: string, ...dirs: string[]) => dirs.some((d) => target.startsWith(`${d}/`));

/** A folder and what its files must not import; `why` says what the rule protects. */
interface Rule {
  readonly dir: string;
  readonly forbidden: (i: Import) => boolean;
  readonly why: string;
}

const RULES: Rule[] = [
  {
    dir: 'schema',
    forbidden: (i) => i.relative && !inside(i.target, 'schema'),
    why: 'schema/ is a leaf: it imports nothing of the project',
  },
  {
    dir: 'runtime',
    forbidden: (i) =>
      (i.relative && !inside(i.target, 'runtime', 'schema')) ||
      ['yaml', 'ts-morph', 'typescript', 'schemabus'].includes(i.target),
    why: 'runtime/ imports only runtime/ and schema/, never the generator, YAML or ts-morph',
  },
  {
    dir: 'runtime/internal',
    forbidden: (i) => inside(i.target, 'runtime/memory', 'runtime/redis'),
    why: 'the machinery both buses share knows neither bus',
  },
  {
    dir: 'runtime/memory',
    forbidden: (i) => inside(i.target, 'runtime/redis') || i.target === 'ioredis',
    why: 'the in-memory bus never imports the Redis bus',
  },
  {
    dir: 'runtime/redis',
    forbidden: (i) => inside(i.target, 'runtime/memory'),
    why: 'the Redis bus never imports the in-memory bus',
  },
  {
    dir: 'generator',
    forbidden: (i) =>
      (i.relative && !inside(i.target, 'generator', 'schema', 'runtime')) ||
      (i.relative && inside(i.target, 'runtime') && !i.typeOnly) ||
      (!i.relative && ['schemabus', 'ioredis', 'yargs', 'prom-client'].includes(i.target)),
    why: 'generator/ is a library from catalogue to text: it imports only types of the runtime',
  },
  {
    dir: 'cli',
    forbidden: (i) =>
      (i.relative && !inside(i.target, 'cli', 'generator', 'examples')) ||
      i.target === 'ioredis' ||
      i.target.startsWith('ioredis/'),
    why: 'cli/ uses the generator and the public entry `schemabus` only, never runtime internals or ioredis',
  },
  {
    dir: 'generated',
    forbidden: (i) => !(i.target === 'schemabus' || (i.relative && inside(i.target, 'generated'))),
    why: 'generated/ imports only the public entry `schemabus` and its own files',
  },
  {
    dir: 'examples',
    forbidden: (i) => i.relative && !inside(i.target, 'examples', 'generated'),
    why: 'the example service is written against generated/ and `schemabus` only, as a user writes it',
  },
];

describe('imports go one way', () => {
  it.each(RULES.map((rule) => [rule.dir, rule] as const))('%s', (_, rule) => {
    const offending = sourceFiles(rule.dir)
      .flatMap(importsOf)
      .filter(rule.forbidden)
      .map((i) => `${i.file} -> ${i.target}${i.typeOnly ? ' (type)' : ''}`);
    expect(offending, rule.why).toEqual([]);
  });

  it('the rules see the imports they judge (a forbidden import is caught)', () => {
    const cli = RULES.find((r) => r.dir === 'cli')!;
    const probe = (target: string, relative = true): Import => ({
      file: 'cli/x.ts',
      target,
      relative,
      typeOnly: false,
      dynamic: false,
    });
    expect(cli.forbidden(probe('runtime/internal/envelope.ts'))).toBe(true);
    expect(cli.forbidden(probe('ioredis', false))).toBe(true);
    expect(cli.forbidden(probe('generator/index.ts'))).toBe(false);
    expect(importsOf('cli/main.ts').length).toBeGreaterThan(0);
  });
});

/** Files reachable from `entry` through static imports (dynamic `import()` is lazy, not followed). */
function staticClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const i of importsOf(file)) {
      if (i.dynamic || i.typeOnly) continue;
      if (i.relative) visit(i.target);
      else if (i.target === 'schemabus') visit('runtime/index.ts');
      else packages.add(i.target.startsWith('@') ? i.target : i.target.split('/')[0]!);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('what loads what', () => {
  it('a service importing `schemabus` never loads the generator, YAML, ts-morph or prom-client', () => {
    const { files, packages } = staticClosure('runtime/index.ts');
    expect([...files].filter((f) => !inside(f, 'runtime', 'schema'))).toEqual([]);
    expect(
      [...packages].filter((p) =>
        ['ts-morph', 'typescript', 'yaml', 'yargs', 'prom-client'].includes(p),
      ),
    ).toEqual([]);
  });

  it('the CLI loads ts-morph only when a command that emits code runs, prom-client only for the exporter', () => {
    const { packages } = staticClosure('cli/main.ts');
    expect(packages).toContain('yargs');
    expect(packages.has('ts-morph')).toBe(false);
    expect(packages.has('prom-client')).toBe(false);
  });
});
