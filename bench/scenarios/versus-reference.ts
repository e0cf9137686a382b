// The same load against the two references (the stock y-websocket server and
// Hocuspocus, both in memory, no auth) and against Relatoría, one after the other in
// this invocation, so machine noise hits all alike; figures side by side with
// Relatoría's ratio to each reference.
import { quantileMs, readHistogram, scrapeMetrics } from '../lib/prometheus.js';
import { check, type Check } from '../lib/scenario.js';
import { runLoad, type LoadRun, type LoadSpec } from '../load/run-load.js';
import { SERVER_LABEL, spawnServer, type ServerKind } from '../lib/server-process.js';
import { int, mb, ms, pct, ratio, table, times } from '../lib/stats.js';
import { auditSqliteBoards, type StoreAudit } from '../lib/store-audit.js';
import { setUpWorkshop, type BenchWorkshop, type WorkshopShape } from '../lib/workshop-setup.js';

export interface VersusRun extends LoadRun {
  kind: ServerKind;
  workshop: BenchWorkshop;
  /** Relatoría only: the boards as stored. */
  stored: StoreAudit | null;
  /** Relatoría only: its /metrics at the end of the typing (Prometheus text). */
  metrics: string | null;
}

export interface VersusOptions {
  shape: WorkshopShape;
  spec: LoadSpec;
  log(line: string): void;
  /** Relatoría only: runs alongside the typing, given the workshop and server URL. */
  during?: (workshop: BenchWorkshop, url: string, load: LoadRun['load']) => Promise<void>;
}

export type VersusRuns = Record<ServerKind, VersusRun>;

/** The references, in the order they run (before Relatoría) and appear in tables. */
export const REFERENCES = ['reference', 'hocuspocus'] as const;
const SERVERS = [...REFERENCES, 'relatoria'] as const;

/**
 * BENCH_ROUNDS=n runs the three servers n times over, each round starting with the next
 * server, and the ratio checks take the median of the rounds' ratios: on these machines one
 * 25 s run's ratio moves by a third from one run to the next (bench/RESULTS.md).
 */
export const ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_ROUNDS ?? 1)) || 1);

/** `versusReference` ROUNDS times, the servers' order rotated each round. */
export async function versusRounds(opts: VersusOptions): Promise<VersusRuns[]> {
  const rounds: VersusRuns[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (ROUNDS > 1) opts.log(`  round ${i + 1} of ${ROUNDS}`);
    rounds.push(await versusReference(opts, [...SERVERS.slice(i % SERVERS.length), ...SERVERS.slice(0, i % SERVERS.length)]));
  }
  return rounds;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const latencyRatio = (runs: VersusRuns, reference: (typeof REFERENCES)[number], p: 'p50' | 'p99') => ratio(runs.relatoria.latency[p], runs[reference].latency[p]);

/** The round to show in full: the one whose p50 ratio to y-websocket is the median (the middle one of an odd count). */
export function middleRound(rounds: VersusRuns[]): VersusRuns {
  const byRatio = [...rounds].sort((a, b) => latencyRatio(a, 'reference', 'p50') - latencyRatio(b, 'reference', 'p50'));
  return byRatio[Math.floor((byRatio.length - 1) / 2)]!;
}

/** Each round's ratios, and their medians (nothing when there was one round). */
export function roundsTable(rounds: VersusRuns[]): string {
  if (rounds.length < 2) return '';
  const pick = (k: (typeof REFERENCES)[number], p: 'p50' | 'p99') => rounds.map((r) => latencyRatio(r, k, p));
  return table([
    ['ratio of Relatoría’s latency, per round', ...rounds.map((_, i) => `round ${i + 1}`), 'median'],
    ...REFERENCES.flatMap((k) => (['p50', 'p99'] as const).map((p) => [`${p} ÷ ${SERVER_LABEL[k].toLowerCase()}`, ...pick(k, p).map(times), times(median(pick(k, p)))])),
  ]);
}

export async function versusReference(opts: VersusOptions, order: readonly ServerKind[] = SERVERS): Promise<VersusRuns> {
  const runs: Partial<Record<ServerKind, VersusRun>> = {};
  for (const kind of order) {
    const server = await spawnServer(kind);
    try {
      const workshop = await setUpWorkshop(server, opts.shape);
      const during = kind === 'relatoria' && opts.during ? (load: LoadRun['load']) => opts.during!(workshop, server.url, load) : undefined;
      const run = await runLoad(server, workshop, { ...opts.spec, during }, opts.log);
      let stored: StoreAudit | null = null;
      let metrics: string | null = null;
      if (kind === 'relatoria') {
        metrics = await scrapeMetrics(server.url);
        await server.stop({ keepData: true });
        const docs = workshop.groups.map((g) => `${workshop.id}/${g.id}`);
        stored = await auditSqliteBoards(server.dataDir!, docs, run.sent);
      }
      runs[kind] = { ...run, kind, workshop, stored, metrics };
    } catch (err) {
      const output = server.output().trim().split('\n').slice(-20).join('\n');
      throw new Error(`${kind}: ${err instanceof Error ? err.message : String(err)}\nlast server output:\n${output}`, { cause: err });
    } finally {
      await server.stop();
    }
  }
  return runs as VersusRuns;
}

/** Three columns (y-websocket, Hocuspocus, Relatoría) and Relatoría's ratio to each reference. */
export function versusTable(runs: VersusRuns): string {
  const order = [...REFERENCES, 'relatoria'] as const;
  const row = (label: string, pick: (r: VersusRun) => number, fmt: (v: number) => string, withRatio = true) => {
    const ours = pick(runs.relatoria);
    return [label, ...order.map((k) => fmt(pick(runs[k]))), ...REFERENCES.map((k) => (withRatio ? times(ratio(ours, pick(runs[k]))) : ''))];
  };
  const cores = (v: number) => `${v.toFixed(2)} cores`;
  const errors = (r: VersusRun) => r.errors.boardCloses + r.errors.boardErrors + r.errors.socketConnectErrors + r.errors.socketDisconnects + r.errors.pingTimeouts;
  return table([
    ['', ...order.map((k) => SERVER_LABEL[k].toLowerCase()), ...REFERENCES.map((k) => `÷ ${SERVER_LABEL[k].toLowerCase()}`)],
    row('latency p50', (r) => r.latency.p50, (v) => ms(v)),
    row('latency p99', (r) => r.latency.p99, (v) => ms(v)),
    row('latency max', (r) => r.latency.max, (v) => ms(v)),
    row('warm-up latency p99 (apart)', (r) => r.warmup.p99, (v) => ms(v)),
    row('warm-up latency max (apart)', (r) => r.warmup.max, (v) => ms(v)),
    row('deliveries measured', (r) => r.latency.count, int, false),
    row('updates sent', (r) => r.updatesSent, int, false),
    row('server CPU (typing)', (r) => r.server.cores, cores),
    row('server main thread: waiting for a CPU', (r) => r.server.cpuWait, pct, false),
    row('server main thread: blocked on disk', (r) => r.server.diskWait, pct, false),
    row('HTTP probe p50 (event loop)', (r) => r.http.p50, (v) => ms(v)),
    row('HTTP probe p99 (event loop)', (r) => r.http.p99, (v) => ms(v)),
    row('server RSS at end', (r) => r.server.endRss, mb),
    row('server RSS peak (sampled)', (r) => r.server.peakRss, mb),
    row('server VmHWM', (r) => r.server.hwm, mb),
    row('connect: all clients ready', (r) => r.connectSeconds * 1000, (v) => ms(v, 0)),
    row('connect p99 (one client)', (r) => r.connect.p99, (v) => ms(v)),
    row('errors (closes, disconnects)', errors, int, false),
    ...serverRelayRows(runs.relatoria),
    row('client event-loop p99 (worst)', (r) => r.clientLoopP99, (v) => ms(v), false),
    row('client CPU (all processes)', (r) => r.clientCpu, (v) => `${v.toFixed(1)} s`, false),
  ]);
}

/**
 * Relatoría's own socket receipt → relayed time (its metrics, the whole run with the warm-up):
 * what of the latency above is the server's work and its wait for the store, the rest being
 * the clients, the kernel and the machine. The references do not measure theirs.
 */
function serverRelayRows(ours: VersusRun): string[][] {
  const h = ours.metrics ? readHistogram(ours.metrics, 'relatoria_relay_latency_seconds') : null;
  if (!h) return [];
  const blank = REFERENCES.map(() => '');
  const row = (label: string, q: number) => [label, ...blank, ms(quantileMs(h, q), 2), ...blank];
  return [row('Relatoría: socket → relayed p50 (its metrics)', 0.5), row('Relatoría: socket → relayed p99 (its metrics)', 0.99)];
}

/** Relatoría's fan-out latency against each reference's, at p50 and p99, within `limits` (ratios; the median over rounds). */
export function ratioChecks(rounds: VersusRuns[], what: string, limits: { p50: number; p99: number }): Check[] {
  const over = rounds.length > 1 ? ` (median of ${rounds.length} rounds)` : '';
  return REFERENCES.flatMap((k) =>
    (['p50', 'p99'] as const).map((p) => {
      const r = median(rounds.map((runs) => latencyRatio(runs, k, p)));
      return check(`${what} ${p} ratio to ${SERVER_LABEL[k]} ≤ ${limits[p]}${over}`, times(r), r <= limits[p]);
    }),
  );
}

/** Lost, duplicated or divergent: what makes the run a failure. */
export function integrityFailures(run: VersusRun): string[] {
  const out: string[] = [];
  if (run.missing > 0) out.push(`${run.kind}: ${run.missing} updates lost at clients (${run.missingDetail.slice(0, 3).join('; ')})`);
  if (run.duplicates > 0) out.push(`${run.kind}: ${run.duplicates} updates duplicated at clients`);
  if (run.divergent.length > 0) out.push(`${run.kind}: clients of ${run.divergent.length} boards did not converge (${run.divergent.slice(0, 3).join(', ')})`);
  if (run.stored && run.stored.missing > 0) out.push(`${run.kind}: ${run.stored.missing} updates missing from the store (${run.stored.detail.slice(0, 3).join('; ')})`);
  return out;
}
