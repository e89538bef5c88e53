/**
 * `schemabus demo [--redis URL]`: runs the example campaign service
 * (examples/campaign-service) end to end and prints its account, on the
 * in-memory bus or on Redis. The example lives beside the sources, not in
 * the package: it is loaded at run time from a source checkout.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConnectionError } from 'schemabus';
import {
  type CommandContext,
  type CommandResult,
  defineCommand,
  EXIT_FINDING,
  EXIT_OK,
  usageError,
} from '../command.js';
import { resolveRedisUrl } from '../support/redis-session.js';

/** The example's entry module, relative to this file (cli/commands/). */
const DEMO_MODULE = new URL('../../examples/campaign-service/run-demo.ts', import.meta.url);

/** What the CLI uses of the example module (typed here so the build does not pull examples/ in). */
interface DemoModule {
  runDemo(options: { redisUrl?: string; out: (text: string) => void }): Promise<unknown>;
}

/** Options of `demo`. */
export interface DemoOptions {
  /** Run on Redis at this URL. @default process.env.REDIS_URL; none: the in-memory bus */
  readonly redis?: string | undefined;
}

/** Where the account goes while the demo runs. */
export interface DemoIo {
  /** Gets the account as it is written (the result's stdout then stays empty). @default collected into stdout */
  readonly write?: (text: string) => void;
}

/** Runs the demo; exit 1 when it did not run to its end, 2 when Redis is unreachable. */
export async function runDemoCommand(
  options: DemoOptions,
  _context: CommandContext,
  io: DemoIo = {},
): Promise<CommandResult> {
  let redisUrl: string | undefined;
  if (options.redis || process.env.REDIS_URL) {
    const target = resolveRedisUrl(options.redis);
    if ('error' in target) return usageError(target.error);
    redisUrl = target.url;
  }
  if (!existsSync(fileURLToPath(DEMO_MODULE))) {
    return usageError(
      'the demo runs from a source checkout of schemabus (examples/ is not in the package): clone it, then `npm run demo`',
    );
  }
  const { runDemo } = (await import(DEMO_MODULE.href)) as DemoModule;
  const collected: string[] = [];
  const out = io.write ?? ((text: string) => collected.push(text));
  try {
    await runDemo({ ...(redisUrl !== undefined && { redisUrl }), out });
    return { exitCode: EXIT_OK, stdout: collected.join(''), stderr: '' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ConnectionError) {
      return usageError(`${message}: pass the right one with --redis URL or REDIS_URL`);
    }
    return {
      exitCode: EXIT_FINDING,
      stdout: collected.join(''),
      stderr: `demo failed: ${message}\n`,
    };
  }
}

/** The yargs command: the account goes to stdout as it happens. */
export const demoCommand = defineCommand({
  command: 'demo',
  describe: 'Run the example campaign service (source checkout only)',
  builder: (yargs) =>
    yargs
      .option('redis', {
        type: 'string',
        describe: 'Run on Redis at this URL (default: REDIS_URL; none: the in-memory bus)',
      })
      .example('$0 demo', 'on the in-memory bus, no server needed')
      .example(
        '$0 demo --redis redis://127.0.0.1:6379',
        'on Redis (bootstraps the campaigns namespace)',
      ),
  run: (args, context) =>
    runDemoCommand(args, context, { write: (text) => process.stdout.write(text) }),
});
