/**
 * `npm run demo [-- --redis URL]`: runs the campaign service demo on the
 * in-memory bus, or on Redis with `--redis URL` (or REDIS_URL), and prints
 * what happened. Exits 0 when the demo ran to the end, 1 when it did not,
 * 2 on a usage error.
 */
import { runDemo } from './campaign-service/run-demo.js';

const USAGE = 'usage: npm run demo [-- --redis redis://host:port]  (or set REDIS_URL)';

/** The Redis URL from `--redis URL` / `--redis=URL`, else REDIS_URL; `null` on a usage error. */
function redisUrlFrom(args: readonly string[]): string | undefined | null {
  let url: string | undefined = process.env.REDIS_URL || undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--redis') {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) return null;
      url = value;
    } else if (arg.startsWith('--redis=')) {
      url = arg.slice('--redis='.length);
    } else {
      return null;
    }
  }
  return url;
}

const url = redisUrlFrom(process.argv.slice(2));
if (url === null) {
  process.stderr.write(`${USAGE}\n`);
  process.exitCode = 2;
} else {
  try {
    await runDemo({
      ...(url !== undefined && { redisUrl: url }),
      out: (t) => process.stdout.write(t),
    });
  } catch (error) {
    process.stderr.write(
      `demo failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    // A Redis connection that never came up may still be retrying: do not wait for it.
    process.exit(1);
  }
}
