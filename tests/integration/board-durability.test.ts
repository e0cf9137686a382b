// Durability of the real process (server/main.ts as a child): whatever a peer has
// received was stored first, so it survives kill -9; and what compaction wrote
// (every 500 updates, and on unloading an idle board) loads whole after a restart. Its
// metrics count the group commits that stored them (wired in main.ts alone).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import * as Y from 'yjs';
import { addCard, listCards } from '../../shared/board.js';
import { boardDocName } from '../../shared/doc-name.js';
import { setupWorkshop, type BoardRef } from '../helpers/api.js';
import { spawnServer } from '../helpers/child-server.js';
import { COMMIT_CAUSES } from '../../server/store/sqlite-group-commit.js';
import { syncedClient } from '../helpers/yclient.js';
import { waitFor } from '../helpers/wait.js';

const BURST = 1_000;

async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'relatoria-durability-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Reads the stored rows of one board straight from the SQLite file (a second reader; WAL allows it). */
function storedRows(dataDir: string, board: BoardRef) {
  const db = new Database(join(dataDir, 'relatoria.db'), { readonly: true, fileMustExist: true });
  try {
    const name = boardDocName(board);
    const snapshot = db.prepare('SELECT through_seq FROM doc_snapshots WHERE doc = ?').get(name) as { through_seq: number } | undefined;
    const { n } = db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ?').get(name) as { n: number };
    return { snapshotThrough: snapshot?.through_seq ?? null, updates: n };
  } finally {
    db.close();
  }
}

const cardIds = (doc: Y.Doc) => listCards(doc).map((c) => c.id).sort();

describe('board durability of the real server process', () => {
  it(`keeps all of a ${BURST}-update burst a peer received across kill -9, snapshot and tail alike`, async () => {
    const dataDir = await tempDataDir();
    const first = await spawnServer({ dataDir });
    const w = await setupWorkshop(first.url);
    const sender = await syncedClient(first.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const peer = await syncedClient(first.wsUrl, w.boardA, await w.participant('A', 'Beto'));

    for (let i = 0; i < BURST; i++) addCard(sender.doc, { text: `idea ${i}`, author: 'Ana' });
    await waitFor(() => listCards(peer.doc).length === BURST, 20_000, `the peer to receive all ${BURST} cards`);
    // The server compacts every 500 updates: after the burst the board is stored as a snapshot…
    await waitFor(() => storedRows(dataDir, w.boardA).snapshotThrough !== null, 5_000, 'a compaction during the burst');
    // …and, once a card or two more are in, updates after it: the restart below must load both.
    let total = BURST;
    while (storedRows(dataDir, w.boardA).updates === 0) {
      addCard(sender.doc, { text: `idea ${total++}`, author: 'Ana' });
      await waitFor(() => listCards(peer.doc).length === total, 5_000, 'the peer to receive one more card');
    }
    const received = cardIds(peer.doc);
    // The process's metrics count its group commits: more than none, fewer than the updates.
    const scrape = await (await fetch(`${first.url}/metrics`)).text();
    const counted = (name: string) => COMMIT_CAUSES
      .map((cause) => Number(new RegExp(`^${name}\\{cause="${cause}"\\} (\\d+)$`, 'm').exec(scrape)?.[1]))
      .reduce((a, b) => a + b, 0);
    expect(counted('relatoria_store_commits_total')).toBeGreaterThan(0);
    expect(counted('relatoria_store_committed_updates_total')).toBeGreaterThanOrEqual(total);
    expect(counted('relatoria_store_commits_total')).toBeLessThan(counted('relatoria_store_committed_updates_total'));

    expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    const onDisk = storedRows(dataDir, w.boardA);
    expect(onDisk.snapshotThrough).not.toBe(null);
    expect(onDisk.updates).toBeGreaterThan(0);
    sender.destroy();
    peer.destroy();

    const second = await spawnServer({ dataDir, port: first.port });
    const fresh = await syncedClient(second.wsUrl, w.boardA, w.facilitatorToken);
    expect(cardIds(fresh.doc)).toEqual(received);
    expect(listCards(fresh.doc).map((c) => c.text)).toEqual(Array.from({ length: total }, (_, i) => `idea ${i}`));
  });

  it('loads everything after the idle board was compacted on unload (BOARD_IDLE_MS) and the process killed', async () => {
    const dataDir = await tempDataDir();
    const env = { BOARD_IDLE_MS: '100' };
    const first = await spawnServer({ dataDir, env });
    const w = await setupWorkshop(first.url);
    const writer = await syncedClient(first.wsUrl, w.boardA, await w.participant('A'));
    for (let i = 0; i < 20; i++) addCard(writer.doc, { text: `nota ${i}`, author: 'Ana' });
    const written = cardIds(writer.doc);
    const watcher = await syncedClient(first.wsUrl, w.boardA, w.facilitatorToken);
    await waitFor(() => listCards(watcher.doc).length === 20, 5_000, 'the notes to be on the server');
    writer.destroy();
    watcher.destroy();

    // Unloading compacts: one snapshot through the last update, and no updates left after it.
    await waitFor(() => storedRows(dataDir, w.boardA).updates === 0, 5_000, 'the idle board to be compacted');
    expect(storedRows(dataDir, w.boardA).snapshotThrough).toBeGreaterThan(0);
    await first.kill('SIGKILL');

    const second = await spawnServer({ dataDir, env });
    const fresh = await syncedClient(second.wsUrl, w.boardA, w.facilitatorToken);
    expect(cardIds(fresh.doc)).toEqual(written);
  });

  it('a graceful stop (SIGTERM) compacts the open board, exits 0, and a restart loads everything', async () => {
    const dataDir = await tempDataDir();
    const first = await spawnServer({ dataDir });
    const w = await setupWorkshop(first.url);
    const writer = await syncedClient(first.wsUrl, w.boardA, await w.participant('A'));
    for (let i = 0; i < 30; i++) addCard(writer.doc, { text: `nota ${i}`, author: 'Ana' });
    const watcher = await syncedClient(first.wsUrl, w.boardA, w.facilitatorToken);
    await waitFor(() => listCards(watcher.doc).length === 30, 5_000, 'the notes to be on the server');
    const written = cardIds(writer.doc);

    expect(await first.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(storedRows(dataDir, w.boardA)).toEqual({ snapshotThrough: expect.any(Number), updates: 0 });
    writer.destroy();
    watcher.destroy();

    const second = await spawnServer({ dataDir });
    const fresh = await syncedClient(second.wsUrl, w.boardA, w.facilitatorToken);
    expect(cardIds(fresh.doc)).toEqual(written);
  });
});
