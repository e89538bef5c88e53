import { describe, expect, it } from 'vitest';
import { generateFiles } from '../../../generator/emit/index.js';
import { loadExampleModel } from './example-model.js';
import { sampleModel } from './sample-model.js';

describe('determinism', () => {
  it('generates the same bytes twice from one model', () => {
    const model = loadExampleModel();
    expect(generateFiles(model)).toEqual(generateFiles(model));
  });

  it('generates the same bytes from two loads of the catalogue', () => {
    const first = generateFiles(loadExampleModel());
    const second = generateFiles(loadExampleModel());
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [path, text] of first) expect(second.get(path), path).toBe(text);
  });

  it('orders shared types by dependency whatever order the model lists them in', () => {
    const reversed = { ...sampleModel, types: [...sampleModel.types].reverse() };
    expect(generateFiles(reversed).get('events.ts')).toBe(
      generateFiles(sampleModel).get('events.ts'),
    );
  });

  it('holds no timestamp or absolute path', () => {
    for (const [path, text] of generateFiles(loadExampleModel())) {
      expect(text, path).not.toMatch(/\b20\d\d-\d\d-\d\dT/);
      expect(text, path).not.toContain(process.cwd());
    }
  });
});
