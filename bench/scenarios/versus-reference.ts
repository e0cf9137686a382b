// The same load against the stock y-websocket server and against Relatoría, one
// after the other in this invocation, so machine noise hits both alike; figures
// side by side with Relatoría/reference ratios.
import { runLoad, type LoadRun, type LoadSpec } from '../load/run-load.js';
import { spawnServer, type ServerKind } from '../lib/server-process.js';
import { int, mb, ms, pct, ratio, table, times } from '../lib/stats.js';
import { auditSqliteBoards, type StoreAudit } from '../lib/store-audit.js';
import { setUpWorkshop, type BenchWorkshop, type WorkshopShape } from '../lib/workshop-setup.js';

export interface VersusRun extends LoadRun {
  kind: ServerKind;
  workshop: BenchWorkshop;
  /** Relatoría only: the boards as stored. */
  stored: StoreAudit | null;
}

export interface VersusOptions {
  shape: WorkshopShape;
  spec: LoadSpec;
  log(line: string): void;
  /** Relatoría only: runs alongside the typing, given the workshop and server URL. */
  during?: (workshop: BenchWorkshop, url: string, load: LoadRun['load']) => Promise<void>;
}

export async function versusReference(opts: VersusOptions): Promise<{ reference: VersusRun; relatoria: VersusRun }> {
  const runs: Partial<Record<ServerKind, VersusRun>> = {};
  for (const kind of ['reference', 'relatoria'] as const) {
    const server = await spawnServer(kind);
    try {
      const workshop = await setUpWorkshop(server, opts.shape);
      const during = kind === 'relatoria' && opts.during ? (load: LoadRun['load']) => opts.during!(workshop, server.url, load) : undefined;
      const run = await runLoad(server, workshop, { ...opts.spec, during }, opts.log);
      let stored: StoreAudit | null = null;
      if (kind === 'relatoria') {
        await server.stop({ keepData: true });
        const docs = workshop.groups.map((g) => `${workshop.id}/${g.id}`);
        stored = await auditSqliteBoards(server.dataDir!, docs, run.sent);
      }
      runs[kind] = { ...run, kind, workshop, stored };
    } catch (err) {
      const output = server.output().trim().split('\n').slice(-20).join('\n');
      throw new Error(`${kind}: ${err instanceof Error ? err.message : String(err)}\nlast server output:\n${output}`, { cause: err });
    } finally {
      await server.stop();
    }
  }
  return { reference: runs.reference!, relatoria: runs.relatoria! };
}

export function versusTable(ref: VersusRun, ours: VersusRun): string {
  const row = (label: string, a: number, b: number, fmt: (v: number) => string, withRatio = true) => [label, fmt(a), fmt(b), withRatio ? times(ratio(b, a)) : ''];
  const cores = (v: number) => `${v.toFixed(2)} cores`;
  const errors = (r: VersusRun) => r.errors.boardCloses + r.errors.boardErrors + r.errors.socketConnectErrors + r.errors.socketDisconnects + r.errors.pingTimeouts;
  return table([
    ['', 'reference', 'relatoría', 'ratio'],
    row('latency p50', ref.latency.p50, ours.latency.p50, (v) => ms(v)),
    row('latency p99', ref.latency.p99, ours.latency.p99, (v) => ms(v)),
    row('latency max', ref.latency.max, ours.latency.max, (v) => ms(v)),
    row('warm-up latency p99 (apart)', ref.warmup.p99, ours.warmup.p99, (v) => ms(v)),
    row('warm-up latency max (apart)', ref.warmup.max, ours.warmup.max, (v) => ms(v)),
    row('deliveries measured', ref.latency.count, ours.latency.count, int, false),
    row('updates sent', ref.updatesSent, ours.updatesSent, int, false),
    row('server CPU (typing)', ref.server.cores, ours.server.cores, cores),
    row('server main thread: waiting for a CPU', ref.server.cpuWait, ours.server.cpuWait, pct, false),
    row('server main thread: blocked on disk', ref.server.diskWait, ours.server.diskWait, pct, false),
    row('HTTP probe p50 (event loop)', ref.http.p50, ours.http.p50, (v) => ms(v)),
    row('HTTP probe p99 (event loop)', ref.http.p99, ours.http.p99, (v) => ms(v)),
    row('server RSS at end', ref.server.endRss, ours.server.endRss, mb),
    row('server RSS peak (sampled)', ref.server.peakRss, ours.server.peakRss, mb),
    row('server VmHWM', ref.server.hwm, ours.server.hwm, mb),
    row('connect: all clients ready', ref.connectSeconds * 1000, ours.connectSeconds * 1000, (v) => ms(v, 0)),
    row('connect p99 (one client)', ref.connect.p99, ours.connect.p99, (v) => ms(v)),
    row('errors (closes, disconnects)', errors(ref), errors(ours), int, false),
    row('client event-loop p99 (worst)', ref.clientLoopP99, ours.clientLoopP99, (v) => ms(v), false),
    row('client CPU (all processes)', ref.clientCpu, ours.clientCpu, (v) => `${v.toFixed(1)} s`, false),
  ]);
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
