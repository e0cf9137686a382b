// tsx bench/profile-summary.ts <file.cpuprofile | dir> [top]
// Self time of a V8 CPU profile (from BENCH_PROFILE=<dir> npm run bench …), by function
// and by package or source file: where a process spent its time. Several profiles in a
// directory are added up.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [target, topArg] = process.argv.slice(2);
if (!target) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile | dir> [top]');
  process.exit(2);
}
const files = statSync(target).isDirectory() ? readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f)) : [target];
const top = Number(topArg ?? 25);

const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const shortUrl = (url: string) => url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(server|shared|bench)\//, '$1/');
const packageOf = (url: string) => (url.includes('node_modules/') ? url.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1') : shortUrl(url) || '(native)');

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    total += dt;
    add(byFunction, `${functionName || '(anonymous)'}  ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`, dt);
    add(byFile, packageOf(url), dt);
  });
}

const busy = total - (byFunction.get('(idle)  ') ?? 0);
const list = (m: Map<string, number>) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => `${(v / 1000).toFixed(0).padStart(8)} ms ${((100 * v) / busy).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n');
console.log(`${files.length} profile(s); ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s not idle (percentages of that)`);
console.log(`\nby function (self time)\n${list(byFunction)}`);
console.log(`\nby package or file\n${list(byFile)}`);
