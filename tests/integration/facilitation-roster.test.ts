// The roster: a moved participant writes its new group's board at once and only reads
// its old one; a removed participant's token stops working at once on every channel —
// its open sockets are closed, new ones refused, HTTP answers 401.
import { describe, expect, it } from 'vitest';
import { addCard, listCards } from '../../shared/board.js';
import { CloseCode, DENIED_READ_ONLY } from '../../shared/close-codes.js';
import { api, joinWorkshop, setupWorkshop } from '../helpers/api.js';
import { hasCard, storedBoard } from '../helpers/board.js';
import { boardUrl, openRaw } from '../helpers/raw-ws.js';
import { connectSocket, flush, refusedHandshake } from '../helpers/facilitation.js';
import { startServer } from '../helpers/server.js';
import { waitFor, within } from '../helpers/wait.js';
import { nextClose, roundTrip, syncedClient } from '../helpers/yclient.js';

describe('participant:move', () => {
  it('moves a participant: its open board socket on the old group turns read-only, it writes the new group, and hears the new group', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const beto = await joinWorkshop(t.url, w.workshop, w.boardB.groupId, 'Beto');
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    const betoS = await connectSocket(t.url, beto.token);
    const oldBoard = await syncedClient(t.wsUrl, w.boardB, beto.token);
    const newBoard = await syncedClient(t.wsUrl, w.boardA, beto.token); // open before the move: read-only then
    const watcherA = await syncedClient(t.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    addCard(newBoard.doc, { text: 'Antes de moverme', author: 'Beto' });
    await roundTrip(newBoard);
    expect(newBoard.denied).toEqual([DENIED_READ_ONLY]);

    expect(await facilitator.command({ type: 'participant:move', participantId: beto.participantId, groupId: w.boardA.groupId })).toEqual({ ok: true });
    expect((await betoS.next('you:moved'))[0]).toBe(w.boardA.groupId);
    const [roster] = await facilitator.next('roster:update', (r) => r.some((p) => p.participantId === beto.participantId && p.groupId === w.boardA.groupId));
    expect(roster.filter((p) => p.participantId === beto.participantId)).toHaveLength(1);

    // The same open sockets, judged by the new group: the old board is read-only, the new one writable.
    addCard(oldBoard.doc, { text: 'En mi grupo viejo', author: 'Beto' });
    await roundTrip(oldBoard);
    expect(oldBoard.denied).toEqual([DENIED_READ_ONLY]);
    expect(listCards(await storedBoard(t.store, w.boardB))).toEqual([]);
    const fresh = await syncedClient(t.wsUrl, w.boardA, beto.token);
    addCard(fresh.doc, { text: 'En mi grupo nuevo', author: 'Beto' });
    await waitFor(() => hasCard(watcherA, 'En mi grupo nuevo'), 5_000, "Beto's card to reach group A");
    expect(fresh.denied).toEqual([]);
    // A new board socket to the old group: read-only too.
    const again = await syncedClient(t.wsUrl, w.boardB, beto.token);
    addCard(again.doc, { text: 'Otra vez en el viejo', author: 'Beto' });
    await roundTrip(again);
    expect(again.denied).toEqual([DENIED_READ_ONLY]);
    expect(listCards(await storedBoard(t.store, w.boardB))).toEqual([]);

    // Announcements follow the move; the API and a new snapshot say the new group.
    expect(await facilitator.command({ type: 'announce', text: 'Grupo A: cinco minutos', groupId: w.boardA.groupId })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'announce', text: 'Grupo B: cinco minutos', groupId: w.boardB.groupId })).toEqual({ ok: true });
    expect((await betoS.next('announcement'))[0]).toMatchObject({ text: 'Grupo A: cinco minutos', groupId: w.boardA.groupId });
    await flush(betoS);
    expect(betoS.all('announcement').map(([a]) => a.text)).toEqual(['Grupo A: cinco minutos']);
    expect((await api(t.url, 'GET', '/api/me', { token: beto.token })).body).toMatchObject({ groupId: w.boardA.groupId });
    expect((await connectSocket(t.url, beto.token)).snapshot.you.groupId).toBe(w.boardA.groupId);
  });
});

describe('participant:remove', () => {
  it('closes its open Socket.IO and board sockets, refuses new ones, and HTTP answers 401', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const ana = await joinWorkshop(t.url, w.workshop, w.boardA.groupId, 'Ana');
    const alba = await joinWorkshop(t.url, w.workshop, w.boardA.groupId, 'Alba');
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    const anaS = await connectSocket(t.url, ana.token);
    const albaS = await connectSocket(t.url, alba.token);
    const anaBoard = await syncedClient(t.wsUrl, w.boardA, ana.token);
    const albaBoard = await syncedClient(t.wsUrl, w.boardA, alba.token);
    expect((await api(t.url, 'GET', `/api/workshops/${w.workshop.id}`, { token: ana.token })).status).toBe(200);

    const socketGone = new Promise<string>((resolve) => anaS.socket.once('disconnect', (reason) => resolve(reason)));
    const boardGone = nextClose(anaBoard.provider);
    expect(await facilitator.command({ type: 'participant:remove', participantId: ana.participantId })).toEqual({ ok: true });

    expect(await within(socketGone, 5_000, "Ana's socket to be disconnected")).toBe('io server disconnect');
    expect(anaS.all('you:removed')).toHaveLength(1);
    expect(await boardGone).toBe(CloseCode.Unauthorized);
    expect(await refusedHandshake(t.url, ana.token)).toBe('unauthorized');
    const raw = openRaw(boardUrl(t.wsUrl, w.boardA, ana.token));
    expect((await within(raw.closed, 5_000, 'the board socket to close')).code).toBe(CloseCode.Unauthorized);
    expect((await api(t.url, 'GET', `/api/workshops/${w.workshop.id}`, { token: ana.token })).status).toBe(401);
    expect((await api(t.url, 'GET', '/api/me', { token: ana.token })).status).toBe(401);

    // The rest carry on: Alba still writes and is still connected; the roster no longer lists Ana.
    expect(albaS.socket.connected).toBe(true);
    addCard(albaBoard.doc, { text: 'Seguimos', author: 'Alba' });
    await roundTrip(albaBoard);
    expect(albaBoard.denied).toEqual([]);
    const [roster] = await facilitator.next('roster:update', (r) => !r.some((p) => p.participantId === ana.participantId));
    expect(roster.map((p) => p.name)).toEqual(['Alba']);
    expect(await facilitator.command({ type: 'participant:remove', participantId: ana.participantId })).toMatchObject({ ok: false, error: 'not_found' });
    // Her board, stopped by the 4401, does not come back on its own.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(anaBoard.provider.wsconnected).toBe(false);
    expect(anaBoard.closeCodes).toEqual([CloseCode.Unauthorized]);
  });
});

describe('a removed participant rejoining', () => {
  it('is refused from the browser it joined from (403 removed), under any name; another browser, and everyone else, still join', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const join = (name: string, device?: string) =>
      api<{ error?: { code: string } }>(t.url, 'POST', `/api/workshops/${w.workshop.id}/join`, {
        json: { code: w.workshop.joinCode, name, groupId: w.boardA.groupId, ...(device ? { device } : {}) },
      });
    const laptop = 'k'.repeat(20) + 'laptop';
    const first = await join('Ana', laptop);
    expect(first.status).toBe(201);
    const ana = first.body as unknown as { participantId: string };
    // Before any removal the same browser may join again (a second tab, a new name).
    expect((await join('Ana bis', laptop)).status).toBe(201);
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    expect(await facilitator.command({ type: 'participant:remove', participantId: ana.participantId })).toEqual({ ok: true });

    for (const name of ['Ana', 'Otra persona']) {
      const again = await join(name, laptop);
      expect(again.status).toBe(403);
      expect(again.body.error?.code).toBe('removed');
    }
    expect((await join('Beto', 'b'.repeat(24))).status).toBe(201);
    // A key is per workshop: the same browser joins another workshop freely.
    const other = await setupWorkshop(t.url);
    const elsewhere = await api(t.url, 'POST', `/api/workshops/${other.workshop.id}/join`, {
      json: { code: other.workshop.joinCode, name: 'Ana', groupId: other.boardA.groupId, device: laptop },
    });
    expect(elsewhere.status).toBe(201);
    // A malformed key is a 400, never stored.
    expect((await join('Ana', 'x')).status).toBe(400);
  });
});
