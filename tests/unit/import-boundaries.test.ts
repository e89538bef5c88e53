import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(root, dir, file));
}

/** Every `import ... from '...'` statement of a file, with whether it imports only types. */
function imports(file: string): { from: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)].map((m) => ({
    from: m[3]!,
    typeOnly: m[2] !== undefined,
  }));
}

describe('imports go one way (STYLE.md point 1)', () => {
  it.each(['generator/catalog', 'generator/emit'])(
    '%s imports only types from runtime/ and nothing from generated/',
    (dir) => {
      const offending = sourceFiles(dir).flatMap((file) =>
        imports(file)
          .filter(
            ({ from, typeOnly }) =>
              from.includes('/generated/') ||
              ((from.includes('/runtime/') || from === 'schemabus') && !typeOnly),
          )
          .map(({ from }) => `${relative(root, file)} -> ${from}`),
      );
      expect(offending).toEqual([]);
    },
  );

  it('generated/ imports only the public entry `schemabus` and its own files', () => {
    const offending = sourceFiles('generated').flatMap((file) =>
      imports(file)
        .filter(({ from }) => from !== 'schemabus' && !from.startsWith('./'))
        .map(({ from }) => `${relative(root, file)} -> ${from}`),
    );
    expect(offending).toEqual([]);
  });

  it('runtime/ never imports generator/, generated/ or yaml', () => {
    const offending = sourceFiles('runtime').flatMap((file) =>
      imports(file)
        .filter(
          ({ from }) =>
            from.includes('/generator/') || from.includes('/generated/') || from === 'yaml',
        )
        .map(({ from }) => `${relative(root, file)} -> ${from}`),
    );
    expect(offending).toEqual([]);
  });
});
