// npm run bench [-- [--quick] [scenario …]]
// Runs the benchmark scenarios (all, or the ones named), prints each one's figures
// and a summary of the targets, and exits non-zero if any update was lost, any
// clients did not converge, or a scenario could not run.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem, type } from 'node:os';
import { machineLoad } from './lib/proc-stats.js';
import type { Check, Scenario } from './lib/scenario.js';
import { table } from './lib/stats.js';
import { bigEvent } from './scenarios/big-event.js';
import { busyBoard } from './scenarios/busy-board.js';
import { clusterEvent } from './scenarios/cluster-event.js';
import { coldLoad } from './scenarios/cold-load.js';
import { durableWrites } from './scenarios/durable-writes.js';
import { exportScenario } from './scenarios/export.js';
import { exportLive } from './scenarios/export-live.js';
import { clientPage } from './scenarios/client-page.js';
import { relayWrites } from './scenarios/relay-writes.js';
import { plenaryVote } from './scenarios/plenary-vote.js';
import { joinStorm } from './scenarios/join-storm.js';
import { removalCheck } from './scenarios/removal-check.js';
import { updatePath } from './scenarios/update-path.js';
import { singleWriter } from './scenarios/single-writer.js';

const SCENARIOS: Scenario[] = [busyBoard, bigEvent, coldLoad, durableWrites, exportScenario, clientPage, removalCheck, relayWrites, plenaryVote, joinStorm, updatePath, singleWriter, exportLive, clusterEvent];

function usage(): never {
  console.error(`usage: npm run bench -- [--quick] [${SCENARIOS.map((s) => s.name).join(' | ')} …]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const names = args.filter((a) => !a.startsWith('--'));
if (args.some((a) => a.startsWith('--') && a !== '--quick')) usage();
const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(`unknown scenario: ${unknown.join(', ')}`);
  usage();
}
const selected = names.length > 0 ? SCENARIOS.filter((s) => names.includes(s.name)) : SCENARIOS;

const { load1, cores } = machineLoad();
console.log(`Relatoría benchmarks — ${new Date().toISOString()}${quick ? ' (quick)' : ''}`);
console.log(`machine: ${cores} cores (${cpus()[0]?.model.trim() ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${type()}, Node ${process.version}; load average ${load1.toFixed(2)} at start`);
const openFiles = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
console.log(`open files limit: ${openFiles}${Number(openFiles) < 5_000 ? ' — the big event needs about 2,500 in the server: raise it (ulimit -n 8192)' : ''}`);
console.log(`CPU speed at start: ${cpuSpeed()} (the same steps on every run: compare machines and runs by it, lower is faster)`);
console.log(`command: npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}\n`);

const summary: Array<Check & { scenario: string }> = [];
const failures: string[] = [];
const began = performance.now();
for (const scenario of selected) {
  console.log(`== ${scenario.title}`);
  const started = performance.now();
  try {
    const report = await scenario.run({ quick, databaseUrl: process.env.DATABASE_URL || null, log: (line) => console.log(line) });
    console.log(report.figures);
    for (const c of report.checks) summary.push({ ...c, scenario: scenario.name });
    for (const f of report.failures) failures.push(`${scenario.name}: ${f}`);
    for (const f of report.failures) console.log(`FAILED ${f}`);
  } catch (err) {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    failures.push(`${scenario.name}: could not run: ${message}`);
    console.log(`FAILED could not run: ${message}`);
  }
  console.log(`(${((performance.now() - started) / 1000).toFixed(0)} s; load average ${machineLoad().load1.toFixed(2)})\n`);
}

console.log('== Targets');
const mark = (met: boolean | null) => (met === null ? 'n/a' : met ? 'met' : 'MISSED');
console.log(table([['target', 'measured', ''], ...summary.map((c) => [c.target, c.value, mark(c.met)])]));
console.log(`\n${failures.length === 0 ? 'No update lost; every board converged.' : `${failures.length} failure(s):\n${failures.map((f) => `  - ${f}`).join('\n')}`}`);
console.log(`total ${((performance.now() - began) / 1000).toFixed(0)} s; load average ${machineLoad().load1.toFixed(2)} at the end; CPU speed at the end: ${cpuSpeed()}`);
process.exit(failures.length === 0 ? 0 : 1);

/**
 * A fixed piece of JavaScript timed on one core (best of five): these VMs' speed varies
 * several-fold from one hour to the next, which absolute figures cannot tell apart from
 * a change in the code; the ratios in each scenario are measured in the same run.
 */
function cpuSpeed(): string {
  let best = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let run = 0; run < 5; run++) {
    const began = performance.now();
    for (let i = 0; i < 50_000_000; i++) sink = (sink + i * 31) % 1_000_003;
    best = Math.min(best, performance.now() - began);
  }
  if (sink < 0) console.log(sink); // keeps the loop from being optimized away
  return `${best.toFixed(0)} ms for 50 M steps of integer arithmetic`;
}
