// npx tsx bench/sqlite-layout.ts
// What a commit of board updates writes to SQLite's WAL and costs in CPU, for three layouts
// of the update table: as it was until migration 7 (rowid AUTOINCREMENT + a (doc, doc_seq)
// index), as it is (SQLite's own rowid + the index), and keyed by (doc, doc_seq) alone
// (WITHOUT ROWID). Each case: 2,000 commits on a fresh file with the server's pragmas and
// no checkpoint, so the WAL's size is everything the commits wrote.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const LAYOUTS = {
  'AUTOINCREMENT + index (before 7)': `CREATE TABLE doc_updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL, data BLOB NOT NULL, doc_seq INTEGER NOT NULL);
    CREATE UNIQUE INDEX doc_updates_by_doc_seq ON doc_updates (doc, doc_seq);`,
  'rowid + index (7)': `CREATE TABLE doc_updates (doc TEXT NOT NULL, doc_seq INTEGER NOT NULL, data BLOB NOT NULL);
    CREATE UNIQUE INDEX doc_updates_by_doc_seq ON doc_updates (doc, doc_seq);`,
  'WITHOUT ROWID': 'CREATE TABLE doc_updates (doc TEXT NOT NULL, doc_seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (doc, doc_seq)) WITHOUT ROWID;',
};
/** [update bytes, boards written, updates a commit]: typing alone and at a big event, a paste, an import's pieces. */
const CASES: Array<[number, number, number]> = [[60, 1, 1], [60, 50, 1], [60, 50, 10], [300, 50, 1], [1_500, 50, 1], [4_000, 50, 1], [4_000, 20, 20]];
const COMMITS = 2_000;

console.log(`${COMMITS} commits a case; WAL written and CPU, per commit`);
for (const [bytes, boards, perCommit] of CASES) {
  const cells = Object.entries(LAYOUTS).map(([name, ddl]) => {
    const dir = mkdtempSync(join(tmpdir(), 'relatoria-layout-'));
    const db = new Database(join(dir, 'bench.db'));
    for (const pragma of ['journal_mode = WAL', 'synchronous = NORMAL', 'secure_delete = ON', 'wal_autocheckpoint = 0']) db.pragma(pragma);
    db.exec(ddl);
    const insert = db.prepare<[string, number, Buffer]>('INSERT INTO doc_updates (doc, doc_seq, data) VALUES (?, ?, ?)');
    const heads = new Array<number>(boards).fill(0);
    const data = Buffer.alloc(bytes, 7);
    const commit = db.transaction((rows: number[]) => {
      for (const b of rows) insert.run(`wkshp0000001/grp${b}`, ++heads[b]!, data);
    });
    let next = 0;
    const started = process.cpuUsage();
    for (let i = 0; i < COMMITS; i++) commit(Array.from({ length: perCommit }, () => next++ % boards));
    const used = process.cpuUsage(started);
    const wal = statSync(join(dir, 'bench.db-wal')).size;
    db.close();
    rmSync(dir, { recursive: true, force: true });
    return `${name}: ${(wal / COMMITS / 1024).toFixed(1)} KB ${((used.user + used.system) / COMMITS).toFixed(0)} µs`;
  });
  console.log(`${bytes} B updates, ${boards} boards, ${perCommit} a commit — ${cells.join(' | ')}`);
}
