// tsx bench/profile-summary.ts <file.cpuprofile | dir> [top] [--from=s] [--to=s]
// Self time of a V8 CPU profile (from BENCH_PROFILE=<dir> npm run bench …), by function
// and by package or source file: where a process spent its time. Several profiles in a
// directory are added up. Each profile's busy milliseconds per second come first, to find
// the load's window (a server also starts, compiles and takes its connections); --from and
// --to (seconds since each profile's start) then count only that window.
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

const args = process.argv.slice(2);
const seconds = (name: string): number | undefined => {
  const arg = args.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? undefined : Number(arg.slice(name.length + 3));
};
const [target, topArg] = args.filter((a) => !a.startsWith('--'));
const fromUs = (seconds('from') ?? 0) * 1e6;
const toUs = (seconds('to') ?? Infinity) * 1e6;
if (!target || Number.isNaN(fromUs) || Number.isNaN(toUs)) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile | dir> [top] [--from=s] [--to=s]');
  process.exit(2);
}
const files = statSync(target).isDirectory() ? readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f)) : [target];
const top = Number(topArg ?? 25);

const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
const add = <K>(m: Map<K, number>, k: K, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const shortUrl = (url: string) => url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(server|shared|bench)\//, '$1/');
const packageOf = (url: string) => (url.includes('node_modules/') ? url.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1') : shortUrl(url) || '(native)');

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const busyPerSecond = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    if (functionName !== '(idle)') add(busyPerSecond, Math.floor(at / 1e6), dt);
    if (at < fromUs || at >= toUs) return;
    total += dt;
    add(byFunction, `${functionName || '(anonymous)'}  ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`, dt);
    add(byFile, packageOf(url), dt);
  });
  console.log(`${file}\nbusy ms in each second: ${[...busyPerSecond].map(([second, us]) => `${second}:${(us / 1000).toFixed(0)}`).join(' ')}`);
}

const busy = total - (byFunction.get('(idle)  ') ?? 0);
const list = (m: Map<string, number>) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => `${(v / 1000).toFixed(0).padStart(8)} ms ${((100 * v) / busy).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n');
const window = fromUs > 0 || toUs < Infinity ? ` from ${fromUs / 1e6} s to ${toUs / 1e6} s` : '';
console.log(`\n${files.length} profile(s)${window}; ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s not idle (percentages of that)`);
console.log(`\nby function (self time)\n${list(byFunction)}`);
console.log(`\nby package or file\n${list(byFile)}`);
