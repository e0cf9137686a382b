// The server's Prometheus metrics (prom-client), one registry per server instance: tests
// run several servers in one process, and nothing here is global. Counters and histograms
// are updated where things happen (cheap: an addition, a bucket search); gauges are read
// from whoever holds the number when Prometheus scrapes, so nothing keeps a second count.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { COMMIT_CAUSES, type CommitCause } from '../store/sqlite-group-commit.js';

/** Why a message, request or connection was refused. A closed set: one label value each. */
export const REJECT_REASONS = [
  'bad_board_message', // a malformed or unappliable y-websocket message (4400)
  'incomplete_update', // an update whose dependencies the board lacks (1013)
  'read_only_write', // an update from a connection that may only read (dropped)
  'foreign_presence', // a presence update for another person's client id (dropped)
  'presence_limit', // a presence update over its limits: client ids, state size, rate (dropped)
  'too_large', // a board message over 1 MiB (1009), an HTTP body over its limit (413)
  'bad_origin', // a board socket from a foreign Origin (403)
  'unauthorized', // no valid token: board socket (4401), Socket.IO handshake, HTTP (401)
  'forbidden', // a valid token that may not do this: board (4403), command, HTTP (403)
  'bad_command', // a Socket.IO command whose shape is not one the server knows
  'rate_limited', // over a command or request rate limit
  'outdated_client', // a page too old for the server's protocol
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** What the gauges read when scraped. */
export interface GaugeSources {
  boardConnections(): number;
  socketioConnections(): number;
  boardsLoaded(): number;
  sessionsLoaded(): number;
}

export interface MetricsOptions {
  /** Also collect the process's own metrics (CPU, memory, event loop lag, GC): on in `main.ts`. */
  processDefaults?: boolean;
}

/**
 * Seconds, from a tenth of a millisecond (a writer-thread round trip when idle: the
 * single-writer bench splits a relay's time with these) to a few seconds (a store in trouble).
 */
const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class ServerMetrics {
  readonly registry = new Registry();
  readonly #boardUpdates: Counter;
  readonly #storeAppend: Histogram;
  readonly #relayLatency: Histogram;
  readonly #rejected: Counter<'reason'>;
  readonly #holeFills: Counter;
  readonly #holeFillTime: Histogram;
  readonly #commits: Counter<'cause'>;
  readonly #committed: Counter<'cause'>;

  constructor(opts: MetricsOptions = {}) {
    const registers = [this.registry];
    if (opts.processDefaults) collectDefaultMetrics({ register: this.registry });
    this.#boardUpdates = new Counter({ name: 'relatoria_board_updates_total', help: 'Board updates stored and relayed', registers });
    this.#storeAppend = new Histogram({
      name: 'relatoria_store_append_seconds', help: 'Time for the store to append one board update', buckets: LATENCY_BUCKETS, registers,
    });
    this.#relayLatency = new Histogram({
      name: 'relatoria_relay_latency_seconds',
      help: 'From a board update received on a socket to it relayed to the others (stored before)',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#rejected = new Counter({ name: 'relatoria_rejected_total', help: 'Messages, connections and requests refused, by reason', labelNames: ['reason'], registers });
    for (const reason of REJECT_REASONS) this.#rejected.inc({ reason }, 0);
    this.#holeFills = new Counter({
      name: 'relatoria_board_hole_fills_total', help: 'Cluster mode: holes in other nodes\' board updates read from the store (lost in Redis, or late past the grace period)', registers,
    });
    this.#commits = new Counter({
      name: 'relatoria_store_commits_total',
      help: 'SQLite: transactions of board updates, by cause: the turn of the event loop ended, or it ran long (the machine fell behind)',
      labelNames: ['cause'],
      registers,
    });
    this.#committed = new Counter({
      name: 'relatoria_store_committed_updates_total', help: 'SQLite: board updates those transactions held, by cause', labelNames: ['cause'], registers,
    });
    for (const cause of COMMIT_CAUSES) {
      this.#commits.inc({ cause }, 0);
      this.#committed.inc({ cause }, 0);
    }
    this.#holeFillTime = new Histogram({
      name: 'relatoria_board_hole_fill_seconds', help: 'Cluster mode: time to read a hole in a board\'s updates from the store', buckets: LATENCY_BUCKETS, registers,
    });
  }

  /** Registers the gauges, read from `sources` at each scrape. */
  observe(sources: GaugeSources): void {
    const registers = [this.registry];
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({ name, help, registers, collect() { this.set(read()); } });
    gauge('relatoria_board_connections', 'Open board (y-websocket) connections', sources.boardConnections);
    gauge('relatoria_socketio_connections', 'Open Socket.IO connections', sources.socketioConnections);
    gauge('relatoria_boards_loaded', 'Boards held in memory', sources.boardsLoaded);
    gauge('relatoria_sessions_loaded', 'Workshop sessions held in memory', sources.sessionsLoaded);
  }

  boardUpdates(count: number): void {
    this.#boardUpdates.inc(count);
  }

  storeAppended(seconds: number): void {
    this.#storeAppend.observe(seconds);
  }

  /** A group commit of `updates` board updates (SqliteStore's `onCommit`). */
  readonly storeCommitted = (cause: CommitCause, updates: number): void => {
    this.#commits.inc({ cause });
    this.#committed.inc({ cause }, updates);
  };

  relayed(seconds: number): void {
    this.#relayLatency.observe(seconds);
  }

  holeFilled(seconds: number): void {
    this.#holeFills.inc();
    this.#holeFillTime.observe(seconds);
  }

  rejected(reason: RejectReason): void {
    this.#rejected.inc({ reason });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
