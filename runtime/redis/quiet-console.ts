/**
 * ioredis writes to the console in two cases: a password given to a server
 * that needs none (AUTH), and a ready check whose INFO an ACL refuses. Here
 * both become `notice` texts (the bus logs them) and the connection goes on
 * as ioredis would. Applied to the bus's own clients (bus-client.ts) and to
 * the node connections of its Cluster (cluster/bus-cluster.ts).
 */
import type { Redis } from 'ioredis';

type Callback = (error: Error | null, result?: unknown) => void;

/** Replies to AUTH that ioredis prints a warning for and then carries on. */
const NEEDLESS_PASSWORD = /no password is set|without any password configured/;

/** Wraps `client`'s AUTH and ready-check INFO so ioredis prints nothing; `notice` hears why instead. */
export function quietConsole(client: Redis, label: string, notice: (text: string) => void): void {
  // Overloaded in ioredis's types: wrapped on the instance.
  const self = client as unknown as Record<'auth' | 'info', (...args: unknown[]) => unknown>;
  const auth = self.auth.bind(client);
  const info = self.info.bind(client);
  self.auth = (...args) =>
    auth(
      ...withCallback(args, (callback) => (error, result) => {
        if (error && NEEDLESS_PASSWORD.test(error.message)) {
          notice(`Redis at ${label} needs no password, but one was given`);
          return callback(null, 'OK');
        }
        callback(error, result);
      }),
    );
  // The ready check calls INFO with a callback only.
  self.info = (...args) => {
    if (!(args.length === 1 && typeof args[0] === 'function')) return info(...args);
    const callback = args[0] as Callback;
    return info((error: Error | null, result?: unknown) => {
      if (error?.message.includes('NOPERM')) {
        notice(`Redis at ${label} refused INFO to the ready check; assuming it is ready`);
        return callback(null, '');
      }
      callback(error, result);
    });
  };
}

/** `args` with its last element, when a function, replaced by `wrap(it)`. */
function withCallback(args: unknown[], wrap: (callback: Callback) => Callback): unknown[] {
  const last = args[args.length - 1];
  if (typeof last !== 'function') return args;
  return [...args.slice(0, -1), wrap(last as Callback)];
}
