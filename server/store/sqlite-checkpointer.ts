// Checkpoints off the event loop. SQLite checkpoints a WAL of 1,000 pages by itself, in the
// commit that fills it: a copy of the pages and an fsync, 7–9 ms on this machine every few
// hundred commits, during which no board update is relayed (bench/RESULTS.md). Here the
// store's connection never checkpoints (`wal_autocheckpoint = 0`); a thread with its own
// connection does, every `everyMs`. Should that thread fail, the connection checkpoints
// by itself again: the WAL never grows without end.
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Logger } from '../lib/logger.js';

const WORKER_URL = new URL('./sqlite-checkpointer.worker.mjs', import.meta.url);
/** SQLite's own default: checkpoint once the WAL holds this many pages. */
const AUTO_CHECKPOINT_PAGES = 1000;
export const CHECKPOINT_EVERY_MS = 500;

export class SqliteCheckpointer {
  readonly #db: Database.Database;
  readonly #worker: Worker;
  readonly #log: Logger | undefined;
  #ended = false;

  constructor(db: Database.Database, file: string, opts: { everyMs?: number; log?: Logger } = {}) {
    this.#db = db;
    this.#log = opts.log;
    db.pragma('wal_autocheckpoint = 0');
    this.#worker = new Worker(WORKER_URL, { workerData: { file, everyMs: opts.everyMs ?? CHECKPOINT_EVERY_MS }, execArgv: [] });
    this.#worker.unref();
    this.#worker.on('message', (msg: { failed?: string }) => {
      if (msg.failed) this.#log?.warn('a checkpoint of the SQLite file failed; the next one tries again', { err: msg.failed });
    });
    this.#worker.on('error', (err) => this.#fallBack(err));
    this.#worker.on('exit', () => this.#fallBack(new Error('the checkpoint thread ended')));
  }

  /** Ends the thread after one last checkpoint; the store's connection checkpoints by itself from then on. */
  async close(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    const closed = new Promise<void>((resolve) => {
      this.#worker.on('message', (msg: { closed?: boolean }) => msg.closed && resolve());
      this.#worker.once('exit', () => resolve());
    });
    this.#worker.postMessage('close');
    await closed;
    await this.#worker.terminate();
    this.#restoreAuto();
  }

  #fallBack(err: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#log?.error('the SQLite checkpoint thread stopped; the store checkpoints on its own connection again', { err });
    this.#restoreAuto();
  }

  #restoreAuto(): void {
    if (this.#db.open) this.#db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
  }
}
