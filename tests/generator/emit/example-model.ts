/**
 * The example catalogue (events.schema.yaml at the repository root),
 * loaded the way `schemabus codegen` loads it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CatalogModel, formatIssue, loadCatalog } from '../../../generator/catalog/index.js';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The example catalogue's path, as codegen shows it (relative to the root). */
export const EXAMPLE_SCHEMA = 'events.schema.yaml';

/** Loads the example catalogue; throws with every issue if it is invalid. */
export function loadExampleModel(): CatalogModel {
  return loadModel(readFileSync(new URL(`../../../${EXAMPLE_SCHEMA}`, import.meta.url), 'utf8'));
}

/** Loads catalogue `text` as `sourcePath`; throws with every issue if it is invalid. */
export function loadModel(text: string, sourcePath = EXAMPLE_SCHEMA): CatalogModel {
  const loaded = loadCatalog(text, sourcePath);
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  return loaded.model;
}
