// One process's share of board clients (stock and light, see bench-client.ts).
// Writers append stamps to their card at a fixed rate; every client records, for each
// stamp it is sent, the time from send to arrival.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorCounts, ClientPlan, StartLoad } from './protocol.js';
import { Samples, type BenchClient, type ClientEvents } from './bench-client.js';
import { LightClient } from './light-client.js';
import { StockClient } from './stock-client.js';
import { clockUs } from './stamp.js';
import { eachLimited } from '../lib/workshop-setup.js';

export class BoardClients {
  readonly #clients: BenchClient[] = [];
  readonly #latencies = new Samples();
  readonly #warmupLatencies = new Samples();
  readonly #splitLatencies = new Samples();
  readonly #nearLatencies = new Samples();
  readonly #farLatencies = new Samples();
  /** Writers on this process's node (cluster runs), or null. */
  #near: Set<number> | null = null;
  /** Stamps sent before this (µs since t0) belong to the warm-up. */
  #measuredFromUs = 0;
  /** Stamps sent from this (µs since t0) on are kept apart (StartLoad.splitAt). */
  #splitFromUs = Number.POSITIVE_INFINITY;
  /** With BENCH_TRACE=<dir>: (sent µs since t0, latency ms) of every stamp received, to see latency over time. */
  readonly #trace = process.env.BENCH_TRACE ? new Samples() : null;
  readonly #errors: ErrorCounts;
  /** Closes and errors count once every client is connected. */
  #live = false;
  #t0 = 0;
  readonly #sent = new Map<number, number>();
  readonly #events: ClientEvents = {
    stamp: (latencyMs, sentUs, writer) => {
      const window = sentUs < this.#measuredFromUs ? this.#warmupLatencies : sentUs >= this.#splitFromUs ? this.#splitLatencies : this.#latencies;
      window.push(latencyMs);
      if (window === this.#latencies && this.#near) (this.#near.has(writer) ? this.#nearLatencies : this.#farLatencies).push(latencyMs);
      this.#trace?.push(sentUs);
      this.#trace?.push(latencyMs);
    },
    closed: () => void (this.#live && this.#errors.boardCloses++),
    failed: () => void (this.#live && this.#errors.boardErrors++),
  };

  constructor(errors: ErrorCounts) {
    this.#errors = errors;
  }

  get count(): number {
    return this.#clients.length;
  }

  /** Opens every client, has each writer add its card, and waits until every stock client sees every writer's card. */
  async connect(plan: ClientPlan, connectMs: number[]): Promise<void> {
    this.#near = plan.nearWriters ? new Set(plan.nearWriters) : null;
    const jobs = plan.boards.flatMap((board) => board.clients.map((c) => ({ board, c })));
    await eachLimited(jobs, plan.connectConcurrency, async ({ board, c }) => {
      const began = performance.now();
      const Kind = c.kind === 'stock' ? StockClient : LightClient;
      const client = new Kind(plan.wsUrl, plan.protocol, board, c, () => this.#t0, this.#events);
      this.#clients.push(client);
      await client.ready;
      connectMs.push(performance.now() - began);
    });
    for (const client of this.#clients) client.addOwnCard();
    await until(() => this.#clients.every((c) => c.seesAllCards()), 60_000, 'every client to see every writer card');
    this.#live = true;
  }

  /** Types at `rate` per writer until the load ends; resolves with what each writer sent. */
  type(load: StartLoad): Promise<Map<number, number>> {
    this.#t0 = load.t0;
    this.#measuredFromUs = (load.startAt + load.warmupMs - load.t0) * 1000;
    this.#splitFromUs = load.splitAt === undefined ? Number.POSITIVE_INFINITY : (load.splitAt - load.t0) * 1000;
    const period = 1000 / load.rate;
    const endAt = load.startAt + load.warmupMs + load.durationMs;
    const writers = this.#clients.filter((c) => c.writer !== null);
    return new Promise((resolve) => {
      let running = writers.length;
      if (running === 0) resolve(this.#sent);
      for (const client of writers) {
        let seq = 0;
        let due = load.startAt + Math.random() * period;
        const tick = () => {
          if (due >= endAt) {
            this.#sent.set(client.writer!, seq);
            if (--running === 0) resolve(this.#sent);
            return;
          }
          client.type(++seq, clockUs(this.#t0));
          due += period;
          setTimeout(tick, Math.max(0, due - Date.now()));
        };
        setTimeout(tick, Math.max(0, due - Date.now()));
      }
    });
  }

  /** Waits until every client has received every other writer's `expected` stamps, or the timeout. */
  async settle(expected: Map<number, number>, timeoutMs: number): Promise<void> {
    const complete = (c: BenchClient) => c.board.writers.every((w) => w === c.writer || c.received(w) >= (expected.get(w) ?? 0));
    await until(() => this.#clients.every(complete), timeoutMs, 'every client to hold every stamp').catch(() => undefined);
  }

  /** What the clients hold now, checked against what each writer sent. */
  async audit(expected: Map<number, number>): Promise<{ missing: number; duplicates: number; detail: string[]; digests: Array<[string, string]> }> {
    const out = { missing: 0, duplicates: 0, detail: [] as string[], digests: [] as Array<[string, string]> };
    for (const client of this.#clients) {
      const a = await client.audit(expected);
      out.missing += a.missing;
      out.duplicates += a.duplicates;
      out.detail.push(...a.detail.slice(0, Math.max(0, 10 - out.detail.length)));
      if (a.digest !== null) out.digests.push([client.board.docName, a.digest]);
    }
    return out;
  }

  latencies(): Float64Array {
    return this.#latencies.toArray();
  }

  warmupLatencies(): Float64Array {
    return this.#warmupLatencies.toArray();
  }

  splitLatencies(): Float64Array {
    return this.#splitLatencies.toArray();
  }

  nearLatencies(): Float64Array {
    return this.#nearLatencies.toArray();
  }

  farLatencies(): Float64Array {
    return this.#farLatencies.toArray();
  }

  /** Each writer's own card here: [docName, cardId]. */
  ownCards(): Array<[string, string]> {
    return this.#clients.flatMap((c) => (c.ownCardId === null ? [] : [[c.board.docName, c.ownCardId] as [string, string]]));
  }

  /** Writes (sent µs since t0, latency ms) pairs to BENCH_TRACE/<pid>.f64 when tracing. */
  writeTrace(): void {
    const dir = process.env.BENCH_TRACE;
    if (!dir || !this.#trace) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${Date.now()}-${process.pid}.f64`), this.#trace.toArray());
  }

  close(): void {
    this.#live = false;
    for (const c of this.#clients) c.close();
  }
}

export async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
