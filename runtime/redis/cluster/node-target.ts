/**
 * Where one of the bus's single-node connections on a Cluster goes, and
 * how it moves. A blocking reader (and a tail) reads one stream, so it
 * connects to the master serving that stream's slot; the realtime
 * subscriber may listen on any node (a PUBLISH reaches every node of the
 * cluster). Each connect asks the target again (node-connector.ts), so a
 * reconnect after the node failed goes where the slot is now.
 *
 * Replies that move a reader: `MOVED slot host:port` (the slot has another
 * master: after a failover, or a finished migration) moves it there;
 * `ASK slot host:port` (the slot is being migrated and the key is already
 * on the target) moves it there with ASKING before each read, until a
 * MOVED; `UNBLOCKED` (a blocked read of a master that became a replica, or
 * of a key migrated away) is read again at once and answered with the
 * MOVED or ASK; `TRYAGAIN` and `CLUSTERDOWN` are read again after a short
 * pause.
 */
import type { NodeAddress } from './cluster-url.js';

/** What a reader does with a failed read on a Cluster. */
export type Redirect =
  | { readonly kind: 'moved' | 'ask'; readonly to: NodeAddress }
  | { readonly kind: 'again'; readonly afterMs: number };

/** The redirection a read error asks for, or undefined when it is not one. */
export function redirectOf(error: unknown): Redirect | undefined {
  if (!(error instanceof Error)) return undefined;
  const moved = /^(MOVED|ASK) \d+ (.+):(\d+)$/.exec(error.message);
  if (moved) {
    return {
      kind: moved[1] === 'MOVED' ? 'moved' : 'ask',
      to: { host: moved[2]!.replace(/^\[(.*)\]$/, '$1'), port: Number(moved[3]) },
    };
  }
  if (/^UNBLOCKED\b/.test(error.message)) return { kind: 'again', afterMs: 0 };
  if (/^(TRYAGAIN|CLUSTERDOWN)\b/.test(error.message)) return { kind: 'again', afterMs: 100 };
  return undefined;
}

/** `host:port`. */
export function addressKey(address: NodeAddress): string {
  return `${address.host}:${address.port}`;
}

/** Where one connection goes (see the module comment). */
export class NodeTarget {
  /** Where the connection went last. */
  current: NodeAddress;
  /** Pinned by an ASK: the slot is being migrated to `current` (see {@link needsAsking}). */
  asking = false;
  private pinned: NodeAddress | undefined;

  constructor(
    /** Where it should go now (the slot's master, any live node), or undefined when unknown. */
    private readonly resolve: (current: NodeAddress) => NodeAddress | undefined,
    first: NodeAddress,
  ) {
    this.current = first;
  }

  /** The address of the next connect: where a redirection pointed, else where it should go now. */
  next(): NodeAddress {
    this.current = this.pinned ?? this.resolve(this.current) ?? this.current;
    this.pinned = undefined;
    return this.current;
  }

  /**
   * Whether reads need ASKING first: after an ASK, until the slot table names
   * `current` the slot's master (the migration finished).
   */
  get needsAsking(): boolean {
    if (this.asking) {
      const owner = this.resolve(this.current);
      if (owner !== undefined && addressKey(owner) === addressKey(this.current))
        this.asking = false;
    }
    return this.asking;
  }

  /** Sends the next connect to `to` (MOVED, or ASK with `asking`). */
  pin(to: NodeAddress, asking: boolean): void {
    this.pinned = to;
    this.asking = asking;
  }
}
