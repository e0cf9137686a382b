// A few worker threads that run CPU-heavy tasks off the event loop (imports read there,
// exports rendered there): on the main thread a task of a second would stall every board,
// socket and `/healthz` of the server. Each task has a time budget, counted from the moment
// a ready worker takes it: past it the worker is terminated (the only way to stop
// synchronous code) and replaced, and the caller gets the pool's over-budget error.
//
// Plain node:worker_threads rather than a pool library: what is needed is "terminate the
// one stuck thread and start another", a budget that excludes queueing and startup, and
// a bounded queue; that is less code here than around a library.
//
// A worker module posts `{ ready: true }` once it can take work, then answers each
// `{ id, task }` with `{ id, outcome }` (`TaskOutcome`), and `error` (a stack, for the log)
// when the task threw.
import { Worker } from 'node:worker_threads';
import { HttpError } from '../http/http-error.js';
import type { Logger } from './logger.js';

/** What a worker answers for one task: its value, or the HTTP error the caller gets. */
export type TaskOutcome<T> = { ok: true; value: T } | { ok: false; status: number; code: string; message: string };

/** How many threads a pool has and how long and how many tasks may wait; unset, the pool's defaults. */
export interface PoolSettings {
  /** Threads working at once: the rest queue. */
  size?: number;
  /** How long one task may take once a thread has it. */
  timeBudgetMs?: number;
  /** Tasks waiting for a thread beyond which a new one is refused with `errors.busy`. */
  maxQueue?: number;
  log: Logger;
}

export interface WorkerPoolOptions<Task> {
  /** What the pool's threads do, for the log: "an import worker is ready". */
  name: string;
  /** The worker module (plain JavaScript: see import/import-worker.mjs). */
  workerUrl: URL;
  settings: PoolSettings;
  defaults: Required<Omit<PoolSettings, 'log'>>;
  /** A task that would grow a thread's heap past this ends that thread, not the server. */
  heapMb: number;
  errors: {
    busy(): HttpError;
    overBudget(budgetMs: number): HttpError;
    /** The thread died under the task (out of memory, a crash nothing caught). */
    failed(): HttpError;
  };
  /** What the log says of a task that ran over its budget. */
  describe(task: Task): Record<string, unknown>;
}

interface Job<Task> {
  task: Task;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Slot<Task> {
  worker: Worker;
  ready: boolean;
  job: Job<Task> | null;
  timer: NodeJS.Timeout | null;
}

const shuttingDown = () => new HttpError(503, 'shutting_down', 'The server is shutting down; try again in a moment');

export class WorkerPool<Task> {
  readonly #opts: WorkerPoolOptions<Task>;
  readonly #size: number;
  readonly #budgetMs: number;
  readonly #maxQueue: number;
  readonly #log: Logger;
  readonly #slots = new Set<Slot<Task>>();
  readonly #queue: Job<Task>[] = [];
  #nextId = 1;
  #closed = false;

  constructor(opts: WorkerPoolOptions<Task>) {
    this.#opts = opts;
    this.#size = opts.settings.size ?? opts.defaults.size;
    this.#budgetMs = opts.settings.timeBudgetMs ?? opts.defaults.timeBudgetMs;
    this.#maxQueue = opts.settings.maxQueue ?? opts.defaults.maxQueue;
    this.#log = opts.settings.log;
  }

  /** Runs `task` on a thread; resolves with the worker's value (the caller knows its type). */
  run(task: Task): Promise<unknown> {
    if (this.#closed) return Promise.reject(shuttingDown());
    if (this.#queue.length >= this.#maxQueue) return Promise.reject(this.#opts.errors.busy());
    return new Promise((resolve, reject) => {
      this.#queue.push({ task, resolve, reject });
      this.#dispatch();
    });
  }

  /** Ends every thread; queued and running tasks fail. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(shuttingDown());
    const slots = [...this.#slots];
    this.#slots.clear();
    await Promise.all(slots.map(async (slot) => {
      slot.job?.reject(shuttingDown());
      this.#free(slot);
      await slot.worker.terminate();
    }));
  }

  #dispatch(): void {
    if (this.#closed) return;
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (slot.ready && !slot.job) this.#start(slot, this.#queue.shift() as Job<Task>);
    }
    // Threads start on first use, not with the server (many servers never import, or export,
    // anything), and all of them at once: starting one costs CPU better spent before a burst
    // than during it.
    if (this.#queue.length > 0) while (this.#slots.size < this.#size) this.#spawn();
  }

  #start(slot: Slot<Task>, job: Job<Task>): void {
    const { name, errors } = this.#opts;
    const id = this.#nextId++;
    slot.job = job;
    slot.timer = setTimeout(() => {
      this.#log.warn(`an ${name} took longer than its time budget: its worker is ended`, { budgetMs: this.#budgetMs, ...this.#opts.describe(job.task) });
      this.#retire(slot, errors.overBudget(this.#budgetMs));
    }, this.#budgetMs);
    const done = (msg: { id?: number; outcome?: TaskOutcome<unknown>; error?: string }) => {
      if (msg.id !== id || !msg.outcome) return;
      if (msg.error) this.#log.error(`an ${name} task failed`, { err: msg.error, ...this.#opts.describe(job.task) });
      slot.worker.off('message', done);
      this.#free(slot);
      const outcome = msg.outcome;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(new HttpError(outcome.status, outcome.code, outcome.message));
      this.#dispatch();
    };
    slot.worker.on('message', done);
    slot.worker.postMessage({ id, task: job.task });
  }

  #spawn(): void {
    const { name } = this.#opts;
    const log = this.#log;
    // No inherited `--import tsx`: the thread loads its TypeScript through tsx's scoped API, once.
    const worker = new Worker(this.#opts.workerUrl, { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: this.#opts.heapMb } });
    worker.unref();
    const slot: Slot<Task> = { worker, ready: false, job: null, timer: null };
    this.#slots.add(slot);
    worker.on('message', (msg: { ready?: boolean }) => {
      if (!msg.ready) return;
      slot.ready = true;
      log.debug(`an ${name} worker is ready`, { workers: this.#slots.size });
      this.#dispatch();
    });
    worker.on('error', (err) => {
      if (!slot.ready) {
        // The thread could not even load its code: every waiting task fails, none is retried in a loop.
        log.error(`an ${name} worker could not start`, { err });
        for (const job of this.#queue.splice(0)) job.reject(err);
        this.#retire(slot);
        return;
      }
      log.warn(`an ${name} worker failed: it is replaced`, { err });
      this.#retire(slot, this.#opts.errors.failed());
    });
    worker.on('exit', () => this.#retire(slot, new Error(`An ${name} worker ended unexpectedly`)));
  }

  /** The slot takes no task any more: its budget's timer is stopped. */
  #free(slot: Slot<Task>): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
  }

  /** Ends a thread (stuck or failed), failing its task with `reason`, and lets another take its place. */
  #retire(slot: Slot<Task>, reason?: Error): void {
    if (!this.#slots.delete(slot)) return;
    if (slot.job && reason) slot.job.reject(reason);
    this.#free(slot);
    slot.worker.removeAllListeners('message');
    void slot.worker.terminate();
    // A thread that worked is replaced at once, so the next task meets a ready one; one
    // that never started is not (it would fail the same way, in a loop).
    if (slot.ready && !this.#closed) this.#spawn();
    this.#dispatch();
  }
}
