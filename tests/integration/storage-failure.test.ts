// A store that cannot write (SQLite full: PRAGMA max_page_count) must not let an
// edit reach anyone: nothing is relayed that was not stored. The sender is told to
// come back (1013), the failure is logged, the server stays up, and once the store
// can write again the stock client resends by itself and the edit arrives.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard } from '../../shared/board.js';
import { CloseCode } from '../../shared/close-codes.js';
import { setupWorkshop } from '../helpers/api.js';
import { barrier, hasCard, nameOf, texts } from '../helpers/board.js';
import { healthy } from '../helpers/child-server.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { connectBoard, nextClose, syncedClient, waitForSynced } from '../helpers/yclient.js';
import { waitFor } from '../helpers/wait.js';
import { storedBoard } from '../helpers/board.js';

const pragma = (t: TestServer, name: string) => t.store.db.pragma(name, { simple: true }) as number;

/** Lets the database grow no further: the next insert that needs a new page fails with SQLITE_FULL. */
function fillDisk(t: TestServer): Promise<void> {
  return t.store.pragma(`max_page_count = ${pragma(t, 'page_count')}`);
}
function freeDisk(t: TestServer): Promise<void> {
  return t.store.pragma('max_page_count = 1073741823');
}

/** One update too big for the pages the database has left (free pages included). */
function bigEdit(doc: Y.Doc, t: TestServer, label: string): void {
  const bytesNeeded = (pragma(t, 'freelist_count') + 4) * pragma(t, 'page_size');
  doc.transact(() => {
    addCard(doc, { text: label, author: 'Ana' });
    for (let i = 0; i * 1_900 < bytesNeeded; i++) addCard(doc, { text: `${label} ${i} ${'x'.repeat(1_900)}`, author: 'Ana' });
  });
}

describe('board storage failure', () => {
  it('a full disk: the edit is not relayed, the sender is closed with 1013, the error is logged, the server stays up; with space back the edit arrives by itself and is stored', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const sender = await syncedClient(t.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const other = await syncedClient(t.wsUrl, w.boardA, await w.participant('A', 'Beto'));
    await barrier(sender, [other], 'antes');

    await fillDisk(t);
    const senderClosed = nextClose(sender.provider);
    const otherClosed = nextClose(other.provider);
    bigEdit(sender.doc, t, 'sin espacio');

    expect(await senderClosed).toBe(CloseCode.TryAgainLater);
    // The board was dropped and everyone reconnects to what the store holds; a relay of
    // the edit would have reached `other` before its own close, on the same socket.
    expect(await otherClosed).toBe(CloseCode.TryAgainLater);
    expect(hasCard(other, 'sin espacio')).toBe(false);
    await waitForSynced(other.provider);
    expect(hasCard(other, 'sin espacio')).toBe(false);

    const failures = t.log.at('error').filter((e) => e.message.includes('storing an update failed'));
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]!.fields).toMatchObject({ board: nameOf(w.boardA), err: expect.objectContaining({ code: 'SQLITE_FULL' }) });
    expect(await healthy(t.url)).toBe(true);
    expect(texts(await storedBoard(t.store, w.boardA))).toEqual(['antes']);

    // The sender keeps its edit and retries on its own; each retry fails the same way.
    await waitFor(() => sender.closeCodes.length >= 2, 5_000, 'the sender to retry and fail again');
    expect(new Set(sender.closeCodes)).toEqual(new Set([CloseCode.TryAgainLater]));
    expect(hasCard(other, 'sin espacio')).toBe(false);

    await freeDisk(t);
    await waitFor(() => hasCard(other, 'sin espacio'), 10_000, 'the edit to arrive once the store can write');
    expect(texts(await storedBoard(t.store, w.boardA))).toEqual(texts(sender.doc));
    await barrier(other, [sender]);
  });
});

/** A store outage that heals: the table is renamed away (every query on it fails), then back. */
function outage(t: TestServer, table: string) {
  t.store.db.exec(`ALTER TABLE ${table} RENAME TO ${table}_away`);
  return { end: () => t.store.db.exec(`ALTER TABLE ${table}_away RENAME TO ${table}`) };
}

describe('store outage while a board socket opens', () => {
  it('while authenticating: the socket is closed with 1013 (retry), not 4401, and the stock client gets in by itself once the store is back', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const token = await w.participant('A');
    const down = outage(t, 'workshops');

    const client = connectBoard(t.wsUrl, w.boardA, token);
    expect(await nextClose(client.provider)).toBe(CloseCode.TryAgainLater);
    down.end();
    await waitForSynced(client.provider);
    expect(new Set(client.closeCodes)).toEqual(new Set([CloseCode.TryAgainLater]));
  });

  it('while loading the board: the socket is closed with 1013, the failure is logged without the token, and the client gets in once the store is back', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const token = await w.participant('A');
    const down = outage(t, 'groups');

    const client = connectBoard(t.wsUrl, w.boardA, token);
    expect(await nextClose(client.provider)).toBe(CloseCode.TryAgainLater);
    expect(t.log.at('error').length).toBeGreaterThan(0);
    expect(JSON.stringify(t.log.entries)).not.toContain(token);
    down.end();
    await waitForSynced(client.provider);
  });
});

