/** Stream entry fields as Redis returns them (a flat name/value list) and as records. */

/** Stream entry fields as a record. */
export type EntryFields = { readonly [field: string]: string };

/** Converts a flat field/value list (as Redis returns it) to a record; repeated names keep the first value. */
export function fieldsToRecord(fields: readonly string[]): Record<string, string> {
  const record: Record<string, string> = Object.create(null);
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!;
    if (!(name in record)) record[name] = fields[i + 1]!;
  }
  return record;
}

/** The value of the first field `name` of a flat field/value list, if any. */
export function fieldValue(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** Converts a record to a flat field/value list. */
export function recordToFields(record: EntryFields): string[] {
  const fields: string[] = [];
  for (const name of Object.keys(record)) fields.push(name, record[name]!);
  return fields;
}
