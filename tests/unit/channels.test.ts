import { describe, expect, it } from 'vitest';
import { CatalogMismatchError } from '../../runtime/errors.js';
import {
  channelName,
  channelSubscription,
  decodeRealtimeMessage,
  encodeRealtimeMessage,
  globToRegExp,
} from '../../runtime/internal/channels.js';
import { encodeEnvelope } from '../../runtime/internal/entry-codec.js';
import { createEnvelope } from '../../runtime/internal/envelope.js';
import { createTestCatalog } from '../contract/catalog.js';

const catalog = createTestCatalog('ns');
const status = catalog.channels['order-status']!;

describe('channels', () => {
  it('fills the pattern from the payload under the prefix', () => {
    expect(channelName(status, { orderId: 'o1', reason: 'x' })).toBe('ns:order:o1:status');
  });

  it('subscribes exactly when every param is given, else by glob', () => {
    expect(channelSubscription(status, { orderId: 'o1' })).toEqual({
      exact: true,
      name: 'ns:order:o1:status',
    });
    expect(channelSubscription(status, {})).toEqual({ exact: false, glob: 'ns:order:*:status' });
    expect(channelSubscription(status, { orderId: undefined })).toMatchObject({ exact: false });
  });

  it('escapes glob characters of given values', () => {
    const alerts = { ...status, pattern: 'x:{a}:{b}', params: ['a', 'b'] };
    expect(channelSubscription(alerts, { a: 'we*rd?' })).toEqual({
      exact: false,
      glob: 'ns:x:we\\*rd\\?:*',
    });
    const re = globToRegExp('ns:x:we\\*rd\\?:*');
    expect(re.test('ns:x:we*rd?:anything')).toBe(true);
    expect(re.test('ns:x:weXrdY:anything')).toBe(false);
  });

  it('rejects a param the channel does not have', () => {
    expect(() => channelSubscription(status, { orderid: 'x' })).toThrow(CatalogMismatchError);
    expect(() => channelSubscription(status, { orderid: 'x' })).toThrow(/did you mean "orderId"/);
  });

  it('globToRegExp follows Redis glob rules', () => {
    expect(globToRegExp('a*').test('a:b:c')).toBe(true);
    expect(globToRegExp('a?c').test('abc')).toBe(true);
    expect(globToRegExp('a[bc]d').test('acd')).toBe(true);
    expect(globToRegExp('a[bc]d').test('aed')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });

  it('round-trips a realtime message: the type and the entry document in one object', () => {
    const envelope = createEnvelope(
      catalog,
      'order.cancelled',
      { orderId: 'o', reason: 'r' },
      { subject: 's' },
    );
    const document = encodeEnvelope(envelope)[3]!;
    const text = encodeRealtimeMessage(envelope, document);
    expect(text).toBe(encodeRealtimeMessage(envelope));
    const { specversion: _, datacontenttype: __, ...stored } = envelope;
    expect(JSON.parse(text)).toEqual({ v: 1, ...stored });
    expect(decodeRealtimeMessage(text)).toEqual({ ok: true, envelope });
    expect(decodeRealtimeMessage('nope').ok).toBe(false);
    expect(decodeRealtimeMessage('{"v":1,"type":"t","id":"x"}').ok).toBe(false);
    expect(decodeRealtimeMessage('{"v":2,"type":"t","id":"x","data":1}')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/format 2 is not known/),
    });
    expect(decodeRealtimeMessage(text, 10).ok).toBe(false);
  });

  it('decodes a realtime message of the first format (the CloudEvents JSON object)', () => {
    const envelope = createEnvelope(catalog, 'order.cancelled', { orderId: 'o', reason: 'r' });
    expect(decodeRealtimeMessage(JSON.stringify(envelope))).toEqual({ ok: true, envelope });
    expect(decodeRealtimeMessage('{"specversion":"1.0","id":"x"}').ok).toBe(false);
    expect(decodeRealtimeMessage(JSON.stringify({ ...envelope, specversion: '0.3' })).ok).toBe(
      false,
    );
  });
});
