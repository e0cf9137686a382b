// Locks, through stock y-websocket clients: a locked board is read-only for everyone,
// its facilitator included. A write sent during the lock is dropped — not relayed, not
// stored — and its sender is told `read-only`; after unlocking, writes work again; the
// lock survives a restart of the server.
import { describe, expect, it } from 'vitest';
import { addCard, listCards } from '../../shared/board.js';
import { DENIED_READ_ONLY } from '../../shared/close-codes.js';
import { api, joinWorkshop, setupWorkshop } from '../helpers/api.js';
import { hasCard, storedBoard } from '../helpers/board.js';
import { connectSocket, workshopView } from '../helpers/facilitation.js';
import { startRestartableServer } from '../helpers/restartable-server.js';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { roundTrip, syncedClient, type BoardClient } from '../helpers/yclient.js';

/** Adds a card and waits until the server has handled it (applied or refused). */
async function write(client: BoardClient, text: string): Promise<void> {
  addCard(client.doc, { text, author: 'test' });
  await roundTrip(client);
}

const lockedOf = (view: Record<string, unknown>) => (view.groups as Array<{ id: string; locked: boolean }>).filter((g) => g.locked).map((g) => g.id);

describe('a locked board', () => {
  it.each([['the Socket.IO command'], ['the HTTP twin']])(
    'locked through %s: writes of its participant and of the facilitator are dropped and denied; unlocked, writes work again',
    async (via) => {
      const t = await startServer();
      const w = await setupWorkshop(t.url);
      const bea = await joinWorkshop(t.url, w.workshop, w.boardB.groupId, 'Bea');
      const writer = await syncedClient(t.wsUrl, w.boardB, bea.token);
      const watcher = await syncedClient(t.wsUrl, w.boardB, await w.participant('B', 'Bruno'));
      const facilitatorBoard = await syncedClient(t.wsUrl, w.boardB, w.facilitatorToken);
      const otherGroup = await syncedClient(t.wsUrl, w.boardA, await w.participant('A', 'Ana'));
      const facilitator = await connectSocket(t.url, w.facilitatorToken);
      const beaSocket = await connectSocket(t.url, bea.token);

      if (via === 'the HTTP twin') {
        const res = await api(t.url, 'POST', `/api/workshops/${w.workshop.id}/groups/${w.boardB.groupId}/lock`, { token: w.facilitatorToken, json: { locked: true } });
        expect(res).toMatchObject({ status: 200, body: { groupId: w.boardB.groupId, locked: true } });
      } else {
        expect(await facilitator.command({ type: 'lock:set', groupId: w.boardB.groupId, locked: true })).toEqual({ ok: true });
      }
      // Everyone is told; the API shows it.
      await beaSocket.next('session:state', (s) => s.lockedGroups.includes(w.boardB.groupId));
      expect(lockedOf(await workshopView(t.url, w.workshop.id, w.facilitatorToken))).toEqual([w.boardB.groupId]);

      await write(writer, 'Escrita durante el bloqueo');
      await write(facilitatorBoard, 'La facilitadora también');
      expect(writer.denied).toEqual([DENIED_READ_ONLY]);
      expect(facilitatorBoard.denied).toEqual([DENIED_READ_ONLY]);
      await write(otherGroup, 'El grupo A sigue escribiendo'); // only B is locked
      expect(otherGroup.denied).toEqual([]);

      // Not relayed (the watcher's own sync answer would carry it too), not stored, not loaded by a new client.
      await roundTrip(watcher);
      expect(listCards(watcher.doc)).toEqual([]);
      expect(listCards(await storedBoard(t.store, w.boardB))).toEqual([]);
      const fresh = await syncedClient(t.wsUrl, w.boardB, await w.participant('B', 'Berta'));
      expect(listCards(fresh.doc)).toEqual([]);
      expect(listCards(await storedBoard(t.store, w.boardA)).map((c) => c.text)).toEqual(['El grupo A sigue escribiendo']);

      if (via === 'the HTTP twin') {
        const res = await api(t.url, 'POST', `/api/workshops/${w.workshop.id}/groups/${w.boardB.groupId}/lock`, { token: w.facilitatorToken, json: { locked: false } });
        expect(res.status).toBe(200);
      } else {
        expect(await facilitator.command({ type: 'lock:set', groupId: w.boardB.groupId, locked: false })).toEqual({ ok: true });
      }
      expect(lockedOf(await workshopView(t.url, w.workshop.id, w.facilitatorToken))).toEqual([]);

      // A writer whose copy holds no refused edit (our client drops its copy on `read-only`) writes again.
      await write(fresh, 'Después del desbloqueo');
      await waitFor(() => hasCard(watcher, 'Después del desbloqueo'), 5_000, 'the new card to reach the watcher');
      expect(fresh.denied).toEqual([]);
      // During the lock nothing was applied: the refused edits are nowhere on the server.
      const stored = listCards(await storedBoard(t.store, w.boardB)).map((c) => c.text);
      expect(stored).toEqual(['Después del desbloqueo']);
      expect(listCards(watcher.doc).map((c) => c.text)).toEqual(['Después del desbloqueo']);
    },
  );

  it("'all' locks every board, and a board opened after the lock is read-only from its first message", async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    expect(await facilitator.command({ type: 'lock:set', groupId: 'all', locked: true })).toEqual({ ok: true });
    expect(lockedOf(await workshopView(t.url, w.workshop.id, w.facilitatorToken)).sort()).toEqual([w.boardA.groupId, w.boardB.groupId].sort());

    // A client arriving with content of its own: its sync step 2 is a write, and it is refused.
    const offline = new (await import('yjs')).Doc();
    addCard(offline, { text: 'Traída sin conexión', author: 'Ana' });
    const late = await syncedClient(t.wsUrl, w.boardA, await w.participant('A', 'Ana'), { doc: offline });
    await roundTrip(late);
    expect(late.denied).toEqual([DENIED_READ_ONLY]);
    expect(listCards(await storedBoard(t.store, w.boardA))).toEqual([]);
  });

  it('the HTTP twin refuses a bad body and an unknown group, and changes nothing', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const path = (g: string) => `/api/workshops/${w.workshop.id}/groups/${g}/lock`;
    const before = await workshopView(t.url, w.workshop.id, w.facilitatorToken);
    expect((await api(t.url, 'POST', path(w.boardB.groupId), { token: w.facilitatorToken, json: { locked: 'yes' } })).status).toBe(400);
    expect((await api(t.url, 'POST', path(w.boardB.groupId), { token: w.facilitatorToken, json: {} })).status).toBe(400);
    expect((await api(t.url, 'POST', path(w.boardB.groupId), { token: w.facilitatorToken, raw: '{"locked":' })).status).toBe(400);
    expect((await api(t.url, 'POST', path('nogroup'), { token: w.facilitatorToken, json: { locked: true } })).body).toMatchObject({ error: { code: 'not_found' } });
    expect(await workshopView(t.url, w.workshop.id, w.facilitatorToken)).toEqual(before);
  });

  it('stays locked across a restart of the server: writes are still dropped', async () => {
    const t = await startRestartableServer();
    const w = await setupWorkshop(t.url);
    const bea = await joinWorkshop(t.url, w.workshop, w.boardB.groupId, 'Bea');
    const res = await api(t.url, 'POST', `/api/workshops/${w.workshop.id}/groups/${w.boardB.groupId}/lock`, { token: w.facilitatorToken, json: { locked: true } });
    expect(res.status).toBe(200);

    await t.restart();

    expect(lockedOf(await workshopView(t.url, w.workshop.id, w.facilitatorToken))).toEqual([w.boardB.groupId]);
    const socket = await connectSocket(t.url, bea.token);
    expect(socket.snapshot.session.lockedGroups).toEqual([w.boardB.groupId]);
    const writer = await syncedClient(t.wsUrl, w.boardB, bea.token);
    await write(writer, 'Tras el reinicio');
    expect(writer.denied).toEqual([DENIED_READ_ONLY]);
    expect(listCards(await storedBoard(t.store, w.boardB))).toEqual([]);
  });
});
