/**
 * The Grafana dashboard and the Prometheus alerting rules in examples/ are
 * built on exactly what `schemabus metrics` serves: every `schemabus_*` name
 * a panel, a template variable or a rule queries is a family the exporter's
 * /metrics declares (a histogram's `_bucket`, `_sum` and `_count` count as
 * it). The JSON and the YAML parse, and each expression's brackets balance.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CommandResult } from '../../../cli/command.js';
import { runMetrics } from '../../../cli/commands/metrics.js';
import { testLive } from '../../support/live-io.js';
import { parsePrometheusText } from '../../support/prometheus-text.js';
import { waitFor } from '../../support/wait.js';
import { SCHEMA, useOpsFixture } from './ops-fixture.js';

const fixture = useOpsFixture();

const read = (path: string) =>
  readFileSync(new URL(`../../../examples/${path}`, import.meta.url), 'utf8');

interface Panel {
  readonly title?: string;
  readonly type: string;
  readonly targets?: readonly { readonly expr: string }[];
}

interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly labels: { readonly severity: string };
  readonly annotations: { readonly summary: string; readonly description: string };
}

/** Every PromQL expression of the dashboard: panel targets and template variable queries. */
function dashboardExpressions(): Map<string, string> {
  const dashboard = JSON.parse(read('grafana/schemabus-dashboard.json')) as {
    panels: Panel[];
    templating: { list: { name: string; query?: unknown }[] };
  };
  const found = new Map<string, string>();
  for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
    expect(panel.targets?.length, `panel ${panel.title}`).toBeGreaterThan(0);
    panel.targets?.forEach((t, i) => {
      found.set(`panel "${panel.title}" #${i}`, t.expr);
    });
  }
  for (const variable of dashboard.templating.list) {
    const query = variable.query as { query?: string } | string | undefined;
    const text = typeof query === 'string' ? query : query?.query;
    if (text?.includes('schemabus_')) found.set(`variable ${variable.name}`, text);
  }
  return found;
}

function ruleExpressions(): Map<string, string> {
  const rules = parse(read('prometheus/schemabus-alerts.yml')) as {
    groups: { name: string; rules: Rule[] }[];
  };
  const found = new Map<string, string>();
  for (const rule of rules.groups.flatMap((g) => g.rules)) {
    expect(rule.alert).toMatch(/^Schemabus[A-Z][A-Za-z]+$/);
    expect(['warning', 'critical']).toContain(rule.labels.severity);
    expect(rule.annotations.summary).not.toBe('');
    expect(rule.annotations.description).not.toBe('');
    found.set(`rule ${rule.alert}`, rule.expr);
  }
  return found;
}

function balanced(expr: string): boolean {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (const c of expr.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
    if ('([{'.includes(c)) stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c]) return false;
  }
  return stack.length === 0;
}

/** The names /metrics of a running exporter declares, with each histogram's series names. */
async function servedNames(): Promise<Set<string>> {
  const { url, context } = fixture();
  const term = testLive();
  const running: Promise<CommandResult> = runMetrics(
    { redis: url, schema: SCHEMA, port: 0, interval: 0.1 },
    { ...context, live: term.live },
  );
  const base = await waitFor(() => /serving (http:\/\/\S+)\/metrics/.exec(term.out())?.[1]);
  const families = parsePrometheusText(await (await fetch(`${base}/metrics`)).text());
  term.stop();
  await running;
  const names = new Set<string>();
  for (const family of families.values()) {
    names.add(family.name);
    if (family.type === 'histogram') {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${family.name}${suffix}`);
    }
  }
  return names;
}

describe('examples/grafana and examples/prometheus', () => {
  it('query only metrics the exporter serves, in expressions whose brackets balance', async () => {
    const served = await servedNames();
    const expressions = new Map([...dashboardExpressions(), ...ruleExpressions()]);
    expect(expressions.size).toBeGreaterThan(20);
    const unknown: string[] = [];
    const queried = new Set<string>();
    for (const [where, expr] of expressions) {
      expect(balanced(expr), `${where}: ${expr}`).toBe(true);
      const names = expr.match(/schemabus_[a-z_]+/g) ?? [];
      expect(names.length, `${where} queries no schemabus metric: ${expr}`).toBeGreaterThan(0);
      for (const name of names) {
        queried.add(name);
        if (!served.has(name)) unknown.push(`${where}: ${name}`);
      }
    }
    expect(unknown).toEqual([]);
    // The alerts the README promises are there.
    expect([...ruleExpressions().keys()]).toEqual(
      expect.arrayContaining([
        'rule SchemabusGroupLaggingPastRetention',
        'rule SchemabusDeadLettersGrowing',
        'rule SchemabusGroupWithoutConsumer',
        'rule SchemabusDataLoss',
        'rule SchemabusRealtimeGap',
        'rule SchemabusUnknownEventTypes',
        'rule SchemabusConsumerLagHigh',
        'rule SchemabusOldestPendingTooOld',
      ]),
    );
    expect(queried.size).toBeGreaterThan(10);
  });
});
