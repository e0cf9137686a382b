// The coordinator's side of the load generator: spawns client processes (niced, so
// that on a small machine the server under test gets the CPU first), hands each its
// slice of the clients, steps them together, and merges what they report.
import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { profileFlags } from '../lib/server-process.js';
import { concat, summarize, type Summary } from '../lib/stats.js';
import type { BenchWorkshop } from '../lib/workshop-setup.js';
import type { BoardProtocol, ClientPlan, ClientResult, ErrorCounts, FromClient, JoinPlan, StartLoad, ToClient, VoteResults } from './protocol.js';

const CLIENT_ENTRY = fileURLToPath(new URL('./client-process.ts', import.meta.url));

type Kind = FromClient['type'];
type Of<K extends Kind> = Extract<FromClient, { type: K }>;

class ClientProcess {
  readonly child: ChildProcess;
  readonly #inbox: FromClient[] = [];
  readonly #waiters: Array<() => void> = [];
  #failure: Error | null = null;

  constructor(nice: number) {
    this.child = fork(CLIENT_ENTRY, [], { execArgv: [...profileFlags('clients'), '--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      setPriority(this.child.pid!, nice);
    } catch {
      // not permitted: run at normal priority
    }
    const wake = () => this.#waiters.splice(0).forEach((w) => w());
    this.child.on('message', (m: FromClient) => {
      if (m.type === 'failed') this.#failure = new Error(`a client process failed: ${m.message}`);
      else this.#inbox.push(m);
      wake();
    });
    this.child.on('exit', (code) => {
      this.#failure ??= new Error(`a client process exited (${code})`);
      wake();
    });
  }

  send(message: ToClient): void {
    this.child.send(message);
  }

  async next<K extends Kind>(type: K): Promise<Of<K>> {
    for (;;) {
      const i = this.#inbox.findIndex((m) => m.type === type);
      if (i >= 0) return this.#inbox.splice(i, 1)[0] as Of<K>;
      if (this.#failure) throw this.#failure;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
}

export class LoadFleet {
  readonly #procs: ClientProcess[];
  /** After `connect`: every writer's own card, [docName, cardId]. */
  cards: Array<[string, string]> = [];

  private constructor(procs: ClientProcess[]) {
    this.#procs = procs;
  }

  static spawn(processes: number, nice = 10): LoadFleet {
    return new LoadFleet(Array.from({ length: processes }, () => new ClientProcess(nice)));
  }

  get size(): number {
    return this.#procs.length;
  }

  /** Connects every process's clients (plan i to process i); resolves with every connection's setup time. */
  async connect(plans: ClientPlan[]): Promise<Float64Array> {
    this.#procs.forEach((p, i) => p.send({ type: 'connect', plan: plans[i]! }));
    const replies = await Promise.all(this.#procs.map((p) => p.next('connected')));
    this.cards = replies.flatMap((r) => r.cards);
    return concat(replies.map((r) => r.connectMs));
  }

  /** Runs a join storm (plan i in process i); resolves with each process's timings and error counts. */
  async join(plans: JoinPlan[]): Promise<Array<Of<'joined'>>> {
    this.#procs.forEach((p, i) => p.send({ type: 'join', plan: plans[i]! }));
    return Promise.all(this.#procs.map((p) => p.next('joined')));
  }

  /** Starts the typing everywhere at once; resolves with what every writer sent. */
  async type(load: StartLoad): Promise<Map<number, number>> {
    for (const p of this.#procs) p.send({ type: 'start', load });
    const replies = await Promise.all(this.#procs.map((p) => p.next('sent')));
    return new Map(replies.flatMap((r) => r.counts));
  }

  async finish(expected: Map<number, number>, timeoutMs: number): Promise<ClientResult[]> {
    for (const p of this.#procs) p.send({ type: 'finish', expected: [...expected], timeoutMs });
    return (await Promise.all(this.#procs.map((p) => p.next('result')))).map((r) => r.result);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.#procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
            const timer = setTimeout(() => p.child.kill('SIGKILL'), 5_000);
            p.child.once('exit', () => (clearTimeout(timer), resolve()));
            if (p.child.connected) p.send({ type: 'close' });
            else p.child.kill('SIGKILL');
          }),
      ),
    );
  }
}

export interface PlanOptions {
  wsUrl: string;
  /** y-websocket by default. */
  protocol?: BoardProtocol;
  httpUrl: string | null;
  processes: number;
  /** Writers per board (the first participants of each group); the rest only read. */
  writersPerBoard: number;
  /** Stock clients per board (the first participants of each group); the rest are light. All by default. */
  stockPerBoard?: number;
  /** Also open a Socket.IO connection per participant. */
  sockets: boolean;
  /**
   * Processes that hold only the Socket.IO clients (the last ones); the others hold the
   * boards. Kept apart, a broadcast to 1,000 sockets does not delay board messages queued
   * behind it in the same process, as it would not in 1,000 browsers.
   */
  socketProcesses?: number;
  pingEveryMs?: number;
  connectConcurrency?: number;
}

/** Deals the workshop's participants round-robin over the processes; writers get global indexes. */
export function planClients(workshop: BenchWorkshop, opts: PlanOptions): ClientPlan[] {
  const plans: ClientPlan[] = Array.from({ length: opts.processes }, () => ({
    wsUrl: opts.wsUrl,
    protocol: opts.protocol ?? 'y-websocket',
    httpUrl: opts.httpUrl,
    boards: [],
    sockets: [],
    pingEveryMs: opts.pingEveryMs ?? 0,
    connectConcurrency: opts.connectConcurrency ?? 8,
  }));
  const socketProcs = Math.min(opts.socketProcesses ?? 0, opts.processes - 1);
  const boardPlans = plans.slice(0, plans.length - socketProcs);
  const socketPlans = socketProcs > 0 ? plans.slice(-socketProcs) : boardPlans;
  let nextWriter = 0;
  let next = 0;
  let nextSocket = 0;
  for (const group of workshop.groups) {
    const docName = `${workshop.id}/${group.id}`;
    const writers = group.participants.slice(0, opts.writersPerBoard).map(() => nextWriter++);
    group.participants.forEach((p, i) => {
      const plan = boardPlans[next++ % boardPlans.length]!;
      let board = plan.boards.find((b) => b.docName === docName);
      if (!board) plan.boards.push((board = { docName, writers, clients: [] }));
      const kind = i < (opts.stockPerBoard ?? Infinity) ? 'stock' : 'light';
      board.clients.push({ token: p.token, name: p.name, writer: writers[i] ?? null, kind });
      if (opts.sockets) socketPlans[nextSocket++ % socketPlans.length]!.sockets.push(p.token);
    });
  }
  return plans;
}

export interface LoadOutcome {
  latency: Summary;
  /** Latency of what was sent after StartLoad.splitAt (then not in `latency`). */
  split: Summary;
  vote: VoteOutcome;
  /** Latency of what was sent during the warm-up. */
  warmup: Summary;
  /** Cluster runs (ClientPlan.nearWriters): measured latency between clients of one node, and across nodes. */
  near: Summary;
  far: Summary;
  updatesSent: number;
  missing: number;
  duplicates: number;
  missingDetail: string[];
  /** Boards whose clients ended with different states. */
  divergent: string[];
  errors: ErrorCounts;
  timerArrivals: Array<[number, number]>;
  pings: Summary;
  presenceUpdates: number;
  /** Characters of the Socket.IO messages received, in all. */
  socketChars: number;
  /** The worst client process's event-loop delay p99, ms. */
  clientLoopP99: number;
  /** CPU seconds used by all client processes during the load. */
  clientCpu: number;
}

/** The clients' vote results merged: the latencies summarised, the counts as the clients report them. */
export interface VoteOutcome extends Omit<VoteResults, 'acks' | 'ballots'> {
  acks: Summary;
  ballots: Summary;
}

export function mergeResults(results: ClientResult[], sent: Map<number, number>): LoadOutcome {
  const byBoard = new Map<string, Set<string>>();
  for (const r of results) for (const [doc, d] of r.digests) byBoard.set(doc, (byBoard.get(doc) ?? new Set()).add(d));
  const errors: ErrorCounts = { boardCloses: 0, boardErrors: 0, socketDisconnects: 0, socketConnectErrors: 0, pingTimeouts: 0 };
  for (const r of results) for (const k of Object.keys(errors) as Array<keyof ErrorCounts>) errors[k] += r.errors[k];
  return {
    latency: summarize(concat(results.map((r) => r.latencies))),
    warmup: summarize(concat(results.map((r) => r.warmupLatencies))),
    split: summarize(concat(results.map((r) => r.splitLatencies))),
    near: summarize(concat(results.map((r) => r.nearLatencies))),
    far: summarize(concat(results.map((r) => r.farLatencies))),
    vote: {
      acks: summarize(concat(results.map((r) => r.vote.acks))),
      ballots: summarize(concat(results.map((r) => r.vote.ballots))),
      sent: results.reduce((n, r) => n + r.vote.sent, 0),
      refused: results.reduce((n, r) => n + r.vote.refused, 0),
      timedOut: results.reduce((n, r) => n + r.vote.timedOut, 0),
      refusals: results.flatMap((r) => r.vote.refusals).slice(0, 5),
      progressEvents: results.reduce((n, r) => n + r.vote.progressEvents, 0),
      rankingEvents: results.reduce((n, r) => n + r.vote.rankingEvents, 0),
      rankingBytes: results.reduce((n, r) => n + r.vote.rankingBytes, 0),
    },
    updatesSent: [...sent.values()].reduce((a, b) => a + b, 0),
    missing: results.reduce((n, r) => n + r.missing, 0),
    duplicates: results.reduce((n, r) => n + r.duplicates, 0),
    missingDetail: results.flatMap((r) => r.missingDetail).slice(0, 10),
    divergent: [...byBoard].filter(([, digests]) => digests.size > 1).map(([doc]) => doc),
    errors,
    timerArrivals: results.flatMap((r) => r.timer),
    pings: summarize(concat(results.map((r) => r.pings))),
    presenceUpdates: results.reduce((n, r) => n + r.presenceUpdates, 0),
    socketChars: results.reduce((n, r) => n + r.socketChars, 0),
    clientLoopP99: Math.max(...results.map((r) => r.loopDelay.p99)),
    clientCpu: results.reduce((n, r) => n + r.cpuSeconds, 0),
  };
}
