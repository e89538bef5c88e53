/**
 * Bad catalogues: references between catalogue parts.
 * Each case edits lines of BASE (see base-catalog.ts for the line numbers)
 * and lists every issue expected, in the order reported.
 */
import { withLines } from './base-catalog.js';
import { type BadCatalogCase, describeBadCatalogs } from './issues-of.js';

const cases: BadCatalogCase[] = [
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
    'a structure error, a $ref typo, a channel param mismatch and a bad type, all in one pass',
    {
      given: withLines({
        15: '      billing-service: { retyr: { maxAttempts: 2 } }',
        30: '      required: [id, total]',
        32: '        id: { type: strin }',
        33: '        total: { $ref: "#/types/Mony" }',
      }),
      want: [
        {
          at: '15:26',
          path: 'streams.order-events.groups.billing-service.retyr',
          message: 'unknown key `retyr` in group `billing-service`',
          hint: 'did you mean `retry`?',
        },
        {
          at: '27:15',
          path: 'events["order.placed"].realtime',
          message:
            'channel `order-status` fills `{orderId}` of its pattern from the payload, but event `order.placed` has no property `orderId`',
          hint: "add `orderId` to the payload's `properties` and `required`",
        },
        {
          at: '32:21',
          path: 'events["order.placed"].payload.properties.id.type',
          message:
            '`type` must be one of `array`, `boolean`, `integer`, `null`, `number`, `object`, `string`, got "strin"',
          hint: 'did you mean `string`?',
        },
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

describeBadCatalogs('loadCatalog reports bad catalogues: references', cases);
