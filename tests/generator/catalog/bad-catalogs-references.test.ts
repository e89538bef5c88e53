/**
 * Bad catalogues: names, TypeScript name collisions and references.
 * Each case edits lines of BASE (see base-catalog.ts for the line numbers)
 * and lists every issue expected, in the order reported.
 */
import { describe, expect, it } from 'vitest';
import { withLines } from './base-catalog.js';
import { type BadCatalogCase, issuesOf } from './issues-of.js';

const cases: BadCatalogCase[] = [
  [
    'bad stream name',
    {
      given: withLines({
        12: '  Order_Events:',
        26: '    stream: Order_Events',
        35: '    stream: Order_Events',
      }),
      want: [
        {
          at: '12:3',
          path: 'streams.Order_Events',
          message:
            'stream name `Order_Events` must be lowercase letters, digits and hyphens, starting with a letter',
          hint: 'write `order-events`',
        },
      ],
    },
  ],
  [
    'stream name with braces',
    {
      given: withLines({
        12: '  "{orders}":',
        26: '    stream: "{orders}"',
        35: '    stream: "{orders}"',
      }),
      want: [
        {
          at: '12:3',
          path: 'streams["{orders}"]',
          message:
            'stream name `{orders}` must be lowercase letters, digits and hyphens, starting with a letter; `{ } * ? [ ] :` would change Redis hash slots, globs or key structure',
          hint: 'write `orders`',
        },
      ],
    },
  ],
  [
    'group name with a star',
    {
      given: withLines({ 20: '      audit-*: {}' }),
      want: [
        {
          at: '20:7',
          path: 'streams.payment-events.groups["audit-*"]',
          message:
            'group name `audit-*` must be lowercase letters, digits and hyphens, starting with a letter; `{ } * ? [ ] :` would change Redis hash slots, globs or key structure',
          hint: 'write `audit`',
        },
      ],
    },
  ],
  [
    'bad event name',
    {
      given: withLines({ 34: '  OrderShipped:' }),
      want: [
        {
          at: '34:3',
          path: 'events.OrderShipped',
          message:
            'event type `OrderShipped` must be two or more dotted lowercase segments (letters, digits, hyphens)',
          hint: 'name it `<entity>.<what-happened>`, like `campaign.status-changed`',
        },
      ],
    },
  ],
  [
    'type name not PascalCase',
    {
      given: withLines({
        5: '  money:',
        33: '        total: { $ref: "#/types/money" }',
        39: '    payload: { type: object }',
      }),
      want: [
        {
          at: '5:3',
          path: 'types.money',
          message:
            'type name `money` must be PascalCase: a capital letter, then letters and digits',
          hint: 'write `Money`',
        },
      ],
    },
  ],
  [
    'two events with one TypeScript name',
    {
      given: withLines({
        16: '      audit-service: {}',
        25: '  order-status.changed:',
        34: '  order.status-changed:',
      }),
      want: [
        {
          at: '34:3',
          path: 'events["order.status-changed"]',
          message:
            'event `order.status-changed` and event `order-status.changed` both become the TypeScript name `OrderStatusChanged`',
          hint: 'rename one of them',
        },
      ],
    },
  ],
  [
    'event name colliding with a shared type',
    {
      given: withLines({
        5: '  OrderShipped:',
        33: '        total: { $ref: "#/types/OrderShipped" }',
        39: '    payload: { type: object }',
      }),
      want: [
        {
          at: '34:3',
          path: 'events["order.shipped"]',
          message:
            'event `order.shipped` and type `OrderShipped` both become the TypeScript name `OrderShipped`',
          hint: 'rename one of them',
        },
      ],
    },
  ],
  [
    'event -> unknown stream, with a did-you-mean',
    {
      given: withLines({ 35: '    stream: order-event' }),
      want: [
        {
          at: '35:13',
          path: 'events["order.shipped"].stream',
          message:
            'event `order.shipped` names stream `order-event`, which `streams` does not declare',
          hint: 'did you mean `order-events`?',
        },
      ],
    },
  ],
  [
    'event -> unknown stream is reported once, not again at a group subset listing it',
    {
      given: withLines({ 26: '    stream: order-event' }),
      want: [
        {
          at: '26:13',
          path: 'events["order.placed"].stream',
          message:
            'event `order.placed` names stream `order-event`, which `streams` does not declare',
          hint: 'did you mean `order-events`?',
        },
      ],
    },
  ],
  [
    'event -> unknown channel (the channel is then unused too)',
    {
      given: withLines({ 27: '    realtime: alerts' }),
      want: [
        {
          at: '22:3',
          path: 'channels.order-status',
          message: 'no event is published on channel `order-status`',
          hint: 'add `realtime: order-status` to an event, or remove the channel',
        },
        {
          at: '27:15',
          path: 'events["order.placed"].realtime',
          message: 'event `order.placed` names channel `alerts`, which `channels` does not declare',
          hint: 'declared channels: `order-status`',
        },
      ],
    },
  ],
  [
    'event with neither stream nor realtime',
    {
      given: withLines({ 35: '    description: Shipped' }),
      want: [
        {
          at: '34:3',
          path: 'events["order.shipped"]',
          message:
            'event `order.shipped` has neither `stream` nor `realtime`, so it would go nowhere',
          hint: 'add `stream: <stream>` to store it, `realtime: <channel>` to broadcast it, or both',
        },
      ],
    },
  ],
  [
    'group subset naming an event of another stream',
    {
      given: withLines({ 16: '      audit-service: { events: [order.placed, payment.captured] }' }),
      want: [
        {
          at: '16:47',
          path: 'streams.order-events.groups.audit-service.events[1]',
          message:
            'event `payment.captured` is published on stream `payment-events`, not on `order-events`, so group `audit-service` of stream `order-events` would never receive it',
          hint: 'list it under a group of stream `payment-events`, or remove it from the list',
        },
      ],
    },
  ],
  [
    'group subset listing an event twice',
    {
      given: withLines({ 16: '      audit-service: { events: [order.placed, order.placed] }' }),
      want: [
        {
          at: '16:47',
          path: 'streams.order-events.groups.audit-service.events[1]',
          message:
            'group `audit-service` of stream `order-events` lists event `order.placed` twice',
          hint: 'remove the duplicate',
        },
      ],
    },
  ],
  [
    'group with an empty subset',
    {
      given: withLines({ 16: '      audit-service: { events: [] }' }),
      want: [
        {
          at: '16:24',
          path: 'streams.order-events.groups.audit-service.events',
          message:
            'group `audit-service` of stream `order-events` has an empty `events` list, so it would never receive anything',
          hint: 'remove `events` to receive every event of the stream, or list at least one',
        },
      ],
    },
  ],
  [
    'stream no event is published on, with groups',
    {
      given: withLines({ 38: '    stream: order-events' }),
      want: [
        {
          at: '17:3',
          path: 'streams.payment-events',
          message:
            'no event is published on stream `payment-events`, so its groups `audit-service` would never receive anything',
          hint: 'add `stream: payment-events` to an event, or remove the stream',
        },
      ],
    },
  ],
  [
    'channel no event is published on',
    {
      given: withLines({ 27: '    description: placed' }),
      want: [
        {
          at: '22:3',
          path: 'channels.order-status',
          message: 'no event is published on channel `order-status`',
          hint: 'add `realtime: order-status` to an event, or remove the channel',
        },
      ],
    },
  ],
  [
    'shared type named like a name the generated code uses',
    {
      given: withLines({
        5: '  Envelope:',
        33: '        total: { $ref: "#/types/Envelope" }',
        39: '    payload: { type: object }',
      }),
      want: [
        {
          at: '5:3',
          path: 'types.Envelope',
          message:
            'type `Envelope` becomes the TypeScript name `Envelope`, which the generated code already uses',
          hint: 'rename it',
        },
      ],
    },
  ],
  [
    '$ref to an unknown type, with a did-you-mean',
    {
      given: withLines({ 33: '        total: { $ref: "#/types/Mony" }' }),
      want: [
        {
          at: '33:24',
          path: 'events["order.placed"].payload.properties.total.$ref',
          message: '`$ref` points to type `Mony`, which `types` does not declare',
          hint: 'did you mean `Money`?',
        },
      ],
    },
  ],
  [
    '$ref to itself',
    {
      given: withLines({ 9: '      amount: { $ref: "#/types/Money" }' }),
      want: [
        {
          at: '9:23',
          path: 'types.Money.properties.amount.$ref',
          message: 'type `Money` refers to itself; payload types must be finite',
          hint: 'break the cycle: replace one `$ref` by the fields it needs',
        },
      ],
    },
  ],
  [
    '$ref cycle through two types',
    {
      given: withLines({
        10: [
          '      currency: { $ref: "#/types/Currency" }',
          '  Currency: { type: object, properties: { back: { $ref: "#/types/Money" } } }',
        ],
      }),
      want: [
        {
          at: '10:25',
          path: 'types.Money.properties.currency.$ref',
          message:
            'types `Currency` -> `Money` -> `Currency` refer to each other in a cycle; payload types must be finite',
          hint: 'break the cycle: replace one `$ref` by the fields it needs',
        },
      ],
    },
  ],
  [
    'channel param not required by an event',
    {
      given: withLines({ 30: '      required: [total]' }),
      want: [
        {
          at: '27:15',
          path: 'events["order.placed"].realtime',
          message:
            'channel `order-status` fills `{orderId}` of its pattern from the payload, but property `orderId` of event `order.placed` is optional',
          hint: "add `orderId` to the payload's `required`",
        },
      ],
    },
  ],
  [
    'channel param of type boolean',
    {
      given: withLines({ 32: '        orderId: { type: boolean }' }),
      want: [
        {
          at: '27:15',
          path: 'events["order.placed"].realtime',
          message:
            'channel `order-status` fills `{orderId}` of its pattern from the payload, but property `orderId` of event `order.placed` is `boolean`; a channel name takes a string, number or integer',
          hint: 'make `orderId` a string, number or integer, or take it out of the pattern',
        },
      ],
    },
  ],
  [
    'namespace with a colon',
    {
      given: withLines({ 2: 'namespace: shop:eu' }),
      want: [
        {
          at: '2:12',
          path: 'namespace',
          message:
            'namespace `shop:eu` must be lowercase letters, digits and hyphens, starting with a letter; `{ } * ? [ ] :` would change Redis hash slots, globs or key structure',
          hint: 'write `shop-eu`',
        },
      ],
    },
  ],
  [
    'missing namespace',
    {
      given: withLines({ 2: null }),
      want: [
        {
          at: '1:1',
          path: 'namespace',
          message:
            'the catalogue has no `namespace`; every Redis key of the catalogue starts with it',
          hint: 'add `namespace: <name>` (lowercase letters, digits, hyphens)',
        },
      ],
    },
  ],
  [
    'channel param missing from the payload',
    {
      given: withLines({
        30: '      required: [id, total]',
        32: '        id: { type: string, format: uuid }',
      }),
      want: [
        {
          at: '27:15',
          path: 'events["order.placed"].realtime',
          message:
            'channel `order-status` fills `{orderId}` of its pattern from the payload, but event `order.placed` has no property `orderId`',
          hint: "add `orderId` to the payload's `properties` and `required`",
        },
      ],
    },
  ],
  [
    'event name colliding with a channel params type',
    {
      given: withLines({ 34: '  order-status.params:' }),
      want: [
        {
          at: '34:3',
          path: 'events["order-status.params"]',
          message:
            'event `order-status.params` and channel `order-status` both become the TypeScript name `OrderStatusParams`',
          hint: 'rename one of them',
        },
      ],
    },
  ],
  [
    'many errors at once, in position order',
    {
      given: withLines({
        1: 'schemabus: 2',
        13: '    retention: { maxLen: -1 }',
        16: '      audit-service: { events: [order.placd] }',
        27: '    realtime: order-statuses',
        35: '    stream: orders',
      }),
      want: [
        {
          at: '1:12',
          path: 'schemabus',
          message: 'unsupported catalogue format 2: this version of schemabus reads format 1',
          hint: 'write `schemabus: 1`, or upgrade schemabus if the catalogue needs a newer format',
        },
        {
          at: '13:26',
          path: 'streams.order-events.retention.maxLen',
          message: '`maxLen` of stream `order-events` must be a positive integer, got -1',
        },
        {
          at: '16:33',
          path: 'streams.order-events.groups.audit-service.events[0]',
          message:
            'group `audit-service` of stream `order-events` lists event `order.placd`, which `events` does not declare',
          hint: 'did you mean `order.placed`?',
        },
        {
          at: '27:15',
          path: 'events["order.placed"].realtime',
          message:
            'event `order.placed` names channel `order-statuses`, which `channels` does not declare',
          hint: 'did you mean `order-status`?',
        },
        {
          at: '35:13',
          path: 'events["order.shipped"].stream',
          message: 'event `order.shipped` names stream `orders`, which `streams` does not declare',
          hint: 'declared streams: `order-events`, `payment-events`',
        },
      ],
    },
  ],
];

describe('loadCatalog reports bad catalogues: names, TypeScript name collisions and references', () => {
  it.each(cases)('%s', (_, { given, want }) => {
    expect(want.length).toBeGreaterThan(0);
    expect(issuesOf(given)).toEqual(want);
  });
});
