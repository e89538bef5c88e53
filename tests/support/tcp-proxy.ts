/**
 * A TCP proxy on loopback between a client and Redis, to inject network
 * faults a real socket can have: a connection that goes silent without
 * closing (half-open, as after a NAT or firewall drop), replies that never
 * arrive, or an abrupt reset. Each proxied connection learns the name the
 * client gave itself (`CLIENT SETNAME`, which ioredis sends first when
 * `connectionName` is set), so a test can pick one connection of a bus.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

/** One client connection through the proxy. */
export class ProxiedConnection {
  /** The `CLIENT SETNAME` the client sent, once seen. */
  name: string | undefined;
  private frozenUp = false;
  private frozenDown = false;
  /** Requests held back by holdRequests(), sent on releaseRequests(). */
  private held: Buffer[] | undefined;
  /** Requests waiting to go up at the rate throttleRequests() set. */
  private throttled: { queue: Buffer[]; timer: NodeJS.Timeout } | undefined;
  private sniffed = '';

  constructor(
    readonly client: Socket,
    readonly upstream: Socket,
  ) {
    client.on('data', (chunk: Buffer) => {
      if (this.name === undefined && this.sniffed.length < 4096) {
        this.sniffed += chunk.toString('latin1');
        const match = /SETNAME\r\n\$\d+\r\n([^\r]*)\r\n/i.exec(this.sniffed);
        if (match) this.name = match[1];
      }
      if (this.frozenUp) return;
      if (this.held !== undefined) this.held.push(chunk);
      else if (this.throttled !== undefined) this.throttled.queue.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!this.frozenDown) client.write(chunk);
    });
    const end = () => {
      if (this.throttled !== undefined) clearInterval(this.throttled.timer);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  }

  /** Both directions go silent; the sockets stay open (a half-open connection). */
  freeze(): void {
    this.frozenUp = true;
    this.frozenDown = true;
  }

  /** Requests wait in the proxy, in order, until releaseRequests(). */
  holdRequests(): void {
    this.held ??= [];
  }

  /** Sends the requests held since holdRequests(), and the next ones as they come. */
  releaseRequests(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const chunk of held) this.upstream.write(chunk);
  }

  /** Requests go up at most `bytesPerSecond` from now on (a slow uplink), in 20 slices a second. */
  throttleRequests(bytesPerSecond: number): void {
    const slice = Math.max(1, Math.floor(bytesPerSecond / 20));
    const queue: Buffer[] = [];
    const timer = setInterval(() => {
      let budget = slice;
      while (budget > 0 && queue.length > 0) {
        const chunk = queue[0]!;
        const part = chunk.subarray(0, budget);
        this.upstream.write(part);
        budget -= part.length;
        if (part.length === chunk.length) queue.shift();
        else queue[0] = chunk.subarray(part.length);
      }
    }, 50);
    this.throttled = { queue, timer };
  }

  /** Requests still reach Redis, but its replies are dropped. */
  dropReplies(): void {
    this.frozenDown = true;
  }

  /** Resets the connection on both sides. */
  destroy(): void {
    this.client.destroy();
    this.upstream.destroy();
  }

  get closed(): boolean {
    return this.client.destroyed;
  }
}

/** A proxy listening on a free loopback port, forwarding to `127.0.0.1:targetPort`. */
export class TcpProxy {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    /** Every connection made through the proxy, oldest first. */
    readonly connections: ProxiedConnection[],
  ) {}

  /** Requests of every connection, present and future, go up at most this fast (throttleRequests). */
  private requestRate: number | undefined;
  /** The next connection made is frozen from its start (freezeNext). */
  private freezeNextConnection = false;

  static async start(targetPort: number): Promise<TcpProxy> {
    const connections: ProxiedConnection[] = [];
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => {
      const upstream = connect(targetPort, '127.0.0.1');
      const connection = new ProxiedConnection(client, upstream);
      if (proxy?.requestRate !== undefined) connection.throttleRequests(proxy.requestRate);
      if (proxy?.freezeNextConnection) {
        proxy.freezeNextConnection = false;
        connection.freeze();
      }
      connections.push(connection);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address !== 'object') throw new Error('proxy has no port');
    proxy = new TcpProxy(server, address.port, connections);
    return proxy;
  }

  /** The next connection made through the proxy is frozen from its TCP connect on (half-open at once). */
  freezeNext(): void {
    this.freezeNextConnection = true;
  }

  /** Every connection's requests, and those of connections made later, go up at most `bytesPerSecond`. */
  throttleRequests(bytesPerSecond: number): void {
    this.requestRate = bytesPerSecond;
    for (const c of this.connections) if (!c.closed) c.throttleRequests(bytesPerSecond);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Open connections whose client name matches `name`. */
  named(name: RegExp): ProxiedConnection[] {
    return this.connections.filter((c) => !c.closed && c.name !== undefined && name.test(c.name));
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
