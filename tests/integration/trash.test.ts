// The board's trash through a real server and stock clients: a card deleted to the trash
// reaches everyone and the store, no export includes it, and another member of the group
// puts it back as it was.
import { describe, expect, it } from 'vitest';
import { addCard, listCards, listTrash, restoreCard, setCardColor, trashCard } from '../../shared/board.js';
import { setupWorkshop } from '../helpers/api.js';
import { storedBoard } from '../helpers/board.js';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';

describe('the board’s trash', () => {
  it('syncs and is stored, stays out of every export, and any member of the group restores from it', async () => {
    const srv = await startServer();
    const w = await setupWorkshop(srv.url);
    const ana = await syncedClient(srv.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const bruno = await syncedClient(srv.wsUrl, w.boardA, await w.participant('A', 'Bruno'));
    const id = addCard(bruno.doc, { text: 'Idea borrada por error', author: 'Bruno' });
    setCardColor(bruno.doc, id, 'purple');
    addCard(bruno.doc, { text: 'Idea que queda', author: 'Bruno' });
    await waitFor(() => listCards(ana.doc).length === 2, 5_000, 'the cards to reach Ana');
    const before = listCards(ana.doc);

    expect(trashCard(ana.doc, id, 'Ana')).toBe(true);
    await roundTrip(ana);
    await waitFor(() => listTrash(bruno.doc).length === 1, 5_000, 'the trash to reach Bruno');
    expect(listTrash(bruno.doc)[0]).toMatchObject({ id, text: 'Idea borrada por error', author: 'Bruno', color: 'purple', deletedBy: 'Ana' });
    expect(listTrash(await storedBoard(srv.store, w.boardA)).map((c) => c.id)).toEqual([id]);

    for (const format of ['md', 'html', 'json']) {
      const res = await fetch(`${srv.url}/api/workshops/${w.workshop.id}/export?format=${format}&annex=1`, { headers: { authorization: `Bearer ${w.facilitatorToken}` } });
      const body = await res.text();
      expect(res.status, format).toBe(200);
      expect(body, format).toContain('Idea que queda');
      expect(body, format).not.toContain('Idea borrada por error');
    }

    expect(restoreCard(bruno.doc, id)).toBe(true);
    await roundTrip(bruno);
    await waitFor(() => listCards(ana.doc).length === 2, 5_000, 'the restored card to reach Ana');
    expect(listCards(ana.doc)).toEqual(before);
    expect(listTrash(ana.doc)).toEqual([]);
    expect(listCards(await storedBoard(srv.store, w.boardA))).toEqual(before);
  });
});
