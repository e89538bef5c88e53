import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../cli/commands/check.js';
import { runCodegen } from '../../cli/commands/codegen.js';
import { runInit } from '../../cli/commands/init.js';
import { STARTER_CATALOG } from '../../cli/support/starter-catalog.js';
import { removeProject } from './project-copy.js';

let dir = '';
afterEach(() => removeProject(dir));

function emptyProject(): string {
  dir = mkdtempSync(join(tmpdir(), 'schemabus-init-'));
  return dir;
}

const read = (name: string) => readFileSync(join(dir, name), 'utf8');

describe('init', () => {
  it('in an empty directory writes a catalogue that checks and generates, a package.json with the scripts, and the next steps', async () => {
    const context = { cwd: emptyProject() };
    const result = await runInit({}, context);
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).not.toContain('"type": "module";');
    expect(read('events.schema.yaml')).toBe(STARTER_CATALOG);
    expect(JSON.parse(read('package.json'))).toMatchObject({
      private: true,
      type: 'module',
      scripts: {
        codegen: 'schemabus codegen --schema events.schema.yaml --out generated',
        'codegen:check': 'schemabus codegen --schema events.schema.yaml --out generated --check',
      },
    });
    expect(result.stdout).toContain('1. Describe your events in events.schema.yaml');
    expect(result.stdout).toContain('npx schemabus check');
    expect(result.stdout).toContain('2. Generate the typed API into generated/');
    expect(result.stdout).toContain('3. Publish and handle events');
    expect(await runCheck({}, context)).toMatchObject({ exitCode: 0, stderr: '' });
    expect((await runCodegen({}, context)).exitCode).toBe(0);
    expect(read('generated/index.ts')).toContain(
      '// Regenerate with: npx schemabus codegen --schema events.schema.yaml --out generated',
    );
  });

  it('in an existing project adds the missing scripts, keeps the ones it has and its indentation', async () => {
    emptyProject();
    const manifest = { name: 'shop', version: '1.0.0', scripts: { codegen: 'make codegen' } };
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 4)}\n`);
    const result = await runInit({ schema: 'src/events.yaml', out: 'src/gen' }, { cwd: dir });
    expect(result.exitCode).toBe(0);
    const text = read('package.json');
    expect(text).toMatch(/^\{\n {4}"name": "shop",/);
    expect(JSON.parse(text)).toEqual({
      ...manifest,
      scripts: {
        codegen: 'make codegen',
        'codegen:check': 'schemabus codegen --schema src/events.yaml --out src/gen --check',
      },
    });
    expect(result.stdout).toContain('scripts  kept your codegen (not changed)');
    expect(result.stdout).toContain('npx schemabus check --schema src/events.yaml');
    expect(result.stdout).toContain('npx schemabus codegen --schema src/events.yaml --out src/gen');
    expect(result.stdout).toContain(
      'note     package.json is not "type": "module"; schemabus and the generated code are ESM',
    );
    expect(read('src/events.yaml')).toBe(STARTER_CATALOG);
  });

  it('refuses to overwrite a catalogue and then writes nothing at all', async () => {
    emptyProject();
    writeFileSync(join(dir, 'events.schema.yaml'), 'schemabus: 1\n');
    const result = await runInit({}, { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('events.schema.yaml exists already; init never overwrites');
    expect(read('events.schema.yaml')).toBe('schemabus: 1\n');
    expect(() => read('package.json')).toThrow(/ENOENT/);
  });

  it('refuses a package.json that is not JSON, before writing the catalogue', async () => {
    emptyProject();
    writeFileSync(join(dir, 'package.json'), '{ "name": ');
    const result = await runInit({}, { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('cannot read package.json');
    expect(() => read('events.schema.yaml')).toThrow(/ENOENT/);
  });

  it('names what it cannot write instead of crashing', async () => {
    emptyProject();
    writeFileSync(join(dir, 'src'), 'a file, not a directory');
    const result = await runInit({ schema: 'src/events.yaml' }, { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^cannot write: .*src/);
  });
});
