// Private writing: with it on, a new card is held by the server and seen by its author
// alone (the facilitator sees counts per group, nobody sees the text); the reveal
// writes every held card into its group's board — stored, and relayed to the clients
// connected to it — and empties the held list.
import { describe, expect, it } from 'vitest';
import { listCards } from '../../shared/board.js';
import { joinWorkshop, setupWorkshop } from '../helpers/api.js';
import { hasCard, storedBoard } from '../helpers/board.js';
import { connectSocket, flush } from '../helpers/facilitation.js';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';

async function setup() {
  const t = await startServer();
  const w = await setupWorkshop(t.url);
  const A = w.boardA.groupId;
  const ana = await joinWorkshop(t.url, w.workshop, A, 'Ana');
  const alba = await joinWorkshop(t.url, w.workshop, A, 'Alba');
  const beto = await joinWorkshop(t.url, w.workshop, w.boardB.groupId, 'Beto');
  const sockets = {
    facilitator: await connectSocket(t.url, w.facilitatorToken),
    ana: await connectSocket(t.url, ana.token),
    alba: await connectSocket(t.url, alba.token),
    beto: await connectSocket(t.url, beto.token),
  };
  return { t, w, A, ana, alba, beto, sockets };
}

describe('private cards', () => {
  it("are seen by their author alone until the reveal writes them into the boards, where connected clients receive them", async () => {
    const { t, w, A, ana, alba, sockets } = await setup();
    const { facilitator, ana: anaS, alba: albaS, beto: betoS } = sockets;
    const albaBoard = await syncedClient(t.wsUrl, w.boardA, alba.token);
    const betoBoard = await syncedClient(t.wsUrl, w.boardB, await w.participant('B', 'Bruno'));

    expect(await facilitator.command({ type: 'private:set', enabled: true })).toEqual({ ok: true });
    await albaS.next('session:state', (s) => s.privateCards);
    const held = await anaS.command({ type: 'card:add-private', text: 'Idea secreta de Ana', color: 'green' });
    expect(held).toMatchObject({ ok: true, id: expect.any(String) });
    const heldId = held.ok ? held.id! : '';
    const heldB = await betoS.command({ type: 'card:add-private', text: 'Idea secreta de Beto', color: 'pink' });
    expect(heldB.ok).toBe(true);

    // The author gets its card; the facilitator gets counts per group, not texts.
    const [mine] = await anaS.next('private:cards', (cards) => cards.length === 1);
    expect(mine).toEqual([{ id: heldId, groupId: A, text: 'Idea secreta de Ana', color: 'green', createdAt: expect.any(Number) }]);
    await facilitator.next('private:counts', (c) => c[A] === 1 && c[w.boardB.groupId] === 1);
    // Alba, in the same group, hears nothing of it: no event carries the text or the id, and her board does not have it.
    await flush(albaS);
    await roundTrip(albaBoard);
    expect(albaS.all('private:cards')).toEqual([]);
    expect(JSON.stringify(albaS.events)).not.toContain('Idea secreta');
    expect(JSON.stringify(albaS.events)).not.toContain(heldId);
    expect(JSON.stringify(facilitator.events)).not.toContain('Idea secreta');
    expect(listCards(albaBoard.doc)).toEqual([]);
    expect(listCards(await storedBoard(t.store, w.boardA))).toEqual([]);
    // A reconnecting author gets its held cards in the snapshot; others get none.
    expect((await connectSocket(t.url, ana.token)).snapshot.you.privateCards.map((c) => c.text)).toEqual(['Idea secreta de Ana']);
    expect((await connectSocket(t.url, alba.token)).snapshot.you.privateCards).toEqual([]);

    // The reveal: written into each group's board, relayed to its connected clients, stored; the held list empties.
    const since = { ana: anaS.events.length, facilitator: facilitator.events.length };
    expect(await facilitator.command({ type: 'private:reveal' })).toEqual({ ok: true });
    await waitFor(() => hasCard(albaBoard, 'Idea secreta de Ana') && hasCard(betoBoard, 'Idea secreta de Beto'), 5_000, 'the revealed cards to reach the boards');
    expect(listCards(albaBoard.doc)).toEqual([expect.objectContaining({ text: 'Idea secreta de Ana', author: 'Ana', color: 'green' })]);
    expect(listCards(betoBoard.doc).map((c) => c.text)).toEqual(['Idea secreta de Beto']);
    expect(listCards(await storedBoard(t.store, w.boardA)).map((c) => c.text)).toEqual(['Idea secreta de Ana']);
    expect((await anaS.next('private:cards', (cards) => cards.length === 0, since.ana))[0]).toEqual([]);
    expect((await facilitator.next('private:counts', () => true, since.facilitator))[0]).toEqual({});
    const [after] = await facilitator.next('session:state', (s) => !s.privateCards, since.facilitator);
    expect(after.privateCards).toBe(false);
    expect((await connectSocket(t.url, ana.token)).snapshot.you.privateCards).toEqual([]);
    // Revealing again writes nothing twice.
    expect(await facilitator.command({ type: 'private:reveal' })).toEqual({ ok: true });
    await roundTrip(albaBoard);
    expect(listCards(await storedBoard(t.store, w.boardA))).toHaveLength(1);
  });

  it('an author may take its held card back; nobody else may', async () => {
    const { t, w, A, sockets } = await setup();
    expect(await sockets.facilitator.command({ type: 'private:set', enabled: true })).toEqual({ ok: true });
    const held = await sockets.ana.command({ type: 'card:add-private', text: 'Me arrepiento', color: 'yellow' });
    if (!held.ok || !held.id) throw new Error('not held');
    expect(await sockets.alba.command({ type: 'card:remove-private', id: held.id })).toMatchObject({ ok: false, error: 'not_found' });
    expect(await sockets.ana.command({ type: 'card:remove-private', id: held.id })).toEqual({ ok: true });
    await sockets.facilitator.next('private:counts', (c) => c[A] === undefined && Object.keys(c).length === 0, 2);
    expect(await sockets.facilitator.command({ type: 'private:reveal' })).toEqual({ ok: true });
    expect(listCards(await storedBoard(t.store, w.boardA))).toEqual([]);
  });

  it('a locked group cannot hold new cards', async () => {
    const { A, sockets } = await setup();
    expect(await sockets.facilitator.command({ type: 'private:set', enabled: true })).toEqual({ ok: true });
    expect(await sockets.facilitator.command({ type: 'lock:set', groupId: A, locked: true })).toEqual({ ok: true });
    expect(await sockets.ana.command({ type: 'card:add-private', text: 'Tarde', color: 'yellow' })).toMatchObject({ ok: false, error: 'forbidden' });
    expect(await sockets.beto.command({ type: 'card:add-private', text: 'A tiempo', color: 'yellow' })).toMatchObject({ ok: true });
  });
});
