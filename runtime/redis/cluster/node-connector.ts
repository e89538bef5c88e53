/**
 * An ioredis `Connector` (the `Connector` connection option) that asks a
 * {@link NodeTarget} where to connect each time the client connects or
 * reconnects, instead of keeping the host and port it was made with: a
 * connection that lost its node follows the slot (or the cluster) to
 * another one. Otherwise it connects as ioredis's standalone connector does
 * (TCP, or TLS when the options have `tls`).
 */
import { createConnection } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { AbstractConnector, type RedisOptions } from 'ioredis';
import type { NodeTarget } from './node-target.js';

type Stream = Awaited<ReturnType<AbstractConnector['connect']>>;

/** A Connector class whose connections go where `target` says. */
export function connectorFor(target: NodeTarget): new (options: unknown) => AbstractConnector {
  return class NodeConnector extends AbstractConnector {
    private readonly options: RedisOptions;

    constructor(options: unknown) {
      const o = options as RedisOptions;
      super(o.disconnectTimeout ?? 2000);
      this.options = o;
    }

    connect(): Promise<Stream> {
      const { host, port } = target.next();
      const where = { host, port, ...(this.options.family ? { family: this.options.family } : {}) };
      this.connecting = true;
      return new Promise((resolve, reject) => {
        // As ioredis's connector: on the next tick, unless disconnected meanwhile.
        process.nextTick(() => {
          if (!this.connecting) {
            reject(new Error('Connection is closed.'));
            return;
          }
          try {
            this.stream = this.options.tls
              ? connectTls({ ...where, ...this.options.tls })
              : createConnection(where);
          } catch (error) {
            reject(error);
            return;
          }
          this.stream.once('error', (error: Error) => {
            this.firstError = error;
          });
          resolve(this.stream);
        });
      });
    }
  };
}
