// tsx bench/trace-summary.ts <dir> [secondsPerRow]
// Latency over time from BENCH_TRACE=<dir> npm run bench …: per slice of send time,
// how many deliveries and their p50 / p99 / max — where in a run the tail comes from.
// Each client process writes one file per server run, named by the time it was written;
// files written within 10 s of each other belong to one run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarize } from './lib/stats.js';

const [dir, sliceArg] = process.argv.slice(2);
if (!dir) {
  console.error('usage: tsx bench/trace-summary.ts <dir> [secondsPerRow]');
  process.exit(2);
}
const slice = Number(sliceArg ?? 1);
const files = readdirSync(dir).filter((f) => f.endsWith('.f64')).sort();
const runs: string[][] = [];
for (const f of files) {
  const at = Number(f.split('-')[0]);
  const last = runs.at(-1);
  if (last && at - Number(last.at(-1)!.split('-')[0]) < 10_000) last.push(f);
  else runs.push([f]);
}
for (const [i, run] of runs.entries()) {
  const bySlice = new Map<number, number[]>();
  for (const f of run) {
    const b = readFileSync(join(dir, f));
    const pairs = new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
    for (let k = 0; k < pairs.length; k += 2) {
      const s = Math.floor(pairs[k]! / 1e6 / slice);
      const list = bySlice.get(s) ?? [];
      list.push(pairs[k + 1]!);
      bySlice.set(s, list);
    }
  }
  console.log(`run ${i + 1} (${run.length} client files)`);
  for (const s of [...bySlice.keys()].sort((a, b) => a - b)) {
    const sm = summarize(bySlice.get(s)!);
    console.log(`  ${(s * slice).toFixed(0).padStart(4)} s  ${String(sm.count).padStart(7)}  p50 ${sm.p50.toFixed(1).padStart(7)}  p99 ${sm.p99.toFixed(1).padStart(7)}  max ${sm.max.toFixed(1).padStart(7)} ms`);
  }
}
