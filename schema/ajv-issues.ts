/**
 * ajv's errors as the issues schemabus reports: a JSON Pointer and a message
 * that says what would be valid (the allowed values, the expected format
 * with an example, the type that was given instead and how to fix a Date),
 * deduplicated. Shared by the runtime's validators and `schemabus validate`,
 * so a publish and the CLI word the same failure the same way.
 */
import type { ErrorObject } from 'ajv';

/** One failing location: a JSON Pointer into the checked value, and what is wrong there. */
export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

/** Options of {@link ajvIssues}. */
export interface AjvIssueOptions {
  /** Put before every path (`/data` when the checked value sits inside an envelope). */
  readonly prefix?: string | undefined;
  /** Paths (with the prefix) whose errors are left out: reported better elsewhere. */
  readonly skip?: readonly string[] | undefined;
}

/** An example of a valid value, per format the catalogue may use. */
const FORMAT_EXAMPLES: Readonly<Record<string, string>> = {
  'date-time': 'an RFC 3339 date-time such as "2026-03-01T08:00:00Z", as date.toISOString() writes',
  date: 'a date such as "2026-03-01"',
  time: 'a time such as "08:00:00Z"',
  duration: 'an ISO 8601 duration such as "P1DT2H"',
  uuid: 'a UUID such as "6f1c2d3e-0000-4000-8000-000000000001"',
  email: 'an email address such as "ada@example.com"',
  uri: 'an absolute URI such as "https://example.com/x"',
  hostname: 'a host name such as "example.com"',
  ipv4: 'an IPv4 address such as "192.0.2.1"',
  ipv6: 'an IPv6 address such as "2001:db8::1"',
};

/** The issues of ajv `errors` for `data`, in ajv's order, each (path, message) once. */
export function ajvIssues(
  errors: readonly ErrorObject[] | null | undefined,
  data: unknown,
  options: AjvIssueOptions = {},
): SchemaIssue[] {
  const prefix = options.prefix ?? '';
  const seen = new Set<string>();
  const issues: SchemaIssue[] = [];
  for (const error of errors ?? []) {
    // `if`/`then` failures repeat what the branch keywords already said.
    if (error.keyword === 'if') continue;
    if (options.skip?.includes(prefix + error.instancePath)) continue;
    const issue = issueOf(error, data, prefix);
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function issueOf(error: ErrorObject, data: unknown, prefix: string): SchemaIssue {
  const params = error.params as Record<string, unknown>;
  const at = prefix + error.instancePath;
  switch (error.keyword) {
    case 'required':
      return { path: pointerChild(at, params.missingProperty), message: 'is required' };
    case 'additionalProperties':
      return { path: pointerChild(at, params.additionalProperty), message: UNKNOWN_FIELD };
    case 'unevaluatedProperties':
      return { path: pointerChild(at, params.unevaluatedProperty), message: UNKNOWN_FIELD };
    case 'const':
      return { path: at, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'enum':
      return {
        path: at,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'format': {
      const format = String(params.format);
      const example = FORMAT_EXAMPLES[format];
      return {
        path: at,
        message: `must match format "${format}"${example === undefined ? '' : ` (${example})`}`,
      };
    }
    case 'type':
      return {
        path: at,
        message: typeMessage(String(params.type), valueAt(data, error.instancePath)),
      };
    default:
      return { path: at, message: error.message ?? `fails \`${error.keyword}\`` };
  }
}

const UNKNOWN_FIELD = 'is not in the schema (unknown fields are rejected on publish)';

/** `must be string, got a Date (hint: ...)`: the expected type, what was given, and the fix when known. */
function typeMessage(expected: string, value: unknown): string {
  const given = describe(value);
  let hint = '';
  if (value instanceof Date && expected.includes('string')) {
    hint = ' (hint: date-time fields are ISO 8601 strings: pass date.toISOString())';
  } else if (typeof value === 'string' && /number|integer/.test(expected)) {
    hint = ' (hint: a number, not its text: Number(value))';
  } else if (typeof value === 'number' && expected.includes('string')) {
    hint = ' (hint: a string: String(value), or date.toISOString() for a timestamp)';
  } else if (typeof value === 'bigint') {
    hint = ' (hint: JSON has no bigint: pass a number, or a string of digits)';
  }
  return `must be ${expected.replaceAll(',', ' or ')}, got ${given}${hint}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'object') {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  if (typeof value === 'string') return `a string ${JSON.stringify(truncate(value))}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** The value at JSON Pointer `pointer` of `data` (undefined when the path does not exist). */
function valueAt(data: unknown, pointer: string): unknown {
  if (pointer === '') return data;
  let value = data;
  for (const raw of pointer.slice(1).split('/')) {
    if (typeof value !== 'object' || value === null) return undefined;
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** JSON Pointer `base` extended by one key, escaped. */
export function pointerChild(base: string, key: unknown): string {
  return `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
