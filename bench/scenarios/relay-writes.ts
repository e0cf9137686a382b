// 8. Relay writes: how many write system calls the server makes per update it delivers,
// on busy boards (10 boards × 15 writers, 2 updates/s each), against the reference in the
// same run. Counted with `strace -c` attached to the server for the measured window:
// a count, not a time, so a loaded machine does not blur it (strace slows the server;
// latency figures of this scenario mean nothing and are not printed). Relatoría corks
// each peer's socket for a turn of the event loop: the updates one store flush answers
// leave in one write per peer. Skipped where strace is absent.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { check, type Scenario } from '../lib/scenario.js';
import { spawnServer, type ServerKind } from '../lib/server-process.js';
import { int, table } from '../lib/stats.js';
import { setUpWorkshop } from '../lib/workshop-setup.js';
import { runLoad } from '../load/run-load.js';

const BOARDS = 25;
const WRITERS = 20;
const RATE = 2;
const STRACE = '/usr/bin/strace';

interface Counted {
  kind: ServerKind;
  writes: number;
  deliveries: number;
  missing: number;
}

/** Attaches strace to `pid`, counting write and writev calls of every thread; resolves the total when stopped. */
function countWrites(pid: number): { stop(): Promise<number> } {
  const child = spawn(STRACE, ['-f', '-c', '-e', 'trace=write,writev', '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let out = '';
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    async stop() {
      child.kill('SIGINT');
      await exited;
      let calls = 0;
      for (const m of out.matchAll(/^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(write|writev)$/gm)) calls += Number(m[1]);
      return calls;
    },
  };
}

export const relayWrites: Scenario = {
  name: 'relay-writes',
  title: `8. Relay writes: system calls per delivered update, ${BOARDS} boards × ${WRITERS} writers × ${RATE}/s`,
  async run({ quick, log }) {
    if (!existsSync(STRACE)) return { figures: 'strace is not installed: skipped (apt-get install strace)', checks: [check('relay writes per delivery ≤ reference', 'n/a', null)], failures: [] };
    const durationMs = quick ? 6_000 : 15_000;
    const results: Counted[] = [];
    for (const kind of ['reference', 'relatoria'] as const) {
      const server = await spawnServer(kind);
      try {
        const workshop = await setUpWorkshop(server, { groups: BOARDS, perGroup: WRITERS });
        let counter: { stop(): Promise<number> } | null = null;
        let writes = 0;
        const run = await runLoad(server, workshop, {
          processes: 2, writersPerBoard: WRITERS, stockPerBoard: 1, rate: RATE, warmupMs: 2_000, durationMs,
          during: async (load) => {
            await new Promise((r) => setTimeout(r, load.startAt + load.warmupMs - Date.now()));
            counter = countWrites(server.pid);
            await new Promise((r) => setTimeout(r, load.durationMs));
            writes = await counter.stop();
          },
        }, log);
        results.push({ kind, writes, deliveries: run.latency.count, missing: run.missing });
      } finally {
        await server.stop();
      }
    }
    const [ref, ours] = results as [Counted, Counted];
    const per = (c: Counted) => (c.deliveries > 0 ? c.writes / c.deliveries : Number.NaN);
    return {
      figures: [
        `${BOARDS} boards × ${WRITERS} writers, ${RATE} updates/s each, ${durationMs / 1000} s measured; strace -c on the server (every thread) for that window.`,
        table([
          ['', 'reference', 'relatoría'],
          ['updates delivered (measured window)', int(ref.deliveries), int(ours.deliveries)],
          ['write + writev calls', int(ref.writes), int(ours.writes)],
          ['calls per delivered update', per(ref).toFixed(3), per(ours).toFixed(3)],
        ]),
      ].join('\n'),
      checks: [check('relay writes per delivery ≤ reference', `${per(ours).toFixed(3)} vs ${per(ref).toFixed(3)}`, per(ours) <= per(ref))],
      failures: results.filter((r) => r.missing > 0).map((r) => `${r.kind}: ${r.missing} updates lost`),
    };
  },
};
