/** Realtime channels in memory: at-most-once to the subscribers present at publish time. */
import type { Logger, RealtimeHandler } from '../bus.js';
import { decodeRealtimeMessage } from '../internal/channels.js';
import { errorMessage } from '../internal/logger.js';
import type { BusMetrics } from '../internal/metrics.js';
import type { StatsCounter } from '../internal/stats.js';

interface RealtimeSubscriber {
  /** Exact channel name, or a matcher for a glob. */
  readonly matches: (channel: string) => boolean;
  readonly handler: RealtimeHandler;
  readonly label: string;
}

/** Subscribers by channel; `publish` hands each matching one a decoded copy, asynchronously. */
export class MemoryRealtime {
  #subscribers: RealtimeSubscriber[] = [];

  constructor(
    private readonly stats: StatsCounter,
    private readonly metrics: BusMetrics,
    private readonly logger: Logger,
    /** The bus's maxEntryBytes: a message it published is never too large to decode. */
    private readonly maxEntryBytes: number,
  ) {}

  /** Adds a subscriber; returns the function that removes it. */
  subscribe(
    matches: (channel: string) => boolean,
    label: string,
    handler: RealtimeHandler,
  ): () => void {
    const subscriber: RealtimeSubscriber = { matches, handler, label };
    this.#subscribers = [...this.#subscribers, subscriber];
    return () => {
      this.#subscribers = this.#subscribers.filter((s) => s !== subscriber);
    };
  }

  /** Sends `message` to every current subscriber of `channel`; handler errors are logged, never thrown. */
  publish(channel: string, message: string): void {
    for (const subscriber of this.#subscribers) {
      if (!subscriber.matches(channel)) continue;
      queueMicrotask(() => this.#deliver(subscriber, channel, message));
    }
  }

  /** Removes every subscriber. */
  clear(): void {
    this.#subscribers = [];
  }

  #deliver(subscriber: RealtimeSubscriber, channel: string, message: string): void {
    // Unsubscribed between publish and delivery: drop, as Redis would.
    if (!this.#subscribers.includes(subscriber)) return;
    const decoded = decodeRealtimeMessage(message, this.maxEntryBytes);
    if (!decoded.ok) {
      this.logger.warn({ channel, reason: decoded.reason }, 'undecodable realtime message dropped');
      return;
    }
    this.stats.realtimeReceived++;
    this.metrics.realtime(subscriber.label, 'received');
    const fail = (error: unknown) =>
      this.logger.error(
        { channel, type: decoded.envelope.type, error: errorMessage(error) },
        'realtime handler failed',
      );
    try {
      const result = subscriber.handler(decoded.envelope, channel);
      if (result !== undefined) Promise.resolve(result).catch(fail);
    } catch (error) {
      fail(error);
    }
  }
}
