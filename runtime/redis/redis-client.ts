/**
 * What the bus sends its commands on: one Redis server (`Redis`, the bus's
 * own `BusClient`) or a Redis Cluster (`Cluster`, the bus's `BusCluster`).
 * Both take the same commands; what differs is routing, which ioredis does
 * by the keys it finds in a command (see routed-command.ts for those where it
 * finds none).
 */
import type { Cluster, Redis } from 'ioredis';

/** A standalone client or a Cluster. */
export type RedisClient = Redis | Cluster;

/** Whether `client` is an ioredis Cluster. */
export function isCluster(client: RedisClient): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}
