/**
 * Bad catalogues: payload schemas (the JSON Schema subset TypeBox expresses).
 * Each case edits lines of BASE (see base-catalog.ts for the line numbers)
 * and lists every issue expected, in the order reported.
 */
import { withLines } from './base-catalog.js';
import { type BadCatalogCase, describeBadCatalogs } from './issues-of.js';

const cases: BadCatalogCase[] = [
  [
    'event without payload',
    {
      given: withLines({ 36: '    description: no payload' }),
      want: [
        {
          at: '34:3',
          path: 'events["order.shipped"].payload',
          message: 'event `order.shipped` has no `payload`',
          hint: 'add `payload:` with a JSON Schema of `type: object`',
        },
      ],
    },
  ],
  [
    'unsupported keyword patternProperties',
    {
      given: withLines({
        36: '    payload: { type: object, patternProperties: { "^x": { type: string } } }',
      }),
      want: [
        {
          at: '36:30',
          path: 'events["order.shipped"].payload.patternProperties',
          message:
            'JSON Schema keyword `patternProperties` is not supported: payloads use the subset TypeBox can express',
          hint: 'use `additionalProperties: { <schema> }` for a map with free keys',
        },
      ],
    },
  ],
  [
    'unsupported keyword if',
    {
      given: withLines({ 32: '        orderId: { type: string, if: { minLength: 1 } }' }),
      want: [
        {
          at: '32:34',
          path: 'events["order.placed"].payload.properties.orderId.if',
          message:
            'JSON Schema keyword `if` is not supported: payloads use the subset TypeBox can express',
          hint: 'express the alternatives with `oneOf` or `anyOf`',
        },
      ],
    },
  ],
  [
    'misspelt JSON Schema keyword',
    {
      given: withLines({
        36: '    payload: { type: object, properties: { carrier: { type: string, minLenght: 1 } } }',
      }),
      want: [
        {
          at: '36:69',
          path: 'events["order.shipped"].payload.properties.carrier.minLenght',
          message: 'unknown JSON Schema keyword `minLenght`',
          hint: 'did you mean `minLength`?',
        },
      ],
    },
  ],
  [
    'payload root not an object',
    {
      given: withLines({ 36: '    payload: { type: string }' }),
      want: [
        {
          at: '36:22',
          path: 'events["order.shipped"].payload.type',
          message: 'the payload of event `order.shipped` must be `type: object`, got `string`',
          hint: 'a payload is an object: put the value in a property, `properties: { value: { ... } }`',
        },
      ],
    },
  ],
  [
    'invalid regex pattern',
    {
      given: withLines({ 32: '        orderId: { type: string, pattern: "([a-z]" }' }),
      want: [
        {
          at: '32:43',
          path: 'events["order.placed"].payload.properties.orderId.pattern',
          message:
            '`pattern` is not a valid JavaScript regular expression: Invalid regular expression: /([a-z]/u: Unterminated group',
        },
      ],
    },
  ],
  [
    'unsupported format',
    {
      given: withLines({ 32: '        orderId: { type: string, format: phone }' }),
      want: [
        {
          at: '32:42',
          path: 'events["order.placed"].payload.properties.orderId.format',
          message:
            '`format` must be one of `date`, `date-time`, `email`, `hostname`, `ipv4`, `ipv6`, `time`, `uri`, `uuid`, got "phone"',
        },
      ],
    },
  ],
  [
    'required names an undeclared property',
    {
      given: withLines({ 7: '    required: [amount, curency]' }),
      want: [
        {
          at: '7:24',
          path: 'types.Money.required[1]',
          message: 'required property `curency` is not declared in `properties`',
          hint: 'did you mean `currency`?',
        },
      ],
    },
  ],
];

describeBadCatalogs('loadCatalog reports bad catalogues: payload schemas', cases);
