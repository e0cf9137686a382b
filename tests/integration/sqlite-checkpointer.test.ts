// The server's SQLite connection never checkpoints in a commit: a thread with its own
// connection does (server/store/sqlite-checkpointer.ts), and if that thread cannot run, the
// connection checkpoints by itself again.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite.js';
import { SqliteCheckpointer } from '../../server/store/sqlite-checkpointer.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relatoria-checkpointer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const autoCheckpoint = (db: Database.Database) => db.pragma('wal_autocheckpoint', { simple: true }) as number;

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await sleep(25);
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('SQLite checkpoints on their own thread', () => {
  it('keeps the WAL short while the store’s connection only commits', async () => {
    const file = join(dir, 'relatoria.db');
    const store = new SqliteStore(file, { checkpointThread: { everyMs: 20 } });
    expect(autoCheckpoint(store.db)).toBe(0);
    const update = new Uint8Array(4000).fill(1);
    // ~16 MB through the WAL in 200 commits of 20 updates: without checkpoints it would hold them all.
    for (let batch = 0; batch < 200; batch++) {
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.appendUpdate(`w/b${i}`, update)));
      if (batch % 20 === 19) await sleep(60);
    }
    expect(statSync(`${file}-wal`).size).toBeLessThan(8 * 1024 * 1024);
    await store.close();

    const reader = new Database(file, { readonly: true });
    expect(reader.prepare('SELECT COUNT(*) AS n FROM doc_updates').get()).toEqual({ n: 4000 });
    reader.close();
  });

  it('still empties the WAL when a workshop is deleted, beside the thread’s checkpoints', async () => {
    const file = join(dir, 'relatoria.db');
    const store = new SqliteStore(file, { checkpointThread: { everyMs: 1 } });
    const update = new Uint8Array(4000).fill(2);
    for (let round = 0; round < 40; round++) {
      await store.createWorkshop({ id: `w${round}`, title: 'T', place: '', language: 'es', joinCode: `CODE0${round}`, createdAt: 0 }, [{ id: 'g', name: 'G', question: '', position: 0 }]);
      await Promise.all(Array.from({ length: 50 }, () => store.appendUpdate(`w${round}/g`, update)));
      expect(await store.deleteWorkshop(`w${round}`)).toBe(true);
      expect(statSync(`${file}-wal`).size).toBe(0);
    }
    await store.close();
  });

  it('hands checkpoints back to the connection once closed, or when its thread cannot run', async () => {
    const db = new Database(join(dir, 'a.db'));
    db.pragma('journal_mode = WAL');
    const checkpointer = new SqliteCheckpointer(db, join(dir, 'a.db'));
    expect(autoCheckpoint(db)).toBe(0);
    await checkpointer.close();
    expect(autoCheckpoint(db)).toBe(1000);

    // The thread cannot open a file in a directory that is not there: it fails at once.
    const stranded = new SqliteCheckpointer(db, join(dir, 'missing', 'b.db'));
    expect(autoCheckpoint(db)).toBe(0);
    await until(() => autoCheckpoint(db) === 1000, 'the connection to checkpoint by itself again');
    await stranded.close();
    db.close();
  });
});
