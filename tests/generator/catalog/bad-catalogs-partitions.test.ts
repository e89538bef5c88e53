/**
 * Partitioned streams in the catalogue: `partitions` and `partitionKey`,
 * the bad cases located, and the normalised value of a good one.
 * Line numbers refer to base-catalog.ts.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../generator/catalog/index.js';
import { withLines } from './base-catalog.js';
import { type BadCatalogCase, describeBadCatalogs, issuesOf } from './issues-of.js';

const ORDER_EVENTS = (...extra: string[]) => ['  order-events:', ...extra];
const SHIPPED_WITH_ORDER_ID =
  '    payload: { type: object, required: [orderId], properties: { orderId: { type: string } } }';

const cases: BadCatalogCase[] = [
  [
    'partitions out of range, and partitionKey without partitions on another stream',
    {
      given: withLines({
        12: ORDER_EVENTS('    partitions: 1', '    partitionKey: orderId'),
        17: ['  payment-events:', '    partitionKey: amount'],
        36: SHIPPED_WITH_ORDER_ID,
      }),
      want: [
        {
          at: '13:17',
          path: 'streams.order-events.partitions',
          message: '`partitions` of stream `order-events` must be an integer from 2 to 1024, got 1',
          hint: 'remove `partitions` and `partitionKey` for an ordinary stream',
        },
        {
          at: '20:5',
          path: 'streams.payment-events.partitionKey',
          message: 'stream `payment-events` sets `partitionKey` without `partitions`',
          hint: 'add `partitions: <2..1024>`, or remove `partitionKey`',
        },
      ],
    },
  ],
  [
    'partitions not an integer, and partitions without partitionKey',
    {
      given: withLines({
        12: ORDER_EVENTS('    partitions: 2000', '    partitionKey: orderId'),
        17: ['  payment-events:', '    partitions: 4'],
        36: SHIPPED_WITH_ORDER_ID,
      }),
      want: [
        {
          at: '13:17',
          path: 'streams.order-events.partitions',
          message:
            '`partitions` of stream `order-events` must be an integer from 2 to 1024, got 2000',
          hint: 'write an integer from 2 to 1024; more partitions than consumers is fine',
        },
        {
          at: '20:5',
          path: 'streams.payment-events.partitions',
          message:
            'stream `payment-events` sets `partitions` without `partitionKey`; publish routes each event by the value of that payload field',
          hint: 'add `partitionKey: <field>`, a required string or number field of every event of the stream (a customer or account id)',
        },
      ],
    },
  ],
  [
    'the partition key is missing from one event and not a scalar in another: every event is checked',
    {
      given: withLines({ 12: ORDER_EVENTS('    partitions: 4', '    partitionKey: total') }),
      want: [
        {
          at: '35:9',
          path: 'events["order.placed"].payload.properties.total',
          message:
            'stream `order-events` routes events by `total` (its `partitionKey`), but property `total` of event `order.placed` is of type `object`; a partition key is a string, number or integer',
          hint: 'make `total` a string, number or integer, or choose another `partitionKey`',
        },
        {
          at: '38:5',
          path: 'events["order.shipped"].payload',
          message:
            'stream `order-events` routes events by `total` (its `partitionKey`), but event `order.shipped` has no property `total`',
          hint: "add `total` (a string, number or integer) to the payload's `properties` and `required`, or store the event on another stream",
        },
      ],
    },
  ],
  [
    'the partition key is optional in an event',
    {
      given: withLines({
        12: ORDER_EVENTS('    partitions: 4', '    partitionKey: carrier'),
        30: '      required: [orderId, total, carrier]',
        33: ['        total: { $ref: "#/types/Money" }', '        carrier: { type: string }'],
      }),
      want: [
        {
          at: '39:5',
          path: 'events["order.shipped"].payload',
          message:
            'stream `order-events` routes events by `carrier` (its `partitionKey`), but property `carrier` of event `order.shipped` is optional',
          hint: "add `carrier` to the payload's `required`",
        },
      ],
    },
  ],
];

describeBadCatalogs('bad catalogues: partitioned streams', cases);

describe('a partitioned stream', () => {
  it('normalises to partitions {count, key}, a $ref to a scalar type being a valid key', () => {
    const text = withLines({
      10: ['      currency: { type: string }', '  OrderId: { type: string, format: uuid }'],
      12: ORDER_EVENTS('    partitions: 8', '    partitionKey: orderId'),
      32: '        orderId: { $ref: "#/types/OrderId" }',
      36: SHIPPED_WITH_ORDER_ID,
    });
    expect(issuesOf(text)).toEqual([]);
    const result = loadCatalog(text, 'shop.yaml');
    if (!result.ok) throw new Error('expected the catalogue to load');
    const streams = result.model.catalog.streams;
    expect(streams['order-events']?.partitions).toEqual({ count: 8, key: 'orderId' });
    expect(streams['order-events']?.key).toBe('{shop:order-events}');
    expect(streams['payment-events']?.partitions).toBeUndefined();
  });

  it('changes the fingerprint with the partition count', () => {
    const at = (n: number) =>
      withLines({
        12: ORDER_EVENTS(`    partitions: ${n}`, '    partitionKey: orderId'),
        36: SHIPPED_WITH_ORDER_ID,
      });
    const fingerprint = (text: string) => {
      const result = loadCatalog(text, 'shop.yaml');
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      return result.model.catalog.fingerprint;
    };
    expect(fingerprint(at(4))).not.toBe(fingerprint(at(8)));
  });
});
