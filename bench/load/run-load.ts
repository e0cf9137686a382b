// One timed load against one server: connect every client, type for a while, wait
// until everything arrived, audit. The server's CPU and memory are read from /proc
// over the typing window only.
import { openUsageWindow, type UsageWindow } from '../lib/proc-stats.js';
import { probeResponsiveness } from '../lib/responsiveness.js';
import { boardProtocol, type ServerProcess } from '../lib/server-process.js';
import { summarize, type Summary } from '../lib/stats.js';
import type { BenchWorkshop } from '../lib/workshop-setup.js';
import { LoadFleet, mergeResults, planClients, type LoadOutcome } from './load-fleet.js';
import type { StartLoad } from './protocol.js';

export interface LoadSpec {
  processes: number;
  writersPerBoard: number;
  /** Stock y-websocket clients per board; the others are light (light-client.ts). All by default. */
  stockPerBoard?: number;
  /** Updates a second per writer. */
  rate: number;
  /** Typing before the measured window; its latencies are reported apart. */
  warmupMs: number;
  durationMs: number;
  /** A Socket.IO connection per participant too (Relatoría only). */
  sockets?: boolean;
  /** Processes that hold only the Socket.IO clients (see planClients). */
  socketProcesses?: number;
  pingEveryMs?: number;
  /** How long to wait, after the typing, for every client to hold everything. */
  settleMs?: number;
  /** Runs alongside the typing (e.g. the facilitator's commands). */
  during?: (load: StartLoad) => Promise<void>;
  /** Splits the measured window this long after its start: later stamps are reported apart (LoadRun.split). */
  splitAfterMs?: number;
  /**
   * Every Socket.IO client places `dots` dots on writers' cards, between `startDelayMs`
   * after the split and `endMarginMs` before the end of the typing (someone must open the
   * round: see `during`).
   */
  vote?: { dots: number; startDelayMs: number; endMarginMs: number };
}

export interface LoadRun extends LoadOutcome {
  server: UsageWindow;
  connect: Summary;
  connectSeconds: number;
  load: StartLoad;
  /** HTTP round trips to the server during the typing: its event loop's responsiveness. */
  http: Summary;
  /** What each writer sent. */
  sent: Map<number, number>;
}

export async function runLoad(server: ServerProcess, workshop: BenchWorkshop, spec: LoadSpec, log: (line: string) => void): Promise<LoadRun> {
  const fleet = LoadFleet.spawn(spec.processes);
  try {
    const plans = planClients(workshop, {
      wsUrl: server.wsUrl,
      protocol: boardProtocol(server.kind),
      httpUrl: server.kind === 'relatoria' && spec.sockets ? server.url : null,
      processes: spec.processes,
      writersPerBoard: spec.writersPerBoard,
      stockPerBoard: spec.stockPerBoard,
      sockets: server.kind === 'relatoria' && (spec.sockets ?? false),
      socketProcesses: spec.socketProcesses,
      pingEveryMs: spec.pingEveryMs,
    });
    const began = performance.now();
    const connectMs = await fleet.connect(plans);
    const connectSeconds = (performance.now() - began) / 1000;
    log(`  ${server.kind}: ${connectMs.length} connections ready in ${connectSeconds.toFixed(1)} s; typing for ${spec.warmupMs / 1000} + ${spec.durationMs / 1000} s`);

    const now = Date.now();
    const load: StartLoad = { t0: now, startAt: now + 1_000, warmupMs: spec.warmupMs, durationMs: spec.durationMs, rate: spec.rate };
    if (spec.splitAfterMs !== undefined) load.splitAt = load.startAt + load.warmupMs + spec.splitAfterMs;
    if (spec.vote) {
      const from = load.splitAt ?? load.startAt + load.warmupMs;
      const cards = fleet.cards.map(([docName, cardId]): [string, string] => [docName.slice(docName.indexOf('/') + 1), cardId]);
      load.vote = { startAt: from + spec.vote.startDelayMs, endAt: load.startAt + load.warmupMs + load.durationMs - spec.vote.endMarginMs, dots: spec.vote.dots, cards };
    }
    let usage: { stop(): UsageWindow } | null = null;
    let probe: ReturnType<typeof probeResponsiveness> | null = null;
    const opening = setTimeout(() => {
      usage = openUsageWindow(server.pid);
      probe = probeResponsiveness(server.kind === 'relatoria' ? `${server.url}/healthz` : server.url);
    }, load.startAt + load.warmupMs - Date.now());
    const [sent] = await Promise.all([fleet.type(load), spec.during?.(load)]);
    clearTimeout(opening);
    const window = (usage as { stop(): UsageWindow } | null)?.stop() ?? openUsageWindow(server.pid).stop();
    const http = (await (probe as ReturnType<typeof probeResponsiveness> | null)?.stop()) ?? summarize([]);

    const results = await fleet.finish(sent, spec.settleMs ?? 20_000);
    return { ...mergeResults(results, sent), server: window, connect: summarize(connectMs), connectSeconds, load, http, sent };
  } finally {
    await fleet.close();
  }
}
