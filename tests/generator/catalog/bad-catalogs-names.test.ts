/**
 * Bad catalogues: names and TypeScript name collisions.
 * Each case edits lines of BASE (see base-catalog.ts for the line numbers)
 * and lists every issue expected, in the order reported.
 */
import { withLines } from './base-catalog.js';
import { type BadCatalogCase, describeBadCatalogs } from './issues-of.js';

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
];

describeBadCatalogs(
  'loadCatalog reports bad catalogues: names and TypeScript name collisions',
  cases,
);
