// The main thread's side of the SQLite writer thread (sqlite-writer.worker.mjs).
//
// Appending a board update costs a SQLite commit (~55–120 µs on our 2-core machines),
// paid on the event loop that also relays every update: in a 1,000-person event that
// was the largest cost Relatoría added to the stock y-websocket server (bench/RESULTS.md).
// Here the commit happens on another thread, updates arriving together share one
// transaction, and the caller is answered once its update is committed — so an update
// is still stored before anyone is sent it.
import { Worker } from 'node:worker_threads';

export type ToWriter =
  | { type: 'append'; id: number; doc: string; data: Uint8Array }
  | { type: 'pragma'; id: number; statement: string }
  | { type: 'close' };

type FromWriter =
  | { type: 'stored'; acks: Array<[id: number, seq: number]> }
  | ({ type: 'failed'; ids: number[] } & ErrorInfo)
  | ({ type: 'pragma-done'; id: number } & Partial<ErrorInfo>);

interface ErrorInfo {
  message: string;
  code?: string;
}

/** A write the writer thread could not make, with SQLite's error code as better-sqlite3 gives it. */
export class SqliteWriteError extends Error {
  readonly code: string | undefined;
  constructor({ message, code }: ErrorInfo) {
    super(message);
    this.name = 'SqliteError';
    this.code = code;
  }
}

interface Pending {
  resolve(seq: number): void;
  reject(err: Error): void;
}

const WORKER_URL = new URL('./sqlite-writer.worker.mjs', import.meta.url);

/** What the thread opens: the file, the store's connection pragmas, and its one statement. */
export interface WriterSetup {
  file: string;
  pragmas: string[];
  /** The board's next sequence number: (doc) → last_seq. */
  nextSeqSql: string;
  /** INSERT of (doc, doc_seq, data) into the update log. */
  appendSql: string;
}

export class SqliteWriter {
  readonly #setup: WriterSetup;
  #worker: Worker | null = null;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  #closing: Promise<void> | null = null;

  constructor(setup: WriterSetup) {
    this.#setup = setup;
  }

  /** Appends one update; resolves with its sequence number once it is committed. */
  append(doc: string, data: Uint8Array): Promise<number> {
    return this.#send((id) => ({ type: 'append', id, doc, data }));
  }

  /** Runs a PRAGMA on the writer's connection (e.g. max_page_count, which is per connection). */
  async pragma(statement: string): Promise<void> {
    await this.#send((id) => ({ type: 'pragma', id, statement }));
  }

  /** Commits what is queued, then stops the thread. */
  close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return Promise.resolve();
    this.#closing ??= new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage({ type: 'close' } satisfies ToWriter);
    });
    return this.#closing;
  }

  #send(message: (id: number) => ToWriter): Promise<number> {
    if (this.#closing) return Promise.reject(new Error('the store is closed'));
    const id = this.#nextId++;
    return new Promise<number>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#thread().postMessage(message(id));
    });
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER_URL, { workerData: this.#setup });
    worker.on('message', (msg: FromWriter) => this.#answer(msg));
    // A thread that dies (it should not) fails what it held; the next append starts another.
    const fail = (err: Error) => {
      if (this.#worker === worker) this.#worker = null;
      for (const [id, p] of this.#pending) {
        this.#pending.delete(id);
        p.reject(err);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the SQLite writer thread exited (${code})`)));
    this.#worker = worker;
    return worker;
  }

  #answer(msg: FromWriter): void {
    if (msg.type === 'stored') {
      for (const [id, seq] of msg.acks) this.#take(id)?.resolve(seq);
    } else if (msg.type === 'failed') {
      for (const id of msg.ids) this.#take(id)?.reject(new SqliteWriteError(msg));
    } else if (msg.message === undefined) {
      this.#take(msg.id)?.resolve(0);
    } else {
      this.#take(msg.id)?.reject(new SqliteWriteError({ message: msg.message, code: msg.code }));
    }
  }

  #take(id: number): Pending | undefined {
    const p = this.#pending.get(id);
    this.#pending.delete(id);
    return p;
  }
}
