/**
 * schemabus as a team gets it: `npm pack` of this repository (prepack
 * builds), the tarball installed with TypeScript and @types/node into a new
 * project (npm's cache first, the registry for what is missing), `npx
 * schemabus init` / `check` / `codegen` on the starter catalogue and on
 * fixtures/shipments.schema.yaml (another domain), a typed service
 * (fixtures/src) compiled under the strictest settings people use with
 * `module` `nodenext` and with `preserve` + `bundler`, `skipLibCheck` off (the
 * package's own .d.ts are checked), then run with plain `node` in memory and on
 * the harness's redis-server.
 *
 * Packed and installed once (beforeAll); the steps run in order and each needs
 * the ones before it. Set SCHEMABUS_KEEP_PACKAGE_TEST=1 to keep the directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../support/redis-harness.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const CONFIGS = ['nodenext', 'bundler'] as const;
const MINUTE = 60_000;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * The environment of a user's shell: without what `npm test` says about this
 * repository (npm_package_*, npm_lifecycle_*, its local prefix, `-s`), what
 * vitest sets (NODE_ENV, VITEST*) and REDIS_URL unless given. npm's other
 * settings (registry, cache, proxy) stay, as a nested npm reads them.
 */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const dropped =
    /^(npm_package_|npm_lifecycle_|npm_command$|npm_execpath$|npm_node_execpath$|npm_config_local_prefix$|npm_config_loglevel$|INIT_CWD$|NODE_ENV$|NODE_OPTIONS$|VITEST|TSX_|REDIS_URL$)/i;
  for (const [name, value] of Object.entries(process.env)) {
    if (!dropped.test(name)) env[name] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', ...extra };
}

/** Runs a command (its own process group, killed after `timeoutMs`) and collects its output. */
function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? userEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timeoutMs = options.timeoutMs ?? 2 * MINUTE;
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${timeoutMs} ms]`;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** `run`, failing with the command's output unless it exits 0. */
async function ok(...args: Parameters<typeof run>): Promise<Run> {
  const result = await run(...args);
  if (result.status !== 0) {
    throw new Error(
      `\`${args[0]} ${args[1].join(' ')}\` in ${args[2].cwd} exited ${result.status}\n` +
        `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
  return result;
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/** The installed version of one of the repository's dev dependencies (what its lock file pinned). */
function repoVersion(name: string): string {
  const manifest = JSON.parse(
    readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8'),
  ) as { version: string };
  return manifest.version;
}

interface PackResult {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: readonly { readonly path: string }[];
}

let work = '';
let project = '';
let packed: PackResult | undefined;
let redis: RedisServer | undefined;
/** When `npm install` started, and how long each step took (for the summary). */
let installStarted = 0;
const timings: Record<string, number> = {};

const installed = (...path: string[]) => join(project, 'node_modules', ...path);

/** The `service.ts` block of the README's "Use schemabus in your project". */
function readmeService(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /\*\*3\. Implement a handler and publish\*\*[\s\S]*?```ts\n([\s\S]*?)```/.exec(
    readme,
  );
  if (!block) throw new Error('README: no ts block after "3. Implement a handler and publish"');
  return block[1]!;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'schemabus-package-'));
  project = join(work, 'project');
  const packDir = join(work, 'pack');
  mkdirSync(packDir);
  const [pack] = await Promise.all([
    ok('npm', ['pack', '--json', '--pack-destination', packDir], {
      cwd: REPO_ROOT,
      timeoutMs: 5 * MINUTE,
    }),
    startRedis().then((server) => {
      redis = server;
    }),
  ]);
  timings.pack = pack.ms;
  let tarball: PackResult;
  try {
    [tarball] = JSON.parse(pack.stdout) as [PackResult];
  } catch {
    throw new Error(`npm pack --json did not print JSON:\n${pack.stdout}`);
  }
  packed = tarball;

  mkdirSync(project);
  const manifest = {
    name: 'parcel-service',
    version: '1.0.0',
    private: true,
    type: 'module',
    dependencies: { schemabus: `file:${join(packDir, tarball.filename)}` },
    devDependencies: {
      '@types/node': repoVersion('@types/node'),
      typescript: repoVersion('typescript'),
    },
  };
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  installStarted = Date.now();
  // From npm's cache where it can (the repository's install filled it), the registry otherwise.
  const install = await ok('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: project,
    timeoutMs: 5 * MINUTE,
  });
  timings.install = install.ms;
}, 10 * MINUTE);

afterAll(async () => {
  await redis?.stop();
  const du =
    work && existsSync(installed())
      ? await run('du', ['-sk', installed()], { cwd: work })
      : undefined;
  if (packed) {
    const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;
    console.log(
      `package test: tarball ${kib(packed.size)} (${kib(packed.unpackedSize)} unpacked, ${packed.entryCount} files); ` +
        `node_modules with typescript and @types/node ${du ? `${Math.round(Number.parseInt(du.stdout, 10) / 1024)} MiB` : '?'}; ` +
        `steps (ms) ${JSON.stringify(timings)}`,
    );
  }
  if (work && !process.env.SCHEMABUS_KEEP_PACKAGE_TEST)
    rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds LICENSE, README, the build with its declarations and Lua scripts, and nothing dangling', () => {
    const paths = packed!.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'bin/schemabus.js',
        'dist/runtime/index.js',
        'dist/runtime/index.d.ts',
        'dist/cli/main.js',
      ]),
    );
    const lua = filesUnder(join(REPO_ROOT, 'runtime'))
      .filter((path) => path.endsWith('.lua'))
      .map((path) => `dist/runtime/${path}`);
    expect(lua.length).toBeGreaterThan(0);
    expect(paths).toEqual(expect.arrayContaining(lua));
    // Declarations next to the compiled runtime, and no TypeScript sources or tests.
    for (const js of paths.filter((p) => p.startsWith('dist/runtime/') && p.endsWith('.js'))) {
      expect(paths).toContain(js.replace(/\.js$/, '.d.ts'));
    }
    expect(paths.filter((p) => /\.[cm]?ts$/.test(p) && !p.endsWith('.d.ts'))).toEqual([]);
    expect(paths.filter((p) => p.startsWith('tests/') || p.includes('/fixtures/'))).toEqual([]);

    // What `exports` and `bin` name for node and TypeScript is there (the `schemabus-source` condition is this repository's own).
    const manifest = JSON.parse(readFileSync(installed('schemabus', 'package.json'), 'utf8')) as {
      exports: { '.': { types: string; default: string } };
      bin: Record<string, string>;
    };
    for (const target of [
      manifest.exports['.'].types,
      manifest.exports['.'].default,
      ...Object.values(manifest.bin),
    ]) {
      expect(paths).toContain(target.replace(/^\.\//, ''));
    }

    // A source map only with the sources it maps; a sourceMappingURL only to a map that is there.
    const root = installed('schemabus');
    const dangling: string[] = [];
    for (const path of filesUnder(root)) {
      const text = readFileSync(join(root, path), 'utf8');
      if (path.endsWith('.map')) {
        const { sources = [], sourceRoot = '' } = JSON.parse(text) as {
          sources?: string[];
          sourceRoot?: string;
        };
        for (const source of sources) {
          if (!existsSync(join(root, dirname(path), sourceRoot, source)))
            dangling.push(`${path} -> ${source}`);
        }
      }
      for (const match of text.matchAll(/[#@] sourceMappingURL=(\S+)/g)) {
        const url = match[1]!;
        if (!url.startsWith('data:') && !existsSync(join(root, dirname(path), url)))
          dangling.push(`${path} -> ${url}`);
      }
    }
    expect(dangling).toEqual([]);
  });
});

describe('a new project with the package installed', () => {
  const npx = (args: string[]) => ok('npx', ['--no', '--', ...args], { cwd: project });

  it(
    'runs init, check and codegen (the starter and another catalogue) through npx',
    async () => {
      const started = Date.now();
      const init = await npx(['schemabus', 'init']);
      expect(init.stdout).toContain('wrote    events.schema.yaml');
      expect(init.stdout).toContain('npx schemabus check');
      const scripts = (
        JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
          scripts: Record<string, string>;
        }
      ).scripts;
      expect(scripts.codegen).toBe('schemabus codegen --schema events.schema.yaml --out generated');

      expect((await npx(['schemabus', 'check'])).stdout).toContain('events.schema.yaml is valid');
      await ok('npm', ['run', 'codegen'], { cwd: project });
      expect(readFileSync(join(project, 'generated/index.ts'), 'utf8')).toContain(
        '// Regenerate with: npx schemabus codegen --schema events.schema.yaml --out generated',
      );

      cpSync(FIXTURES, project, { recursive: true });
      // The README's service, as a reader copies it (from src/, the generated code is one folder up).
      writeFileSync(
        join(project, 'src/readme-service.ts'),
        readmeService().replace("'./generated/index.js'", "'../generated/index.js'"),
      );
      const check = await npx(['schemabus', 'check', '--schema', 'shipments.schema.yaml']);
      expect(check.stdout).toContain(
        'shipments.schema.yaml is valid: 3 events, 1 stream, 2 groups, 1 channel, 3 types.',
      );
      const out = 'src/shipments/generated';
      await npx(['schemabus', 'codegen', '--schema', 'shipments.schema.yaml', '--out', out]);
      expect(readdirSync(join(project, out)).sort()).toEqual([
        'bootstrap.ts',
        'catalog.ts',
        'events.ts',
        'handlers.ts',
        'index.ts',
        'publishers.ts',
        'realtime.ts',
        'schemas',
      ]);
      expect(readFileSync(join(project, out, 'realtime.ts'), 'utf8')).toContain(
        'export type ShipmentTrackingParams = { readonly depotId?: number | undefined; readonly shipmentId?: string | undefined };',
      );
      // A wrong event against the exported JSON Schemas: `validate` names the field and the allowed values.
      writeFileSync(
        join(project, 'bad-scan.json'),
        JSON.stringify({
          type: 'shipment.scanned',
          data: {
            shipmentId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
            depotId: 7,
            status: 'lost',
            scannedAt: '2026-01-01T00:00:00Z',
          },
        }),
      );
      const invalid = await run(
        'npx',
        [
          '--no',
          '--',
          'schemabus',
          'validate',
          'bad-scan.json',
          '--schema',
          'shipments.schema.yaml',
        ],
        { cwd: project },
      );
      expect(invalid.status).toBe(1);
      expect(invalid.stdout).toContain(
        'shipment.scanned /data/status: must be one of "collected", "in-transit", "out-for-delivery", "failed-attempt"',
      );
      timings.cli = Date.now() - started;
    },
    5 * MINUTE,
  );

  it.each(CONFIGS)(
    'compiles the service under strict tsconfig %s with skipLibCheck off',
    async (config) => {
      const tsc = await run('npx', ['--no', '--', 'tsc', '-p', `tsconfig.${config}.json`], {
        cwd: project,
        timeoutMs: 3 * MINUTE,
      });
      expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
      expect(tsc.status).toBe(0);
      expect(existsSync(join(project, 'out', config, 'src/main.js'))).toBe(true);
      expect(existsSync(join(project, 'out', config, 'src/shipments/generated/events.d.ts'))).toBe(
        true,
      );
      timings[`tsc ${config}`] = tsc.ms;
    },
    5 * MINUTE,
  );

  describe.each(CONFIGS)('the service compiled with %s, run with plain node', (config) => {
    it.each(['memory', 'redis'] as const)(
      'in %s: handles the events and exits 0 after close',
      async (where) => {
        const env = userEnv(where === 'redis' ? { REDIS_URL: redis!.url } : {});
        const service = await run(process.execPath, [join('out', config, 'src/main.js')], {
          cwd: project,
          env,
          timeoutMs: MINUTE,
        });
        expect(service.stderr).toBe('');
        expect(service.status).toBe(0);
        const lines = service.stdout.trim().split('\n');
        expect(lines).toEqual([
          `bus: ${where}`,
          `handled order.shipped by fulfilment-service (carrier courier, after order.placed 1999@1, source ${where === 'redis' ? 'shop-api' : 'order-service'}); live order.shipped`,
          'handled shipment.delivered by tracking-service (subject kept, after booked(express, 1200 g, attempt 1), scanned(collected), scanned(out-for-delivery)); invoiced 2350 EUR; live shipment.scanned, shipment.scanned, shipment.delivered',
        ]);
        timings.firstHandledEvent ??= Date.now() - installStarted;
        timings[`run ${config} ${where}`] = service.ms;
      },
      2 * MINUTE,
    );

    it('runs the README service as written (in memory: it bills the order and exits)', async () => {
      const service = await run(process.execPath, [join('out', config, 'src/readme-service.js')], {
        cwd: project,
        env: userEnv(),
        timeoutMs: MINUTE,
      });
      expect(service.stderr).toBe('');
      expect(service.status).toBe(0);
      expect(service.stdout.trim()).toMatch(/^billing [0-9a-f-]{36}: 1999 EUR \(attempt 1\)$/);
    });
  });

  it(
    'runs without the generator: import "schemabus" needs neither ts-morph, yaml, yargs, typescript, prom-client nor dist/generator and dist/cli',
    async () => {
      // prom-client is an optional peer dependency: npm does not install it, and the service above ran.
      expect(existsSync(installed('prom-client'))).toBe(false);
      const away = [
        ['ts-morph'],
        ['@ts-morph'],
        ['yaml'],
        ['yargs'],
        ['typescript'],
        ['schemabus', 'dist', 'generator'],
        ['schemabus', 'dist', 'cli'],
      ].map((path) => installed(...path));
      for (const path of away) expect(existsSync(path), path).toBe(true);
      const moved: string[] = [];
      try {
        for (const path of away) {
          renameSync(path, `${path}.away`);
          moved.push(path);
        }
        const service = await run(process.execPath, ['out/nodenext/src/main.js'], {
          cwd: project,
          timeoutMs: MINUTE,
        });
        expect(service.stderr).toBe('');
        expect(service.status).toBe(0);
        expect(service.stdout).toContain('handled shipment.delivered by tracking-service');
        // The check is real: from the project, none of them can be found now.
        const probe = await run(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            "for (const name of ['ts-morph', 'yaml', 'yargs', 'typescript', 'prom-client']) await import(name).then(() => console.log(name), () => {});",
          ],
          { cwd: project },
        );
        expect(probe.stdout).toBe('');
        expect(probe.status).toBe(0);
      } finally {
        for (const path of moved) renameSync(`${path}.away`, path);
      }
    },
    2 * MINUTE,
  );
});

describe('the exporter without prom-client', () => {
  it('schemabus metrics exits 2 saying how to install prom-client (the optional peer dependency)', async () => {
    const metrics = await run(
      'npx',
      ['--no', '--', 'schemabus', 'metrics', '--redis', redis!.url],
      {
        cwd: project,
      },
    );
    expect(metrics.status).toBe(2);
    expect(metrics.stdout).toBe('');
    expect(metrics.stderr).toContain(
      'schemabus metrics needs prom-client (an optional peer dependency of schemabus): npm install prom-client',
    );
  });
});

describe('the repository', () => {
  it(
    'npm install leaves package-lock.json as it is',
    async () => {
      const dir = join(work, 'lock');
      mkdirSync(dir);
      for (const file of ['package.json', 'package-lock.json'])
        cpSync(join(REPO_ROOT, file), join(dir, file));
      await ok(
        'npm',
        ['install', '--package-lock-only', '--ignore-scripts', '--prefer-offline', '--no-audit'],
        { cwd: dir, timeoutMs: 3 * MINUTE },
      );
      expect(readFileSync(join(dir, 'package-lock.json'), 'utf8')).toBe(
        readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8'),
      );
    },
    5 * MINUTE,
  );
});
