/**
 * The single-node connections of a bus on a Redis Cluster: where each goes,
 * how it follows the slot table, and what the bus's Cluster knows of the
 * topology.
 *
 * - A blocking reader (one per stream of a subscription, and a tail)
 *   connects to the master serving its stream's slot, as the Cluster's slot
 *   table says (node-target.ts, node-connector.ts). A read answered MOVED or
 *   ASK moves it; a lost connection reconnects where the slot is once the
 *   slot table (refreshed on each failure of a reader) names a new master.
 * - The realtime subscriber connects to any node: a PUBLISH reaches every
 *   node of the cluster over the cluster bus.
 * - The bus's command connection (the Cluster) hears of topology changes:
 *   after a slot table refresh that gave any slot another master, the
 *   `changed` listeners run (the bus re-reads pending lists and checks for
 *   lost entries, as after a reconnect on one node).
 */
import { type Cluster, Command, type Redis, type RedisOptions } from 'ioredis';
import { delay } from '../delay.js';
import type { NodeAddress } from './cluster-url.js';
import { connectorFor } from './node-connector.js';
import { addressKey, NodeTarget, redirectOf } from './node-target.js';

/** Slot table refreshes asked by failing readers: at most one per this long. */
const REFRESH_EVERY_MS = 300;

/** The slot of `key` (ioredis computes it for a command naming the key). */
export function slotOf(key: string): number {
  return new Command('get', [key]).getSlot() as number;
}

function parseAddress(key: string | undefined): NodeAddress | undefined {
  if (key === undefined) return undefined;
  const colon = key.lastIndexOf(':');
  return colon < 0 ? undefined : { host: key.slice(0, colon), port: Number(key.slice(colon + 1)) };
}

/** See the module comment. */
export class ClusterLinks {
  private readonly targets = new WeakMap<Redis, NodeTarget>();
  private lastRefresh = 0;
  private signature = '';
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly cluster: Cluster,
    /** Seeds, for when the Cluster knows no node yet. */
    private readonly seeds: readonly NodeAddress[],
  ) {
    cluster.on('refresh', () => this.refreshed());
  }

  /** The options of a node connection: the Cluster's `redisOptions` (credentials, TLS, timeouts). */
  nodeOptions(): RedisOptions {
    return { ...(this.cluster.options.redisOptions ?? {}) };
  }

  /** Options that make a connection follow the master of `key`'s slot. */
  readerOptions(key: string): { options: RedisOptions; target: NodeTarget } {
    const slot = slotOf(key);
    const target = new NodeTarget(
      () => parseAddress(this.cluster.slots[slot]?.[0]),
      this.ownerOf(slot) ?? this.anySeed(),
    );
    return { options: this.following(target), target };
  }

  /** Options that make a connection go to any node, moving on when its node fails. */
  subscriberOptions(): { options: RedisOptions; target: NodeTarget } {
    const target = new NodeTarget((current) => this.liveNode(current), this.anySeed());
    return { options: this.following(target), target };
  }

  /** Records that `client` follows `target` (to route its redirections). */
  adopt(client: Redis, target: NodeTarget): void {
    this.targets.set(client, target);
    const failed = () => this.refreshSoon();
    client.on('error', failed);
    client.on('close', failed);
  }

  /** The Cluster's own connection to the node `client` is connected to (for CLIENT UNBLOCK / KILL). */
  nodeConnection(client: Redis): Redis | undefined {
    const target = this.targets.get(client);
    if (target === undefined) return undefined;
    const { host, port } = target.current;
    return this.cluster
      .nodes('all')
      .find((node) => node.options.host === host && Number(node.options.port) === port);
  }

  /** Whether reads on `client` need ASKING first (its slot is being migrated to its node). */
  asking(client: Redis): boolean {
    return this.targets.get(client)?.needsAsking === true;
  }

  /**
   * Handles a failed read of `client`: a MOVED or ASK reconnects it to the
   * node named, UNBLOCKED, TRYAGAIN and CLUSTERDOWN wait a moment. Resolves
   * true when the read should simply be sent again, false when the error is
   * not a redirection.
   */
  async followRedirect(client: Redis, error: unknown): Promise<boolean> {
    const redirect = redirectOf(error);
    const target = this.targets.get(client);
    if (redirect === undefined || target === undefined) return false;
    if (redirect.kind === 'again') {
      if (redirect.afterMs > 0) await delay(redirect.afterMs);
      return true;
    }
    if (redirect.kind === 'moved') this.refreshSoon();
    const moving = addressKey(redirect.to) !== addressKey(target.current);
    target.pin(redirect.to, redirect.kind === 'ask');
    if (moving) client.disconnect(true);
    return true;
  }

  /** Calls `listener` after every slot table refresh that gave a slot another master; returns its remover. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Refreshes the Cluster's slot table, at most once per REFRESH_EVERY_MS. */
  refreshSoon(): void {
    const now = Date.now();
    if (now - this.lastRefresh < REFRESH_EVERY_MS || this.cluster.status !== 'ready') return;
    this.lastRefresh = now;
    this.cluster.refreshSlotsCache(() => undefined);
  }

  private following(target: NodeTarget): RedisOptions {
    return { ...this.nodeOptions(), Connector: connectorFor(target) };
  }

  private ownerOf(slot: number): NodeAddress | undefined {
    return parseAddress(this.cluster.slots[slot]?.[0]);
  }

  /** `current` while the Cluster still lists it, else another node it lists (or a seed). */
  private liveNode(current: NodeAddress): NodeAddress {
    const nodes = this.cluster
      .nodes('all')
      .map((n) => ({ host: String(n.options.host), port: Number(n.options.port) }));
    if (nodes.some((n) => addressKey(n) === addressKey(current))) return current;
    return nodes[Math.floor(Math.random() * nodes.length)] ?? this.anySeed();
  }

  private anySeed(): NodeAddress {
    return this.seeds[Math.floor(Math.random() * this.seeds.length)]!;
  }

  private refreshed(): void {
    const signature = mastersSignature(this.cluster.slots);
    if (this.signature !== '' && signature !== this.signature) {
      for (const listener of [...this.listeners]) listener();
    }
    this.signature = signature;
  }
}

/** The slot ranges and their masters, as a string that changes when any slot changes master. */
function mastersSignature(slots: readonly (readonly string[] | undefined)[]): string {
  let signature = '';
  let previous: string | undefined;
  for (let slot = 0; slot < 16_384; slot++) {
    const owner = slots[slot]?.[0];
    if (owner !== previous) signature += `${slot}=${owner ?? '-'};`;
    previous = owner;
  }
  return signature;
}
