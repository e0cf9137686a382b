// With a store whose writes take a while (PostgreSQL across a network, a busy disk),
// a client that types and closes at once still has every edit stored: the edits it sent
// before closing are handled after the close, and the board is not unloaded — nor a
// fresh copy loaded — until they are in the store.
import { describe, expect, it } from 'vitest';
import { addCard } from '../../shared/board.js';
import { setupWorkshop } from '../helpers/api.js';
import { nameOf, storedBoard, texts } from '../helpers/board.js';
import { startServer } from '../helpers/server.js';
import { syncedClient } from '../helpers/yclient.js';
import { waitFor } from '../helpers/wait.js';

describe('a slow store', () => {
  it('keeps every edit of clients that write and leave at once, across unloads and reloads', async () => {
    const t = await startServer({ appendDelayMs: 25, boardIdleMs: 1 });
    const w = await setupWorkshop(t.url);
    const token = await w.participant('A');
    const written: string[] = [];
    for (let round = 0; round < 4; round++) {
      const client = await syncedClient(t.wsUrl, w.boardA, token);
      for (let i = 0; i < 5; i++) {
        written.push(`r${round}-${i}`);
        addCard(client.doc, { text: `r${round}-${i}`, author: 'Ana' }); // one update each
      }
      client.destroy(); // while the first of them is still being stored
    }
    const all = JSON.stringify([...written].sort());
    await waitFor(async () => JSON.stringify(texts(await storedBoard(t.store, w.boardA))) === all, 10_000, 'every card to be stored');
    await waitFor(() => t.server.registry.loadedCount === 0, 10_000, 'the board to be unloaded');
    // The unload compacted it all.
    await waitFor(async () => (await t.store.loadDoc(nameOf(w.boardA))).updates.length === 0, 10_000, 'the last compaction');
    const reader = await syncedClient(t.wsUrl, w.boardA, w.facilitatorToken);
    expect(texts(reader.doc)).toEqual([...written].sort());
    expect(t.log.at('error')).toEqual([]);
  });
});
