// Board updates on SQLite are committed on the event loop, those of one turn of it in one
// transaction (server/store/sqlite-group-commit.ts), sooner when the turn runs long: each
// caller is answered only once its update is committed and readable by another connection;
// a batch that fails fails whole.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_WAIT_MS, type CommitCause } from '../../server/store/sqlite-group-commit.js';
import { SqliteStore } from '../../server/store/sqlite.js';

let dir: string;
let store: SqliteStore;
/** A second connection to the file, as another process (a backup, the next server) would see it. */
let reader: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relatoria-group-commit-'));
  store = new SqliteStore(join(dir, 'relatoria.db'));
  reader = new Database(join(dir, 'relatoria.db'), { readonly: true });
});
afterEach(async () => {
  reader.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const rowsOf = (doc: string) => reader.prepare<[string], { doc_seq: number; data: Buffer }>('SELECT doc_seq, data FROM doc_updates WHERE doc = ? ORDER BY doc_seq').all(doc);
const bytes = (...values: number[]) => new Uint8Array(values);

describe('SQLite group commit', () => {
  it('commits the appends of one turn together, answering each with its number only once another connection can read it', async () => {
    const answered: number[] = [];
    const appends = [bytes(1), bytes(2), bytes(3)].map((u, i) => store.appendUpdate(i === 1 ? 'w/b' : 'w/a', u).then((seq) => {
      // Answered after the commit: the row is there for another connection.
      expect(rowsOf(i === 1 ? 'w/b' : 'w/a').map((r) => r.doc_seq)).toContain(seq);
      answered.push(i);
      return seq;
    }));
    // Nothing is written during the turn that queued them.
    expect(rowsOf('w/a')).toEqual([]);
    expect(await Promise.all(appends)).toEqual([1, 1, 2]);
    expect(answered).toEqual([0, 1, 2]);
    expect(rowsOf('w/a').map((r) => [r.doc_seq, [...r.data]])).toEqual([[1, [1]], [2, [3]]]);
    // A later turn is a later transaction, numbered on.
    expect(await store.appendUpdate('w/a', bytes(4))).toBe(3);
  });

  it('commits within a long turn what waited past the cap, before queueing the append that found it so', async () => {
    await store.close();
    const commits: Array<[CommitCause, number]> = [];
    store = new SqliteStore(join(dir, 'relatoria.db'), { onCommit: (cause, updates) => commits.push([cause, updates]) });
    const first = store.appendUpdate('w/a', bytes(1));
    // The turn goes on past the cap (a poll reading a thousand sockets on a busy machine).
    const start = performance.now();
    while (performance.now() - start < MAX_WAIT_MS + 1);
    // The next append commits the batch that waited, in this turn, and starts a new one,
    // which waits in turn (the updates of one write, appended together, stay together).
    const second = store.appendUpdate('w/b', bytes(2));
    expect(rowsOf('w/a').map((r) => r.doc_seq)).toEqual([1]);
    expect(rowsOf('w/b')).toEqual([]);
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect(rowsOf('w/b').map((r) => [...r.data])).toEqual([[2]]);
    // Each commit is told why it came then: the operator's sign that turns run long.
    expect(commits).toEqual([['long_turn', 1], ['turn_end', 1]]);
    await Promise.all([store.appendUpdate('w/a', bytes(3)), store.appendUpdate('w/b', bytes(4))]);
    expect(commits.at(-1)).toEqual(['turn_end', 2]);
  });

  it('fails every append of a batch that cannot be committed, storing none of it; the next batch is stored', async () => {
    await store.appendUpdate('w/a', bytes(0));
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    await store.pragma(`max_page_count = ${pages}`);
    const big = new Uint8Array(64 * 1024).fill(7);
    const batch = [store.appendUpdate('w/a', bytes(1)), store.appendUpdate('w/a', big)];
    const settled = await Promise.allSettled(batch);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect((settled[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_FULL' });
    expect(rowsOf('w/a').map((r) => r.doc_seq)).toEqual([1]);

    await store.pragma('max_page_count = 1073741823');
    expect(await store.appendUpdate('w/a', bytes(2))).toBe(2); // no number was taken by the failed batch
  });

  it('commits what is queued when the store closes, and refuses appends after', async () => {
    const last = store.appendUpdate('w/a', bytes(9));
    await store.close();
    expect(await last).toBe(1);
    expect(rowsOf('w/a').map((r) => [...r.data])).toEqual([[9]]);
    await expect(store.appendUpdate('w/a', bytes(10))).rejects.toThrow(/closed/);
    store = new SqliteStore(join(dir, 'relatoria.db')); // for afterEach
  });

  it('numbers on from what the file holds: the updates, else the snapshot that folded them, else an older doc_heads row', async () => {
    for (const v of [1, 2, 3]) await store.appendUpdate('w/a', bytes(v));
    await store.compactDoc('w/a', bytes(0), 3); // the updates are gone; the snapshot says through 3
    await store.appendUpdate('w/b', bytes(1));
    // A file an earlier version wrote: its head counted in doc_heads, the updates compacted away.
    store.db.prepare("INSERT INTO doc_heads (doc, last_seq) VALUES ('w/c', 7)").run();
    await store.close();

    store = new SqliteStore(join(dir, 'relatoria.db'));
    expect(await Promise.all([store.appendUpdate('w/a', bytes(4)), store.appendUpdate('w/b', bytes(2)), store.appendUpdate('w/c', bytes(8))])).toEqual([4, 2, 8]);
    expect(await store.appendUpdate('w/a', bytes(5))).toBe(5);
    expect((await store.loadDoc('w/a')).lastSeq).toBe(5);
  });

  it('reads a board’s number again once its workshop is deleted', async () => {
    await store.createWorkshop({ id: 'w', title: 'T', place: '', language: 'es', joinCode: 'ABC123', createdAt: 0 }, [{ id: 'a', name: 'A', question: '', position: 0 }]);
    expect(await store.appendUpdate('w/a', bytes(1))).toBe(1);
    expect(await store.appendUpdate('w/a', bytes(2))).toBe(2);
    await store.deleteWorkshop('w');
    expect(await store.appendUpdate('w/a', bytes(3))).toBe(1);
  });

  it('numbers the same way without the group commit, in the caller’s transaction', async () => {
    await store.appendUpdate('w/a', bytes(1));
    await store.compactDoc('w/a', bytes(0), 1);
    await store.close();
    store = new SqliteStore(join(dir, 'relatoria.db'), { groupCommit: false });
    expect(await store.appendUpdate('w/a', bytes(2))).toBe(2);
    expect(await store.appendUpdate('w/a', bytes(3))).toBe(3);
  });
});
