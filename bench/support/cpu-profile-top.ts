/**
 * Prints the top self-time functions of a V8 `.cpuprofile` (from
 * `node --cpu-prof`), aggregated by function and source location, and the
 * total per file (or package for node_modules).
 *
 *   npx tsx bench/support/cpu-profile-top.ts PROFILE.cpuprofile [top=30]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** This checkout's root as a file URL: its files are shown relative to it. */
const ROOT = new URL('../../', import.meta.url).href;

function where(url: string): string {
  if (url === '') return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.startsWith('node:')) return url;
  return url.startsWith(ROOT) ? url.slice(ROOT.length) : url;
}

export function topSelfTime(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    total += us;
    if (frame.functionName === '(idle)') idle += us;
    const file = where(frame.url);
    const name = `${frame.functionName || '(anonymous)'}  ${file}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    if (frame.functionName !== '(idle)') byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const busy = total - idle;
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const lines = [
    `total ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms; shares of the busy ${(busy / 1000).toFixed(0)} ms`,
    '',
    'self time by function:',
  ];
  for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    if (name.startsWith('(idle)')) continue;
    lines.push(`${pct(us)} ${(us / 1000).toFixed(1).padStart(8)} ms  ${name}`);
  }
  lines.push('', 'self time by file / package:');
  for (const [file, us] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`${pct(us)} ${(us / 1000).toFixed(1).padStart(8)} ms  ${file}`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, topText = '30'] = process.argv.slice(2);
  if (!file) {
    console.error('usage: cpu-profile-top.ts PROFILE.cpuprofile [top]');
    process.exit(2);
  }
  console.log(topSelfTime(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(topText)));
}
