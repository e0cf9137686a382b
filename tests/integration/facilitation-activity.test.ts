// The console's per-group figures agree with the boards and follow them promptly: a new
// board counts no words (its template's headings are nobody's), each change reaches the
// facilitator within a second or so (not at the next 5-second tick), and a board that
// was unloaded while idle keeps its figures instead of dropping to zero. A board nobody
// changed is not counted again when another one changes (counting walks the whole board).
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { addCard } from '../../shared/board.js';
import type { GroupActivity } from '../../shared/protocol.js';
import { joinWorkshop, setupWorkshop } from '../helpers/api.js';
import { connectSocket } from '../helpers/facilitation.js';
import { startServer } from '../helpers/server.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';
import { waitFor } from '../helpers/wait.js';

const of = (activity: GroupActivity[], groupId: string) => activity.find((a) => a.groupId === groupId)!;

describe('the console’s activity figures', () => {
  it('start at zero words, follow each change within a second or so, agree with the last change, and survive an unloaded board', async () => {
    const t = await startServer({ boardIdleMs: 300 });
    const w = await setupWorkshop(t.url);
    const A = w.boardA.groupId;
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    const [first] = await facilitator.next('activity:update');
    // Untouched boards: nothing written, no change seen — and the two agree.
    for (const a of first) expect(a).toMatchObject({ cards: 0, words: 0, lastActivityAt: null });

    const ana = await joinWorkshop(t.url, w.workshop, A, 'Ana');
    const board = await syncedClient(t.wsUrl, w.boardA, ana.token);
    // Three ideas, two seconds apart: each shows on the console within 3 s of being stored.
    // (The 5-second tick alone cannot meet that for all three.)
    for (const [i, text] of ['Redes locales', 'Financiamiento público privado', 'Medir impacto'].entries()) {
      const since = facilitator.events.length;
      addCard(board.doc, { text, author: 'Ana' });
      await roundTrip(board);
      const stored = Date.now();
      const [update] = await facilitator.next('activity:update', (a) => of(a, A).cards === i + 1, since, 3000);
      expect(Date.now() - stored).toBeLessThan(3000);
      expect(of(update, A).lastActivityAt).not.toBeNull();
      if (i < 2) await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    const words = 2 + 3 + 2;
    await facilitator.next('activity:update', (a) => of(a, A).words === words);

    // Everyone leaves; the board is unloaded when idle. The figures stay what they were.
    board.destroy();
    await waitFor(() => t.server.registry.peek(`${w.workshop.id}/${A}`) === undefined, 5000, 'the idle board to unload');
    const again = await connectSocket(t.url, w.facilitatorToken);
    const [after] = await again.next('activity:update');
    expect(of(after, A)).toMatchObject({ cards: 3, words });
  });

  it('count again only the boards that changed, and still follow a change to any of them', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const [A, B] = [w.boardA.groupId, w.boardB.groupId];
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    const ana = await syncedClient(t.wsUrl, w.boardA, (await joinWorkshop(t.url, w.workshop, A, 'Ana')).token);
    const bea = await syncedClient(t.wsUrl, w.boardB, (await joinWorkshop(t.url, w.workshop, B, 'Bea')).token);
    addCard(bea.doc, { text: 'Alianzas con universidades', author: 'Bea' });
    await roundTrip(bea);
    await facilitator.next('activity:update', (a) => of(a, B).cards === 1);

    // Board B's reads counted from here on, while only board A is written.
    const boardB = t.server.registry.peek(`${w.workshop.id}/${B}`)!;
    const read = boardB.read.bind(boardB);
    let readsOfB = 0;
    boardB.read = <T>(reader: (doc: Y.Doc) => T) => (readsOfB++, read(reader));
    for (const [i, text] of ['Redes locales', 'Medir impacto'].entries()) {
      addCard(ana.doc, { text, author: 'Ana' });
      await roundTrip(ana);
      const [update] = await facilitator.next('activity:update', (a) => of(a, A).cards === i + 1);
      expect(of(update, B)).toMatchObject({ cards: 1, words: 3 });
    }
    expect(readsOfB).toBe(0);

    // A change to B is counted at the next push.
    addCard(bea.doc, { text: 'Fondos semilla', author: 'Bea' });
    await roundTrip(bea);
    const [after] = await facilitator.next('activity:update', (a) => of(a, B).cards === 2);
    expect(of(after, B).words).toBe(5);
    expect(readsOfB).toBeGreaterThan(0);
    ana.destroy();
    bea.destroy();
  });
});
