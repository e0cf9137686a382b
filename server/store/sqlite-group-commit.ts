// Board updates appended on the event loop, those of one turn of it in one transaction.
//
// Every append of a turn (the messages one poll of the sockets read) is queued and
// committed together right after it (setImmediate), and each caller is answered once its
// update is committed — so an update is still stored before anyone is sent it. One
// commit per turn, not per update, and no thread to wake: in WAL with synchronous=NORMAL a
// commit writes the WAL without fsync, tens of microseconds, less than the two thread
// hops the writer thread cost every update (bench/RESULTS.md, "SQLite appends on the event loop").
import type Database from 'better-sqlite3';

interface Queued {
  doc: string;
  data: Uint8Array;
  resolve(seq: number): void;
  reject(err: Error): void;
}

export class SqliteGroupCommit {
  readonly #commit: (batch: Queued[]) => number[];
  #queue: Queued[] = [];
  #closed = false;

  constructor(db: Database.Database, nextSeqSql: string, appendSql: string) {
    const nextSeq = db.prepare<[string], { last_seq: number }>(nextSeqSql);
    const append = db.prepare<[string, number, Uint8Array]>(appendSql);
    this.#commit = db.transaction((batch: Queued[]) =>
      batch.map((u) => {
        const seq = nextSeq.get(u.doc)!.last_seq;
        append.run(u.doc, seq, u.data);
        return seq;
      }));
  }

  /** Appends one update; resolves with its board sequence number once committed. */
  append(doc: string, data: Uint8Array): Promise<number> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'));
    return new Promise<number>((resolve, reject) => {
      if (this.#queue.push({ doc, data, resolve, reject }) === 1) setImmediate(this.#flush);
    });
  }

  /** Commits what is queued; later appends are refused. */
  close(): void {
    this.#flush();
    this.#closed = true;
  }

  readonly #flush = (): void => {
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    let seqs: number[];
    try {
      seqs = this.#commit(batch);
    } catch (err) {
      // The transaction rolled back: nothing of the batch is stored, every one of them fails.
      for (const u of batch) u.reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    batch.forEach((u, i) => u.resolve(seqs[i]!));
  };
}
