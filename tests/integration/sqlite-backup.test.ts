// The README's SQLite backup recipes, run as written against a live server while a board
// is being written — the sqlite3 shell's `.backup` and `VACUUM INTO` — and the copy then
// restored the way the README says: it opens whole, and a server on it serves the workshop.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { addCard } from '../../shared/board.js';
import { createRelatoriaServer } from '../../server/server.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { setupWorkshop } from '../helpers/api.js';
import { storedBoard, texts } from '../helpers/board.js';
import { CapturingLogger } from '../helpers/logger.js';
import { startServer, TEST_SECRET } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { syncedClient } from '../helpers/yclient.js';
import { sqliteCli } from '../support/requires.js';

const run = promisify(execFile);
const cli = sqliteCli();
const work = mkdtempSync(join(tmpdir(), 'relatoria-backup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(cli === null)('backing up SQLite while the server runs', () => {
  it.each([
    ['.backup', (db: string, copy: string) => [db, `.backup '${copy}'`]],
    ['VACUUM INTO', (db: string, copy: string) => [db, `VACUUM INTO '${copy}'`]],
  ])('with %s: the copy is whole and a server restored from it serves the workshop', async (name, args) => {
    const t = await startServer({ compactEvery: 50 });
    const w = await setupWorkshop(t.url);
    const writer = await syncedClient(t.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    let written = 0;
    let writing = true;
    const typing = (async () => {
      while (writing) {
        addCard(writer.doc, { text: `idea ${written++}`, author: 'Ana' });
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    await waitFor(async () => texts(await storedBoard(t.store, w.boardA)).length >= 100, 10_000, '100 cards stored');
    const storedBefore = texts(await storedBoard(t.store, w.boardA)).length;

    // The recipe, as the README gives it, with writes going on.
    const copy = join(work, `${name.replace(/\W/g, '')}-${Date.now()}.db`);
    await run(cli!, args(join(t.dataDir, 'relatoria.db'), copy));
    writing = false;
    await typing;

    const check = new Database(copy, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();

    // Restore: the copy becomes relatoria.db of an empty data directory, and a server starts on it.
    const restored = join(work, `restored-${Date.now()}`);
    mkdirSync(restored);
    copyFileSync(copy, join(restored, 'relatoria.db'));
    const store = new SqliteStore(join(restored, 'relatoria.db'));
    const server = createRelatoriaServer({ store, log: new CapturingLogger(), secret: TEST_SECRET, clientDir: '/nonexistent' });
    const url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
    try {
      const board = await syncedClient(url.replace('http', 'ws'), w.boardA, w.facilitatorToken);
      const cards = texts(board.doc).length;
      // Everything stored before the backup began, and nothing that was never written.
      expect(cards).toBeGreaterThanOrEqual(storedBefore);
      expect(cards).toBeLessThanOrEqual(written);
      board.destroy();
    } finally {
      await server.close();
      await store.close();
    }
  });
});
