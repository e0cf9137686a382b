// SIGTERM drains the real process (server/main.ts as a child): readiness answers 503
// "draining" at once while the process still serves, new board sockets are refused with
// 503, open board sockets are closed with 1012 and Socket.IO transports cut (both kinds of
// client reconnect on their own), every write a peer saw is stored, and the process exits 0
// within its bound. Started again, it serves the same people, who carry on.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { addCard } from '../../shared/board.js';
import { CloseCode } from '../../shared/close-codes.js';
import { boardDocName } from '../../shared/doc-name.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { setupWorkshop } from '../helpers/api.js';
import { storedBoard, texts } from '../helpers/board.js';
import { spawnServer } from '../helpers/child-server.js';
import { connectSocket } from '../helpers/facilitation.js';
import { waitFor } from '../helpers/wait.js';
import { syncedClient } from '../helpers/yclient.js';

// Long enough for the checks below on a loaded machine: they must all land inside the notice.
const NOTICE_MS = 6_000;

/** The status of a board upgrade's answer: 101 when accepted. */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (err) => reject(err));
  });
}

describe('SIGTERM drains the server process', () => {
  it('readiness 503 at once, sockets closed to reconnect, every write stored, exit 0; the people carry on after a restart', { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'relatoria-drain-'));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const env = { DRAIN_NOTICE_MS: String(NOTICE_MS), DRAIN_TIMEOUT_MS: '30000' };
    const first = await spawnServer({ dataDir, env });
    const w = await setupWorkshop(first.url);
    const writer = await syncedClient(first.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const watcher = await syncedClient(first.wsUrl, w.boardA, w.facilitatorToken);
    const console = await connectSocket(first.url, w.facilitatorToken, { reconnection: true });
    const disconnects: string[] = [];
    console.socket.on('disconnect', (reason) => disconnects.push(reason));

    // Ana types all along, through the drain, the exit and the restart.
    let typed = 0;
    const typing = setInterval(() => addCard(writer.doc, { text: `idea ${typed++}`, author: 'Ana' }), 5);
    onTestFinished(() => clearInterval(typing));
    await waitFor(() => texts(watcher.doc).length >= 50, 15_000, 'the watcher to see 50 cards');

    const signalled = Date.now();
    first.proc.kill('SIGTERM');
    // During the notice the process still serves: alive, not ready, and it takes no new board socket.
    await waitFor(async () => (await fetch(`${first.url}/readyz`)).status === 503, 4_000, '/readyz to answer 503');
    const readyz = await fetch(`${first.url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(((await readyz.json()) as { reason: string }).reason).toContain('draining');
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    const boardUrl = `${first.wsUrl}/yjs/${encodeURIComponent(boardDocName(w.boardA))}?token=${encodeURIComponent(w.facilitatorToken)}`;
    expect(await upgradeStatus(boardUrl)).toBe(503);
    expect(Date.now() - signalled).toBeLessThan(NOTICE_MS);
    expect(watcher.provider.wsconnected).toBe(true); // open sockets stay until the notice ends

    const exit = await first.exited;
    const tookMs = Date.now() - signalled;
    const seen = texts(watcher.doc);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(30_000);
    expect(first.output()).toContain('"msg":"stopped"');
    expect(writer.closeCodes).toContain(CloseCode.ServiceRestart);
    expect(watcher.closeCodes).toContain(CloseCode.ServiceRestart);
    // A cut transport (not a server-side disconnect): the client reconnects on its own.
    expect(disconnects).toContain('transport close');
    expect(console.socket.active).toBe(true);

    // Everything the watcher saw (relayed only once stored) was stored before the exit.
    const store = new SqliteStore(join(dataDir, 'relatoria.db'));
    const stored = texts(await storedBoard(store, w.boardA));
    await store.close();
    expect(seen.length).toBeGreaterThan(50);
    expect(stored).toEqual(expect.arrayContaining(seen));

    // Started again on its port, it serves the same people: both kinds of client come back on their own.
    const second = await spawnServer({ dataDir, port: first.port, env });
    await waitFor(() => console.socket.connected, 15_000, 'the Socket.IO client to reconnect');
    await waitFor(() => writer.provider.synced && watcher.provider.synced, 15_000, 'the board clients to reconnect and sync');
    clearInterval(typing);
    await waitFor(() => texts(watcher.doc).length === typed && texts(writer.doc).length === typed, 15_000, `both clients to hold all ${typed} cards`);
    expect(texts(watcher.doc)).toEqual(texts(writer.doc));
    await second.kill('SIGTERM');
    const again = new SqliteStore(join(dataDir, 'relatoria.db'));
    expect(texts(await storedBoard(again, w.boardA))).toEqual(texts(writer.doc));
    await again.close();
  });
});
