/**
 * Compiles fixture sources against the real generated/ code with the
 * repository's tsconfig (ts-morph), and reports their diagnostics.
 */
import { fileURLToPath } from 'node:url';
import { type Diagnostic, Project, ts } from 'ts-morph';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where fixtures live (only in memory): imports of generated code go `../../../../generated/`. */
export const FIXTURE_DIR = `${REPO_ROOT}tests/generator/types/__virtual__`;

/** One diagnostic of a fixture, reduced to what tests assert on. */
export interface FixtureDiagnostic {
  readonly code: number;
  readonly message: string;
  /** The source text the diagnostic points at. */
  readonly at: string;
}

/**
 * Type-checks every fixture (name -> source) in one program and returns
 * each fixture's diagnostics.
 */
export function compileFixtures(
  fixtures: Readonly<Record<string, string>>,
): Map<string, FixtureDiagnostic[]> {
  const project = new Project({
    tsConfigFilePath: `${REPO_ROOT}tsconfig.json`,
    skipAddingFilesFromTsConfig: true,
  });
  const files = Object.entries(fixtures).map(
    ([name, text]) => [name, project.createSourceFile(`${FIXTURE_DIR}/${name}.ts`, text)] as const,
  );
  const results = new Map<string, FixtureDiagnostic[]>();
  for (const [name, file] of files) {
    results.set(
      name,
      file.getPreEmitDiagnostics().map((d) => reduce(d, file.getFullText())),
    );
  }
  return results;
}

function reduce(diagnostic: Diagnostic, text: string): FixtureDiagnostic {
  const start = diagnostic.getStart() ?? 0;
  const length = diagnostic.getLength() ?? 0;
  return {
    code: diagnostic.getCode(),
    message: ts.flattenDiagnosticMessageText(diagnostic.compilerObject.messageText, '\n'),
    at: text.slice(start, start + length),
  };
}
