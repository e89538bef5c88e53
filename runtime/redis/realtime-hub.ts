/**
 * Realtime channels on Redis pub/sub: at-most-once, to live subscribers only.
 *
 * All subscriptions of a bus share one subscriber connection. A channel is
 * SUBSCRIBEd (every param given) or PSUBSCRIBEd (a glob with `*` for missing
 * params) once, however many handlers listen on it. ioredis re-subscribes
 * after a reconnect (`autoResubscribe`); what was published meanwhile is
 * gone, and a subscriber too slow for `client-output-buffer-limit pubsub` is
 * disconnected by Redis — that is what at-most-once means here. Each such
 * gap is told: when the connection comes back after it was lost while
 * subscribed, a `RealtimeGapError` names the channels and how long they
 * were away (`bus.onError`, `stats().realtimeGaps`, a warning in the log).
 */

import { didYouMean } from '../../schema/closest-name.js';
import type { Envelope, RealtimeHandler, RealtimeParams, Unsubscribe } from '../bus.js';
import { CatalogMismatchError, RealtimeGapError, type SchemabusError } from '../errors.js';
import { channelSubscription, decodeRealtimeMessage } from '../internal/channels.js';
import type { Listeners } from '../internal/listeners.js';
import { errorMessage } from '../internal/logger.js';
import type { BusContext } from './bus-context.js';
import { readError } from './redis-errors.js';

interface Listener {
  readonly channel: string;
  readonly handler: RealtimeHandler;
  readonly events: readonly string[];
}

interface Topic {
  readonly listeners: Set<Listener>;
  /** Resolves once Redis confirmed the (P)SUBSCRIBE. */
  ready: Promise<void>;
}

/** The realtime subscriptions of one bus on its subscriber connection. */
export class RealtimeHub {
  private readonly exact = new Map<string, Topic>();
  private readonly globs = new Map<string, Topic>();
  private attached = false;
  /** When the subscriber connection was lost while subscribed (undefined: it is not away). */
  private awaySince: number | undefined;

  constructor(
    private readonly ctx: BusContext,
    private readonly errors: Listeners<SchemabusError>,
  ) {}

  /** Subscribes `handler` to `channel` narrowed by `params`; resolves once Redis confirmed. */
  async subscribe(
    channel: string,
    params: RealtimeParams,
    handler: RealtimeHandler,
  ): Promise<Unsubscribe> {
    const def = this.ctx.catalog.channels[channel];
    if (def === undefined) {
      throw new CatalogMismatchError(
        `unknown realtime channel "${channel}": catalogue "${this.ctx.catalog.namespace}" has no such channel${didYouMean(channel, Object.keys(this.ctx.catalog.channels))}`,
      );
    }
    const target = channelSubscription(def, params);
    const listener: Listener = { channel, handler, events: def.events };
    const client = this.ctx.connections.subscriber();
    this.attach();
    const [topics, name] = target.exact ? [this.exact, target.name] : [this.globs, target.glob];
    let topic = topics.get(name);
    if (topic === undefined) {
      const created: Topic = { listeners: new Set(), ready: Promise.resolve() };
      created.ready = (target.exact ? client.subscribe(name) : client.psubscribe(name)).then(
        () => undefined,
        (error: unknown) => {
          topics.delete(name);
          throw readError(
            error,
            `subscribing to realtime channel "${channel}"`,
            this.ctx.connections.label,
          );
        },
      );
      topics.set(name, created);
      topic = created;
    }
    topic.listeners.add(listener);
    try {
      await topic.ready;
    } catch (error) {
      topic.listeners.delete(listener);
      throw error;
    }
    const owner = topic;
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      owner.listeners.delete(listener);
      if (owner.listeners.size > 0 || topics.get(name) !== owner) return;
      topics.delete(name);
      await (target.exact ? client.unsubscribe(name) : client.punsubscribe(name)).catch(
        () => undefined,
      );
    };
  }

  /** Drops every listener (the connection itself is closed with the bus). */
  close(): void {
    this.exact.clear();
    this.globs.clear();
  }

  private attach(): void {
    if (this.attached) return;
    this.attached = true;
    const client = this.ctx.connections.subscriber();
    client.on('message', (channel: string, message: string) => {
      const topic = this.exact.get(channel);
      if (topic) this.deliver(topic, channel, message);
    });
    client.on('pmessage', (pattern: string, channel: string, message: string) => {
      const topic = this.globs.get(pattern);
      if (topic) this.deliver(topic, channel, message);
    });
    client.on('close', () => {
      if (this.awaySince === undefined && this.subscribedTo().length > 0)
        this.awaySince = Date.now();
    });
    client.on('ready', () => this.back());
  }

  /** The names and patterns subscribed to now. */
  private subscribedTo(): string[] {
    return [...this.exact.keys(), ...this.globs.keys()].sort();
  }

  /** The connection is back (ioredis resubscribes): tell what the time away cost. */
  private back(): void {
    const since = this.awaySince;
    this.awaySince = undefined;
    const channels = this.subscribedTo();
    if (since === undefined || channels.length === 0) return;
    const until = Date.now();
    const awayMs = until - since;
    const message =
      `the realtime connection to Redis at ${this.ctx.connections.label} was away for ${awayMs} ms and is subscribed again: ` +
      `messages published on ${channels.join(', ')} meanwhile are gone (realtime is at-most-once; a subscriber too slow for ` +
      "Redis's client-output-buffer-limit pubsub is cut off). Read the durable stream for what must not be missed";
    this.ctx.stats.realtimeGaps++;
    this.ctx.logger.warn({ channels, awayMs }, message);
    this.errors.emit(
      new RealtimeGapError(
        message,
        channels,
        new Date(since).toISOString(),
        new Date(until).toISOString(),
        awayMs,
      ),
    );
  }

  private deliver(topic: Topic, channel: string, message: string): void {
    const decoded = decodeRealtimeMessage(message, this.ctx.maxEntryBytes);
    if (!decoded.ok) {
      // A JSON.parse message quotes the input (a payload fragment): never log it.
      const reason = /^message is not JSON/.test(decoded.reason)
        ? 'message is not JSON'
        : decoded.reason;
      this.ctx.logger.warn({ channel, reason }, 'dropped an undecodable realtime message');
      return;
    }
    const envelope = decoded.envelope;
    for (const listener of topic.listeners) {
      if (!listener.events.includes(envelope.type)) {
        this.ctx.logger.warn(
          { channel, type: envelope.type },
          `dropped a realtime message: channel "${listener.channel}" does not carry ${envelope.type}`,
        );
        continue;
      }
      const issues = this.ctx.validators.forConsume(envelope.type)(envelope.data);
      if (issues) {
        this.ctx.logger.warn(
          { channel, type: envelope.type, issues },
          'dropped a realtime message whose payload does not match its schema',
        );
        continue;
      }
      this.ctx.stats.realtimeReceived++;
      this.ctx.metrics.realtime(listener.channel, 'received');
      this.call(listener, envelope, channel);
    }
  }

  private call(listener: Listener, envelope: Envelope, channel: string): void {
    const report = (error: unknown) =>
      this.ctx.logger.error(
        { channel, type: envelope.type, eventId: envelope.id, error: errorMessage(error) },
        'realtime handler failed (realtime is at-most-once: the message is not redelivered)',
      );
    try {
      const result = listener.handler(envelope, channel);
      if (result && typeof (result as Promise<void>).then === 'function') {
        (result as Promise<void>).then(undefined, report);
      }
    } catch (error) {
      report(error);
    }
  }
}
