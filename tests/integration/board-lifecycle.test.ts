// A board's life in memory: loaded on the first connection, compacted every
// `compactEvery` updates, unloaded (after a last compaction) when nobody has it
// open for `boardIdleMs`. Churning through all of it loses nothing, and the last
// unload leaves one snapshot.
import { describe, expect, it } from 'vitest';
import { addCard } from '../../shared/board.js';
import { setupWorkshop } from '../helpers/api.js';
import { nameOf, storedBoard, texts } from '../helpers/board.js';
import { startServer } from '../helpers/server.js';
import { syncedClient } from '../helpers/yclient.js';
import { waitFor } from '../helpers/wait.js';

describe('board lifecycle', () => {
  it('connecting, writing and leaving 30 times, with unloads after 1 ms and compaction every 3 updates, loses nothing; an unload compacts what is left', async () => {
    const t = await startServer({ boardIdleMs: 1, compactEvery: 3 });
    const w = await setupWorkshop(t.url);
    const token = await w.participant('A');
    const written: string[] = [];
    for (let round = 0; round < 30; round++) {
      const client = await syncedClient(t.wsUrl, w.boardA, token);
      for (let i = 0; i < 3; i++) {
        written.push(`r${round}-${i}`);
        addCard(client.doc, { text: `r${round}-${i}`, author: 'Ana' });
      }
      // Leave at once or after a few ms, so leaving races the unload of the round before.
      if (round % 2) await new Promise((resolve) => setTimeout(resolve, round % 5));
      client.destroy();
    }
    await waitFor(() => t.server.registry.loadedCount === 0, 5_000, 'the board to be unloaded');
    await waitFor(async () => (await t.store.loadDoc(nameOf(w.boardA))).updates.length === 0, 5_000, 'the compaction on unload');
    // One update more: fewer than `compactEvery`, so only the next unload compacts it.
    const last = await syncedClient(t.wsUrl, w.boardA, token);
    written.push('última');
    addCard(last.doc, { text: 'última', author: 'Ana' });
    await waitFor(async () => (await t.store.loadDoc(nameOf(w.boardA))).updates.length === 1, 5_000, 'the last card to be stored');
    last.destroy();
    await waitFor(() => t.server.registry.loadedCount === 0, 5_000, 'the board to be unloaded');
    // The unload compacted: one snapshot, no updates after it.
    await waitFor(async () => (await t.store.loadDoc(nameOf(w.boardA))).updates.length === 0, 5_000, 'the last compaction');

    const fresh = await syncedClient(t.wsUrl, w.boardA, w.facilitatorToken);
    expect(texts(fresh.doc)).toEqual([...written].sort());
    expect(texts(await storedBoard(t.store, w.boardA))).toEqual([...written].sort());
    expect(t.log.at('error')).toEqual([]);
  });
});
