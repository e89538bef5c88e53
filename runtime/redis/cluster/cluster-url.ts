/**
 * Redis Cluster URLs: `redis+cluster://[user:password@]host:port[,host:port...]`
 * (`rediss+cluster://` for TLS). The hosts are seeds: the client asks one of
 * them for the slot table and connects to the masters it names. A Cluster
 * has only database 0, so the path may be empty, `/` or `/0`.
 */
import type { RedisOptions } from 'ioredis';
import { redactUrl } from '../../internal/logger.js';

/** One seed node. */
export interface NodeAddress {
  readonly host: string;
  readonly port: number;
}

/** What a cluster URL says: the seed nodes and the options of every node connection. */
export interface ClusterUrl {
  readonly nodes: readonly NodeAddress[];
  /** Credentials and TLS, for every node connection. */
  readonly nodeOptions: RedisOptions;
}

const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i;

/** Whether `url` is a `redis+cluster://` or `rediss+cluster://` URL. */
export function isClusterUrl(url: string): boolean {
  return /^rediss?\+cluster:\/\//i.test(url);
}

/** The URL forms the bus takes, for error messages. */
export const URL_FORMS =
  'Expected redis://[user:password@]host[:port][/db] (rediss:// for TLS), e.g. redis://127.0.0.1:6379/0, ' +
  'or for a Redis Cluster redis+cluster://[user:password@]host:port[,host:port...] (rediss+cluster:// for TLS)';

/** The error of an invalid Redis URL: what is wrong, and the forms that are right. */
export function invalidUrl(url: string, what: string): TypeError {
  return new TypeError(
    `invalid Redis URL ${JSON.stringify(redactUrl(url))}: ${what}. ${URL_FORMS}`,
  );
}

/** Parses a cluster URL (see the module comment); throws a TypeError saying what is wrong. */
export function clusterOfUrl(url: string): ClusterUrl {
  const match = CLUSTER_URL.exec(url);
  if (match === null) throw invalidUrl(url, 'it is not a URL');
  const [, scheme, userinfo, hosts, path, query] = match;
  if (path !== undefined && path !== '/' && path !== '/0') {
    throw invalidUrl(
      url,
      `the path ${JSON.stringify(path)} is not allowed: a Redis Cluster has only database 0`,
    );
  }
  if (query) {
    const name = query.split('&')[0]!.split('=')[0]!;
    throw invalidUrl(
      url,
      `the query parameter ${JSON.stringify(decodeURIComponent(name))} is not supported (give ioredis options instead)`,
    );
  }
  const nodes = (hosts ?? '').split(',').map((part) => seed(url, part));
  const nodeOptions: RedisOptions = {};
  if (userinfo) {
    const colon = userinfo.indexOf(':');
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    if (user) nodeOptions.username = decodeURIComponent(user);
    if (colon >= 0) nodeOptions.password = decodeURIComponent(userinfo.slice(colon + 1));
  }
  if (scheme!.toLowerCase() === 'rediss') nodeOptions.tls = {};
  return { nodes, nodeOptions };
}

/** One `host[:port]` of the host list (`[::1]:7000` for IPv6). */
function seed(url: string, part: string): NodeAddress {
  const match = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(part.trim());
  if (match === null) {
    throw invalidUrl(
      url,
      part.trim() === '' ? 'it names no host' : `${JSON.stringify(part)} is not a host[:port]`,
    );
  }
  const port = match[2] === undefined ? 6379 : Number(match[2]);
  if (port < 1 || port > 65_535) {
    throw invalidUrl(url, `port ${port} is not a port Redis listens on`);
  }
  return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port };
}
