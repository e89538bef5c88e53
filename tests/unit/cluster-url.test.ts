/** `redis+cluster://` URLs: seeds, credentials, TLS, and what is refused (checked when the bus is made). */
import { describe, expect, it } from 'vitest';
import { RedisEventBus } from '../../runtime/index.js';
import { clusterOfUrl } from '../../runtime/redis/cluster/cluster-url.js';
import { createTestCatalog } from '../contract/catalog.js';

describe('cluster URLs', () => {
  it('name seed nodes, credentials and TLS', () => {
    expect(clusterOfUrl('redis+cluster://10.0.0.1:7000,10.0.0.2:7001,[::1]:7002,cache')).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
        { host: 'cache', port: 6379 },
      ],
      nodeOptions: {},
    });
    expect(clusterOfUrl('rediss+cluster://app:p%40ss@h:7000/0')).toEqual({
      nodes: [{ host: 'h', port: 7000 }],
      nodeOptions: { username: 'app', password: 'p@ss', tls: {} },
    });
    expect(clusterOfUrl('redis+cluster://:secret@h:7000/').nodeOptions).toEqual({
      password: 'secret',
    });
  });

  it.each([
    ['redis+cluster://h:7000/2', /only database 0/],
    ['redis+cluster://h:7000,,h2:7000', /names no host/],
    ['redis+cluster://h:0', /port 0/],
    ['redis+cluster://h:7000?timeout=5', /query parameter "timeout"/],
    ['redis+cluster://h:abc', /"h:abc" is not a host\[:port\]/],
    ['redis+cluster://:s3cret@h:7000/9', /redis\+cluster:\/\/\*\*\*@h:7000\/9/],
  ])('refuses %s with a TypeError when the bus is made', (url, message) => {
    const make = () => new RedisEventBus({ catalog: createTestCatalog('u'), redis: url });
    expect(make).toThrow(TypeError);
    expect(make).toThrow(message);
    expect(make).toThrow(/redis\+cluster:\/\/\[user:password@\]host:port\[,host:port\.\.\.\]/);
    expect(make).not.toThrow(/s3cret/);
  });

  it('refuses a keyPrefix on a cluster too', () => {
    const make = () =>
      new RedisEventBus({
        catalog: createTestCatalog('u'),
        redis: { url: 'redis+cluster://127.0.0.1:7000', keyPrefix: 'x:', lazyConnect: true },
      });
    expect(make).toThrow(/keyPrefix "x:"/);
  });
});
