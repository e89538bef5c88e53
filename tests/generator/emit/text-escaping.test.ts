/**
 * Catalogue text in generated code: every description and enum value ends
 * up as a string literal that denotes exactly the catalogue's text, and as
 * TSDoc that keeps it inside its comment, whatever it holds (quotes,
 * backslashes, line breaks, control characters, `*\/`, template syntax,
 * non-ASCII). The generated code compiles and passes the linter.
 */
import { ts } from 'ts-morph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFiles } from '../../../generator/emit/index.js';
import { itPassesGeneratedCodeChecks, removeScratch, writeScratch } from './check-output.js';
import { textCatalog } from './edge-catalog.js';
import { loadModel } from './example-model.js';

/** `literal`: how the text is written in code; `doc`: the lines of its TSDoc paragraph. */
interface Written {
  readonly literal: string;
  readonly doc: string;
}

/** `${x}`, spelled so that no linter takes it for a forgotten template literal. */
const PLACEHOLDER = ['$', '{x}'].join('');

const CASES: ReadonlyArray<[string, { given: string; want: Written }]> = [
  ['plain text', { given: 'Plain text', want: { literal: "'Plain text'", doc: ' * Plain text.' } }],
  ['a single quote', { given: "it's", want: { literal: "'it\\'s'", doc: " * it's." } }],
  [
    'double quotes stay as they are',
    { given: 'say "hi"', want: { literal: `'say "hi"'`, doc: ' * say "hi".' } },
  ],
  [
    'backslashes',
    { given: 'C:\\temp\\d+', want: { literal: "'C:\\\\temp\\\\d+'", doc: ' * C:\\temp\\d+.' } },
  ],
  ['a newline', { given: 'one\ntwo', want: { literal: "'one\\ntwo'", doc: ' * one\n * two.' } }],
  [
    'CR LF and a tab',
    {
      given: 'one\r\ntwo\tthree',
      want: { literal: "'one\\r\\ntwo\\tthree'", doc: ' * one\n * two\tthree.' },
    },
  ],
  [
    'a control character',
    { given: 'bell\u0007', want: { literal: "'bell\\u0007'", doc: ' * bell\u0007.' } },
  ],
  [
    'line and paragraph separators',
    {
      given: 'a\u2028b\u2029c',
      want: { literal: "'a\\u2028b\\u2029c'", doc: ' * a\n * b\n * c.' },
    },
  ],
  ['a comment end', { given: 'a */ b', want: { literal: "'a */ b'", doc: ' * a *\\/ b.' } }],
  [
    'template syntax is text',
    {
      given: `${PLACEHOLDER} \`y\``,
      want: { literal: `'${PLACEHOLDER} \`y\`'`, doc: ` * ${PLACEHOLDER} \`y\`.` },
    },
  ],
  [
    'non-ASCII is kept',
    { given: 'café ✓ 😀', want: { literal: "'café ✓ 😀'", doc: ' * café ✓ 😀.' } },
  ],
];

const files = generateFiles(
  loadModel(textCatalog(CASES.map(([, { given }]) => given)), 'text.schema.yaml'),
);
const events = files.get('events.ts') ?? '';
const catalog = files.get('catalog.ts') ?? '';

/** The value of the string literal `literal`, as TypeScript reads it. */
function stringValue(literal: string): string | undefined {
  const file = ts.createSourceFile('x.ts', `x = ${literal};`, ts.ScriptTarget.Latest);
  const [statement] = file.statements;
  if (statement === undefined || !ts.isExpressionStatement(statement)) return undefined;
  const { expression } = statement;
  if (!ts.isBinaryExpression(expression) || !ts.isStringLiteral(expression.right)) return undefined;
  return expression.right.text;
}

describe.each(CASES.map(([name, testCase], i) => [name, { ...testCase, i }] as const))(
  '%s',
  (_, { given, want, i }) => {
    it('is written as a literal that denotes the text', () => {
      expect(stringValue(want.literal)).toBe(given);
    });

    it('is the event description in catalog.ts', () => {
      expect(catalog).toContain(`description: ${want.literal},`);
    });

    it('is a TypeBox option and a TypeBox literal in events.ts', () => {
      expect(events).toContain(`Type.String({ description: ${want.literal} })`);
      expect(events).toContain(`Type.Literal(${want.literal})`);
    });

    it('is a TSDoc paragraph that stays inside its comment', () => {
      expect(events).toContain(`/**\n${want.doc}\n *\n * \`text.case-${i}\`: stored`);
    });
  },
);

describe('the generated code of the text catalogue', () => {
  let dir = '';

  beforeAll(() => {
    dir = writeScratch('text', files);
  });

  afterAll(() => removeScratch(dir));

  itPassesGeneratedCodeChecks(() => dir);
});
