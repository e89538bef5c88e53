/**
 * Bad catalogues: YAML, meta-schema, retention, retry and circuit breakers.
 * Each case edits lines of BASE (see base-catalog.ts for the line numbers)
 * and lists every issue expected, in the order reported.
 */
import { withLines } from './base-catalog.js';
import { type BadCatalogCase, describeBadCatalogs } from './issues-of.js';

const cases: BadCatalogCase[] = [
  [
    'YAML syntax error: a flow map left open',
    {
      given: withLines({ 13: '    retention: { maxLen: 1000' }),
      want: [
        {
          at: '14:5',
          path: '',
          message:
            'YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
          hint: 'close the `{` or `[` opened above, or indent its continuation lines',
        },
      ],
    },
  ],
  [
    'YAML duplicate key',
    {
      given: withLines({ 15: '      audit-service: {}' }),
      want: [
        {
          at: '16:7',
          path: '',
          message: 'YAML syntax error: key `audit-service` appears twice in the same mapping',
          hint: 'merge the two entries or rename one',
        },
      ],
    },
  ],
  [
    'empty document',
    {
      given: '',
      want: [
        {
          at: '1:1',
          path: '',
          message: 'the catalogue is empty',
          hint: 'start with `schemabus: 1`, then `namespace`, `source`, `streams`, `channels` and `events`',
        },
      ],
    },
  ],
  [
    'document is a list',
    {
      given: '- a\n- b\n',
      want: [
        {
          at: '1:1',
          path: '',
          message: 'the catalogue must be a mapping, got a list',
          hint: 'start with `schemabus: 1`, then `namespace`, `source`, `streams`, `channels` and `events`',
        },
      ],
    },
  ],
  [
    'wrong format version',
    {
      given: withLines({ 1: 'schemabus: 2' }),
      want: [
        {
          at: '1:12',
          path: 'schemabus',
          message: 'unsupported catalogue format 2: this version of schemabus reads format 1',
          hint: 'write `schemabus: 1`, or upgrade schemabus if the catalogue needs a newer format',
        },
      ],
    },
  ],
  [
    'unknown top-level key',
    {
      given: withLines({ 40: 'owner: team-a' }),
      want: [
        {
          at: '40:1',
          path: 'owner',
          message: 'unknown key `owner` in the catalogue',
          hint: 'allowed keys: `channels`, `defaults`, `events`, `namespace`, `schemabus`, `source`, `streams`, `types`',
        },
      ],
    },
  ],
  [
    'misspelt top-level key (not also reported missing)',
    {
      given: withLines({ 3: 'sources: order-service' }),
      want: [
        {
          at: '3:1',
          path: 'sources',
          message: 'unknown key `sources` in the catalogue',
          hint: 'did you mean `source`?',
        },
      ],
    },
  ],
  [
    'unknown key in a group, a typo',
    {
      given: withLines({ 15: '      billing-service: { retyr: { maxAttempts: 3 } }' }),
      want: [
        {
          at: '15:26',
          path: 'streams.order-events.groups.billing-service.retyr',
          message: 'unknown key `retyr` in group `billing-service`',
          hint: 'did you mean `retry`?',
        },
      ],
    },
  ],
  [
    'unknown key in defaults, and initialMs above the built-in maxMs',
    {
      given: withLines({
        40: ['defaults:', '  retry: { backoff: { initialMs: 60000 } }', '  claimIdle: 5'],
      }),
      want: [
        {
          at: '41:34',
          path: 'defaults.retry.backoff.initialMs',
          message:
            'backoff `maxMs` 30000 (inherited) is below `initialMs` 60000; every delay would be capped below the first one',
          hint: 'lower `initialMs`, or set `maxMs` to at least 60000',
        },
        {
          at: '42:3',
          path: 'defaults.claimIdle',
          message: 'unknown key `claimIdle` in `defaults`',
          hint: 'did you mean `claimIdleMs`?',
        },
      ],
    },
  ],
  [
    'retention with both maxLen and maxAge',
    {
      given: withLines({ 13: '    retention: { maxLen: 1000, maxAge: 1h }' }),
      want: [
        {
          at: '13:5',
          path: 'streams.order-events.retention',
          message:
            'retention of stream `order-events` sets both `maxLen` and `maxAge`; it takes exactly one',
          hint: 'keep `maxLen` (the newest N entries) or `maxAge` (entries younger than a duration)',
        },
      ],
    },
  ],
  [
    'retention with neither',
    {
      given: withLines({ 13: '    retention: {}' }),
      want: [
        {
          at: '13:5',
          path: 'streams.order-events.retention',
          message: 'retention of stream `order-events` sets neither `maxLen` nor `maxAge`',
          hint: 'add `maxLen` or `maxAge`',
        },
      ],
    },
  ],
  [
    'stream without retention',
    {
      given: withLines({ 18: '    description: payments' }),
      want: [
        {
          at: '17:3',
          path: 'streams.payment-events.retention',
          message:
            'stream `payment-events` has no `retention`; an unbounded stream grows until Redis runs out of memory',
          hint: 'add `retention: { maxLen: 10000 }` or `retention: { maxAge: 7d }`',
        },
      ],
    },
  ],
  [
    'bad duration',
    {
      given: withLines({ 18: '    retention: { maxAge: 24 hours }' }),
      want: [
        {
          at: '18:26',
          path: 'streams.payment-events.retention.maxAge',
          message: '`maxAge` of stream `payment-events` must be a duration, got "24 hours"',
          hint: 'write a positive number and a unit, no space: `500ms`, `90s`, `30m`, `24h` or `7d`',
        },
      ],
    },
  ],
  [
    'maxLen 0',
    {
      given: withLines({ 13: '    retention: { maxLen: 0 }' }),
      want: [
        {
          at: '13:26',
          path: 'streams.order-events.retention.maxLen',
          message: '`maxLen` of stream `order-events` must be a positive integer, got 0',
        },
      ],
    },
  ],
  [
    'bad retry values: maxAttempts 0, jitter 2',
    {
      given: withLines({
        15: '      billing-service: { retry: { maxAttempts: 0, backoff: { jitter: 2 } } }',
      }),
      want: [
        {
          at: '15:48',
          path: 'streams.order-events.groups.billing-service.retry.maxAttempts',
          message:
            '`maxAttempts` (deliveries in all, the first included) must be a positive integer, got 0',
        },
        {
          at: '15:70',
          path: 'streams.order-events.groups.billing-service.retry.backoff.jitter',
          message: '`jitter` must be a number from 0 to 1, got 2',
        },
      ],
    },
  ],
  [
    'bad circuitBreaker values: a misspelt key, failureRate 2, a window without a unit',
    {
      given: withLines({
        15: '      billing-service: { circuitBreaker: { failureRate: 2, window: 10, cooldown: 30s } }',
      }),
      want: [
        {
          at: '15:57',
          path: 'streams.order-events.groups.billing-service.circuitBreaker.failureRate',
          message:
            '`failureRate` (the share of failed deliveries that opens the breaker) must be a number from 0 to 0.99, got 2',
        },
        {
          at: '15:68',
          path: 'streams.order-events.groups.billing-service.circuitBreaker.window',
          message: '`window` of `circuitBreaker` must be a duration, got 10',
          hint: 'write a positive number and a unit, no space: `500ms`, `90s`, `30m`, `24h` or `7d`',
        },
        {
          at: '15:72',
          path: 'streams.order-events.groups.billing-service.circuitBreaker.cooldown',
          message: 'unknown key `cooldown` in `circuitBreaker`',
          hint: 'did you mean `coolDown`?',
        },
      ],
    },
  ],
  [
    'circuitBreaker neither a boolean nor a mapping',
    {
      given: withLines({ 15: '      billing-service: { circuitBreaker: yes }' }),
      want: [
        {
          at: '15:42',
          path: 'streams.order-events.groups.billing-service.circuitBreaker',
          message: '`circuitBreaker` must be `true`, `false` or a mapping, got "yes"',
          hint: 'write `circuitBreaker: true` for the defaults, or e.g. `{ failureRate: 0.5, minDeliveries: 10, window: 10s, coolDown: 30s }`',
        },
      ],
    },
  ],
  [
    'maxMs below initialMs',
    {
      given: withLines({
        15: '      billing-service: { retry: { backoff: { initialMs: 5000, maxMs: 1000 } } }',
      }),
      want: [
        {
          at: '15:70',
          path: 'streams.order-events.groups.billing-service.retry.backoff.maxMs',
          message:
            'backoff `maxMs` 1000 is below `initialMs` 5000; every delay would be capped below the first one',
          hint: 'raise `maxMs` to at least 5000',
        },
      ],
    },
  ],
  [
    'channel pattern with a glob',
    {
      given: withLines({ 23: '    pattern: "order:*:status"' }),
      want: [
        {
          at: '23:14',
          path: 'channels.order-status.pattern',
          message: 'pattern "order:*:status" holds characters a channel name may not have',
          hint: 'use letters, digits, `:`, `.`, `_`, `-` and `{param}` placeholders; no `*`, `?`, `[`, `]` or spaces',
        },
      ],
    },
  ],
];

describeBadCatalogs(
  'loadCatalog reports bad catalogues: YAML, meta-schema, retention and retry',
  cases,
);
