/**
 * A strict parser of the Prometheus text exposition format (0.0.4), for
 * tests that scrape metrics: every line must be a `# HELP`, a `# TYPE`, a
 * sample of the family typed last, or empty; anything else throws with the
 * line. Label values are unescaped (`\\`, `\"`, `\n`).
 */

/** One sample line. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A metric family: its HELP, TYPE and samples. */
export interface Family {
  readonly name: string;
  help: string;
  type: string;
  readonly samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/;
const SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

function unescapeText(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest !== '') {
    const m = LABEL.exec(rest);
    if (!m) throw new Error(`bad labels in: ${line}`);
    if (m[1]! in labels) throw new Error(`label ${m[1]} twice in: ${line}`);
    labels[m[1]!] = unescapeText(m[2]!);
    rest = rest.slice(m[0].length);
  }
  return labels;
}

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`bad value in: ${line}`);
  return value;
}

/** Every family of `text`, by name; throws on the first line that is not valid. */
export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string) => {
    let f = families.get(name);
    if (f === undefined) {
      f = { name, help: '', type: '', samples: [] };
      families.set(name, f);
    }
    return f;
  };
  let current: Family | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const help = HELP.exec(line);
    const type = TYPE.exec(line);
    if (help) {
      family(help[1]!).help = unescapeText(help[2]!);
    } else if (type) {
      current = family(type[1]!);
      if (current.type !== '') throw new Error(`TYPE twice for ${current.name}`);
      current.type = type[2]!;
    } else if (line.startsWith('#')) {
      throw new Error(`unknown comment line: ${line}`);
    } else {
      const m = SAMPLE.exec(line);
      if (!m) throw new Error(`not a sample line: ${line}`);
      const name = m[1]!;
      const suffixes = SUFFIXES[current?.type ?? ''] ?? [''];
      if (current === undefined || !suffixes.some((s) => name === `${current!.name}${s}`)) {
        throw new Error(`sample ${name} outside its family (last TYPE: ${current?.name})`);
      }
      current.samples.push({
        name,
        labels: parseLabels(m[2] ?? '', line),
        value: parseValue(m[3]!, line),
      });
    }
  }
  for (const f of families.values()) {
    if (f.type === '') throw new Error(`no TYPE for ${f.name}`);
  }
  return families;
}

/** The value of the sample `name` with exactly `labels`, undefined when there is none. */
export function sampleValue(
  families: ReadonlyMap<string, Family>,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const keys = Object.keys(labels);
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name !== name) continue;
      const own = Object.keys(s.labels);
      if (own.length === keys.length && keys.every((k) => s.labels[k] === labels[k])) {
        return s.value;
      }
    }
  }
  return undefined;
}
