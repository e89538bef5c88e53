import { describe, expect, it } from 'vitest';
import { type Doc, hardline } from '../../../generator/emit/doc.js';
import { channelMessageName, compareNatural } from '../../../generator/emit/names.js';
import { printDoc } from '../../../generator/emit/print-doc.js';
import {
  arrayLiteral,
  call,
  docComment,
  functionType,
  objectLiteral,
  objectType,
  parameters,
  property,
  propertyKey,
  stringLiteral,
  typeArguments,
  unionTypeAlias,
  wrap,
} from '../../../generator/emit/syntax.js';

describe('stringLiteral', () => {
  it.each<[string, { given: string; want: string }]>([
    ['plain text in single quotes', { given: 'uuid', want: "'uuid'" }],
    ['empty', { given: '', want: "''" }],
    ['a single quote switches to double quotes', { given: "it's", want: `"it's"` }],
    [
      'more doubles than singles stays single',
      { given: `say "hi" it's`, want: `'say "hi" it\\'s'` },
    ],
    ['backslashes are escaped', { given: '^\\d+$', want: "'^\\\\d+$'" }],
    ['newline and tab', { given: 'a\nb\tc', want: "'a\\nb\\tc'" }],
    ['control and line separator characters', { given: '\u0001\u2028', want: "'\\u0001\\u2028'" }],
    ['unicode is kept', { given: 'café ✓', want: "'café ✓'" }],
  ])('%s', (_, { given, want }) => {
    expect(stringLiteral(given)).toBe(want);
  });
});

describe('propertyKey', () => {
  it.each<[string, { given: string; want: string }]>([
    ['identifier stays bare', { given: 'campaignId', want: 'campaignId' }],
    ['dollar and underscore', { given: '$ref_1', want: '$ref_1' }],
    ['dotted event type is quoted', { given: 'campaign.created', want: "'campaign.created'" }],
    ['kebab name is quoted', { given: 'audit-service', want: "'audit-service'" }],
    ['leading digit is quoted', { given: '1st', want: "'1st'" }],
  ])('%s', (_, { given, want }) => {
    expect(propertyKey(given)).toBe(want);
  });
});

describe('names', () => {
  it('names the message union of a channel', () => {
    expect(channelMessageName('campaign-status')).toBe('CampaignStatusMessage');
  });

  it.each<[string, { given: string[]; want: string[] }]>([
    [
      'case-insensitive, upper first on ties',
      { given: ['b', 'B', 'a', 'A'], want: ['A', 'a', 'B', 'b'] },
    ],
    ['digit runs as numbers', { given: ['a10', 'a9', 'a1'], want: ['a1', 'a9', 'a10'] }],
    [
      'Biome order of specifiers',
      {
        given: ['PublishMeta', 'Published', 'EventBus'],
        want: ['EventBus', 'Published', 'PublishMeta'],
      },
    ],
    [
      'relative paths',
      { given: ['./realtime.js', './events.js'], want: ['./events.js', './realtime.js'] },
    ],
  ])('compareNatural: %s', (_, { given, want }) => {
    expect([...given].sort(compareNatural)).toEqual(want);
  });
});

describe('wrap and docComment', () => {
  it.each<[string, { given: [string, number]; want: string[] }]>([
    ['short text is one line', { given: ['a b c', 10], want: ['a b c'] }],
    ['breaks between words', { given: ['aaa bbb ccc', 7], want: ['aaa bbb', 'ccc'] }],
    [
      'keeps a code span whole',
      {
        given: ['see `createBus({ catalog })` now', 12],
        want: ['see', '`createBus({ catalog })`', 'now'],
      },
    ],
    ['keeps explicit newlines', { given: ['a\nb', 80], want: ['a', 'b'] }],
  ])('wrap: %s', (_, { given, want }) => {
    expect(wrap(...given)).toEqual(want);
  });

  it.each<[string, { given: string[]; want: string }]>([
    ['nothing', { given: [], want: '' }],
    ['one line', { given: ['A campaign was created.'], want: '/** A campaign was created. */\n' }],
    ['paragraphs', { given: ['One.', 'Two.'], want: '/**\n * One.\n *\n * Two.\n */\n' }],
    ['escapes the comment end', { given: ['a */ b'], want: '/** a *\\/ b */\n' }],
  ])('docComment: %s', (_, { given, want }) => {
    expect(printDoc([docComment(given), ''])).toBe(want);
  });
});

/** Prints `doc` at `width` columns. */
function layout(doc: Doc, width = 40): string {
  return printDoc(doc, width);
}

describe('layout (Biome-compatible)', () => {
  it.each<[string, { given: Doc; want: string }]>([
    ['call that fits stays flat', { given: call('f', ['a', 'b']), want: 'f(a, b)' }],
    [
      'call too long breaks one argument per line with a trailing comma',
      {
        given: call('callSomething', ['firstArgument', 'secondArgument', 'third']),
        want: 'callSomething(\n  firstArgument,\n  secondArgument,\n  third,\n)',
      },
    ],
    [
      'hugs a last array argument',
      {
        given: call(
          'Type.Union',
          [arrayLiteral(['Type.Literal(1)', 'Type.Literal(2)', 'Type.Literal(3)'])],
          { hugLast: true },
        ),
        want: 'Type.Union([\n  Type.Literal(1),\n  Type.Literal(2),\n  Type.Literal(3),\n])',
      },
    ],
    [
      'an expanded object breaks the call around it',
      {
        given: call('Type.Object', [
          objectLiteral([property('a', '1')], { expand: true }),
          objectLiteral([property('b', '2')]),
        ]),
        want: 'Type.Object(\n  {\n    a: 1,\n  },\n  { b: 2 },\n)',
      },
    ],
    [
      'object that fits stays flat',
      {
        given: objectLiteral([property('a', '1'), property('b', "'x'")]),
        want: "{ a: 1, b: 'x' }",
      },
    ],
    [
      'empty object and array',
      { given: [objectLiteral([]), ' ', arrayLiteral([])], want: '{} []' },
    ],
    [
      'long string moves after the key',
      {
        given: objectLiteral([property('description', stringLiteral('x'.repeat(30)))]),
        want: `{\n  description:\n    '${'x'.repeat(30)}',\n}`,
      },
    ],
    [
      'short key keeps its string',
      {
        given: objectLiteral([property('id', stringLiteral('x'.repeat(40)))]),
        want: `{\n  id: '${'x'.repeat(40)}',\n}`,
      },
    ],
    [
      'parameters break with a trailing comma',
      {
        given: ['function f', parameters(['bus: EventBus', 'handlers: Handlers']), ': void {}'],
        want: 'function f(\n  bus: EventBus,\n  handlers: Handlers,\n): void {}',
      },
    ],
    ['function type', { given: functionType(['a: A'], 'void'), want: '(a: A) => void' }],
    [
      'a long name value moves after the key',
      {
        given: objectLiteral([property('some.rather-long-key', 'SomeRatherLongTypeName')], {
          expand: true,
        }),
        want: "{\n  'some.rather-long-key':\n    SomeRatherLongTypeName,\n}",
      },
    ],
    [
      'a single simple type argument never breaks',
      {
        given: ['x: Promise', typeArguments(['SomeVeryLongTypeNameThatIsLongerThanTheLine'])],
        want: 'x: Promise<SomeVeryLongTypeNameThatIsLongerThanTheLine>',
      },
    ],
    [
      'type arguments break like parameters',
      {
        given: ['type X = Static', typeArguments(['typeof SomeVeryLongTypeName']), ';'],
        want: 'type X = Static<\n  typeof SomeVeryLongTypeName\n>;',
      },
    ],
    [
      'object type flat and broken',
      {
        given: [
          objectType(['readonly a?: string']),
          hardline,
          objectType(['readonly first?: string', 'readonly second?: number']),
        ],
        want: '{ readonly a?: string }\n{\n  readonly first?: string;\n  readonly second?: number;\n}',
      },
    ],
    [
      'union alias that fits',
      { given: unionTypeAlias('U', ['A', 'B']), want: 'export type U = A | B;' },
    ],
    [
      'union alias broken with leading bars',
      {
        given: unionTypeAlias('Message', ['Envelope<VeryLongName>', 'Envelope<OtherName>']),
        want: 'export type Message =\n  | Envelope<VeryLongName>\n  | Envelope<OtherName>;',
      },
    ],
    [
      'union members that break are aligned under their bar',
      {
        given: unionTypeAlias('M', [
          ['Envelope', typeArguments(['SomeLongPayloadName', "'some.event-type'"])],
          'B',
        ]),
        want: "export type M =\n  | Envelope<\n      SomeLongPayloadName,\n      'some.event-type'\n    >\n  | B;",
      },
    ],
  ])('%s', (_, { given, want }) => {
    expect(layout(given)).toBe(want);
  });
});
