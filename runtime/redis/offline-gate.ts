/**
 * The bound on publishes waiting for a connection: ioredis's offline queue
 * is unbounded, so a long outage would buffer every publish in memory.
 */

import { ConnectionError } from '../errors.js';
import type { RedisClient } from './redis-client.js';

/**
 * Bounds the publishes waiting while the command connection is not ready.
 * Beyond `max` a publish fails at once (0: fail fast).
 */
export class OfflineGate {
  private waiting = 0;

  constructor(
    private readonly client: RedisClient,
    private readonly max: number,
    private readonly label: string,
  ) {}

  /** Admits `n` publishes or throws a `ConnectionError` (nothing sent); call the returned function when they settle. */
  admit(n = 1): () => void {
    if (this.client.status === 'ready') return noop;
    if (this.waiting + n > this.max) {
      throw new ConnectionError(
        `Redis at ${this.label} is not connected (status ${this.client.status}) and ${this.waiting} publishes already wait for it ` +
          `(maxOfflineQueue ${this.max}); this publish was not sent. Retry later, or raise maxOfflineQueue ` +
          '(0 fails fast whenever Redis is unreachable)',
      );
    }
    this.waiting += n;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.waiting -= n;
      }
    };
  }
}

function noop(): void {}
