// Board updates appended on the event loop, those of one turn of it in one transaction.
//
// Every append of a turn (the messages one poll of the sockets read) is queued and
// committed together right after it (setImmediate), and each caller is answered once its
// update is committed — so an update is still stored before anyone is sent it. One
// commit per turn, not per update, and no thread to wake: in WAL with synchronous=NORMAL a
// commit writes the WAL without fsync, tens of microseconds, less than the two thread
// hops the writer thread cost every update (bench/RESULTS.md, "SQLite appends on the event loop").
//
// A turn is short until the machine falls behind; then one poll can read a thousand sockets
// over tens of milliseconds, and the first update read would wait for the last. So a batch
// whose first append has waited `MAX_WAIT_MS` is committed by the next append, within the
// turn, before that one is queued: a few more commits in a long turn, none in a short one.
//
// Each board's last number is kept in memory once read (one process owns the file:
// node-lock.ts), so an append is one INSERT; the number is not written anywhere else, since
// the file always holds it (`HEAD_SQL`). A number becomes the board's head only once its
// batch committed: a failed batch takes none.
import type Database from 'better-sqlite3';

/**
 * A board's last number, as the file holds it: the highest of its updates' numbers, its
 * snapshot's (compaction deletes the updates it folds) and `doc_heads` (written by earlier
 * versions, and by PostgreSQL's store). 0 for a board never written.
 */
export const HEAD_SQL = `SELECT MAX(head) AS head FROM (
  SELECT MAX(doc_seq) AS head FROM doc_updates WHERE doc = @doc
  UNION ALL SELECT through_seq FROM doc_snapshots WHERE doc = @doc
  UNION ALL SELECT last_seq FROM doc_heads WHERE doc = @doc)`;

/** How long the first update of a batch may wait for its turn to end: see above. */
export const MAX_WAIT_MS = 2;

/** Why a batch was committed: its turn ended (or the store closed), or the turn ran long. */
export const COMMIT_CAUSES = ['turn_end', 'long_turn'] as const;
export type CommitCause = (typeof COMMIT_CAUSES)[number];

/** Told of each commit: how often turns run long is how often the machine fell behind. */
export type CommitObserver = (cause: CommitCause, updates: number) => void;

interface Queued {
  doc: string;
  data: Uint8Array;
  resolve(seq: number): void;
  reject(err: Error): void;
}

export class SqliteGroupCommit {
  /** Commits a batch: each append's number, and each board's new head. */
  readonly #commit: (batch: Queued[]) => { seqs: number[]; heads: Map<string, number> };
  /** Each board's last committed number, once read from the file. */
  readonly #heads = new Map<string, number>();
  #queue: Queued[] = [];
  /** When the queue's first append came (performance.now()). */
  #firstAt = 0;
  #closed = false;
  readonly #observe: CommitObserver | undefined;

  constructor(db: Database.Database, appendSql: string, observe?: CommitObserver) {
    this.#observe = observe;
    const readHead = db.prepare<[{ doc: string }], { head: number | null }>(HEAD_SQL);
    const append = db.prepare<[string, number, Uint8Array]>(appendSql);
    this.#commit = db.transaction((batch: Queued[]) => {
      const heads = new Map<string, number>();
      const seqs = batch.map((u) => {
        const seq = (heads.get(u.doc) ?? this.#heads.get(u.doc) ?? readHead.get({ doc: u.doc })?.head ?? 0) + 1;
        append.run(u.doc, seq, u.data);
        heads.set(u.doc, seq);
        return seq;
      });
      return { seqs, heads };
    });
  }

  /** Appends one update; resolves with its board sequence number once committed. */
  append(doc: string, data: Uint8Array): Promise<number> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'));
    return new Promise<number>((resolve, reject) => {
      const now = performance.now();
      // The turn is long: what waited is committed now, and this one starts the next batch
      // (so the updates of one write, appended together, are still committed together).
      if (this.#queue.length > 0 && now - this.#firstAt >= MAX_WAIT_MS) this.#flush('long_turn');
      if (this.#queue.push({ doc, data, resolve, reject }) === 1) {
        this.#firstAt = now;
        setImmediate(this.#flush);
      }
    });
  }

  /** Forgets the numbers of the boards named in [from, to) (their rows were deleted): read again if written again. */
  forget(from: string, to: string): void {
    for (const doc of this.#heads.keys()) if (doc >= from && doc < to) this.#heads.delete(doc);
  }

  /** Commits what is queued; later appends are refused. */
  close(): void {
    this.#flush();
    this.#closed = true;
  }

  readonly #flush = (cause: CommitCause = 'turn_end'): void => {
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    let committed: { seqs: number[]; heads: Map<string, number> };
    try {
      committed = this.#commit(batch);
    } catch (err) {
      // The transaction rolled back: nothing of the batch is stored, every one of them fails.
      for (const u of batch) u.reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    this.#observe?.(cause, batch.length);
    for (const [doc, seq] of committed.heads) this.#heads.set(doc, seq);
    batch.forEach((u, i) => u.resolve(committed.seqs[i]!));
  };
}
