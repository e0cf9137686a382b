// A few worker threads that read imports (a Markdown document, a JSON archive) off the
// event loop. Parsing is where hostile input costs time — seconds to minutes for a
// body under the size limit — and stack; on the main thread it would stall every board,
// socket and `/healthz` of the server. Here each task has a time budget, counted from
// the moment a ready worker takes it: past it the worker is terminated (the only way to
// stop synchronous code) and replaced, and the caller gets a 422.
//
// Plain node:worker_threads rather than a pool library: what is needed is "terminate the
// one stuck thread and start another", a budget that excludes queueing and startup, and
// a bounded queue; that is less code here than around a library.
import { Worker } from 'node:worker_threads';
import { IMPORT_BUSY, IMPORT_TOO_COMPLEX } from '../../shared/import-limits.js';
import type { Archive } from '../export/json-archive.js';
import { HttpError } from '../http/http-error.js';
import type { Logger } from '../lib/logger.js';
import type { ImportedDocx } from './docx.js';
import type { ImportOutcome, ImportTask } from './import-tasks.js';
import type { ImportContext, ImportedBoard } from './markdown.js';

const WORKER_URL = new URL('./import-worker.mjs', import.meta.url);

export interface ImportPoolOptions {
  /** Threads reading at once (default 2: the rest queue). */
  size?: number;
  /** How long one document may take to read (default 3 s). */
  timeBudgetMs?: number;
  /** Imports waiting for a thread beyond which a new one is refused with 503 (default 16). */
  maxQueue?: number;
  log: Logger;
}

export const IMPORT_POOL_DEFAULTS = { size: 2, timeBudgetMs: 3_000, maxQueue: 16 } as const;

interface Job {
  task: ImportTask;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

const tooComplex = (budgetMs: number) =>
  new HttpError(422, IMPORT_TOO_COMPLEX, `The document is too complex to import: reading it took longer than ${budgetMs} ms`);

export class ImportPool {
  readonly #size: number;
  readonly #budgetMs: number;
  readonly #maxQueue: number;
  readonly #log: Logger;
  readonly #slots = new Set<Slot>();
  readonly #queue: Job[] = [];
  #nextId = 1;
  #closed = false;

  constructor(opts: ImportPoolOptions) {
    this.#size = opts.size ?? IMPORT_POOL_DEFAULTS.size;
    this.#budgetMs = opts.timeBudgetMs ?? IMPORT_POOL_DEFAULTS.timeBudgetMs;
    this.#maxQueue = opts.maxQueue ?? IMPORT_POOL_DEFAULTS.maxQueue;
    this.#log = opts.log;
  }

  /** A Markdown document (a request body's bytes) as one board's content (importMarkdown, in a worker). */
  markdown(bytes: Uint8Array, context: ImportContext): Promise<ImportedBoard> {
    return this.#run({ kind: 'markdown', bytes, context }) as Promise<ImportedBoard>;
  }

  /** A Word document (.docx, the body's bytes) as one board's content (importDocx, in a worker: unzipped there, within limits). */
  docx(bytes: Uint8Array, context: ImportContext): Promise<ImportedDocx> {
    return this.#run({ kind: 'docx', bytes, context }) as Promise<ImportedDocx>;
  }

  /** A validated JSON archive (parseArchive, in a worker). */
  archive(bytes: Uint8Array): Promise<Archive> {
    return this.#run({ kind: 'archive', bytes }) as Promise<Archive>;
  }

  /** Ends every thread; queued and running imports fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const gone = new HttpError(503, 'shutting_down', 'The server is shutting down; try again in a moment');
    for (const job of this.#queue.splice(0)) job.reject(gone);
    const slots = [...this.#slots];
    this.#slots.clear();
    await Promise.all(slots.map(async (slot) => {
      if (slot.timer) clearTimeout(slot.timer);
      slot.job?.reject(gone);
      await slot.worker.terminate();
    }));
  }

  #run(task: ImportTask): Promise<unknown> {
    if (this.#closed) return Promise.reject(new HttpError(503, 'shutting_down', 'The server is shutting down; try again in a moment'));
    if (this.#queue.length >= this.#maxQueue) {
      return Promise.reject(new HttpError(503, IMPORT_BUSY, 'The server is reading other imports; try again in a moment'));
    }
    // Only the body's own bytes cross to the worker, not the rest of a pooled buffer it may sit in.
    const bytes = task.bytes.byteOffset === 0 && task.bytes.byteLength === task.bytes.buffer.byteLength ? task.bytes : new Uint8Array(task.bytes);
    return new Promise((resolve, reject) => {
      this.#queue.push({ task: { ...task, bytes }, resolve, reject });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    if (this.#closed) return;
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (slot.ready && !slot.job) this.#start(slot, this.#queue.shift() as Job);
    }
    // Threads start on first use, not with the server (most servers never import anything),
    // and all of them at once: starting one costs CPU better spent before an attack than during it.
    if (this.#queue.length > 0) while (this.#slots.size < this.#size) this.#spawn();
  }

  #start(slot: Slot, job: Job): void {
    const id = this.#nextId++;
    slot.job = job;
    slot.timer = setTimeout(() => {
      this.#log.warn('an import took longer than its time budget: its worker is ended', { budgetMs: this.#budgetMs, kind: job.task.kind, bytes: job.task.bytes.byteLength });
      this.#retire(slot, tooComplex(this.#budgetMs));
    }, this.#budgetMs);
    const done = (msg: { id?: number; outcome?: ImportOutcome }) => {
      if (msg.id !== id || !msg.outcome) return;
      slot.worker.off('message', done);
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      slot.job = null;
      const outcome = msg.outcome;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(new HttpError(outcome.status, outcome.code, outcome.message));
      this.#dispatch();
    };
    slot.worker.on('message', done);
    slot.worker.postMessage({ id, task: job.task });
  }

  #spawn(): void {
    // A heap limit: a body that would grow a worker past it ends that worker, not the server.
    // No inherited `--import tsx`: the thread loads its TypeScript through tsx's scoped API, once.
    const worker = new Worker(WORKER_URL, { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 512 } });
    worker.unref();
    const slot: Slot = { worker, ready: false, job: null, timer: null };
    this.#slots.add(slot);
    worker.on('message', (msg: { ready?: boolean }) => {
      if (!msg.ready) return;
      slot.ready = true;
      this.#log.debug('an import worker is ready', { workers: this.#slots.size });
      this.#dispatch();
    });
    worker.on('error', (err) => {
      if (!slot.ready) {
        // The thread could not even load its readers: every waiting import fails, none is retried in a loop.
        this.#log.error('an import worker could not start', { err });
        for (const job of this.#queue.splice(0)) job.reject(err);
        this.#retire(slot);
        return;
      }
      // Out of memory, or a crash no reader caught: the import is refused, the thread replaced.
      this.#log.warn('an import worker failed: it is replaced', { err });
      this.#retire(slot, new HttpError(422, IMPORT_TOO_COMPLEX, 'The document is too complex to import: reading it needed more memory than an import may use'));
    });
    worker.on('exit', () => this.#retire(slot, new Error('An import worker ended unexpectedly')));
  }

  /** Ends a thread (stuck or failed), failing its import with `reason`, and lets another take its place. */
  #retire(slot: Slot, reason?: Error): void {
    if (!this.#slots.delete(slot)) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    if (slot.job && reason) slot.job.reject(reason);
    slot.job = null;
    slot.worker.removeAllListeners('message');
    void slot.worker.terminate();
    // A thread that worked is replaced at once, so the next import meets a ready one; one
    // that never started is not (it would fail the same way, in a loop).
    if (slot.ready && !this.#closed) this.#spawn();
    this.#dispatch();
  }
}
