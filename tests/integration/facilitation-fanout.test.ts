// The facilitation channel at room scale: what goes to every socket grows with the room,
// not with its square. A dot costs the voter's ballot (to the voter) and a throttled
// progress (to the room), never the whole session state; a dot is stored as one ballot
// row, the session record stays as it was; a room joining at once reaches the
// facilitator as a few roster updates, the last one complete.
import { afterEach, describe, expect, it } from 'vitest';
import { addCard, listCards } from '../../shared/board.js';
import { boardDocName } from '../../shared/doc-name.js';
import { joinWorkshop, setupWorkshop } from '../helpers/api.js';
import { connectSocket, tokenOfLink, type FacilitationClient } from '../helpers/facilitation.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';

let t: TestServer | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

/** Events of `name` a client received after index `since`. */
const countSince = (client: FacilitationClient, name: string, since: number) => client.events.slice(since).filter((e) => e.event === name).length;

describe('facilitation fan-out', () => {
  it('a burst of dots from 12 voters: no session:state, a few progress messages ending on the true count, one ballot row each', async () => {
    t = await startServer();
    const w = await setupWorkshop(t.url);
    const A = w.boardA.groupId;
    const voters = await Promise.all(Array.from({ length: 12 }, (_, i) => joinWorkshop(t!.url, w.workshop, A, `Votante ${i}`)));
    const board = await syncedClient(t.wsUrl, w.boardA, voters[0]!.token);
    const cards = [addCard(board.doc, { text: 'Uno', author: 'V' }), addCard(board.doc, { text: 'Dos', author: 'V' }), addCard(board.doc, { text: 'Tres', author: 'V' })];
    await roundTrip(board);

    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    const link = await facilitator.command({ type: 'link:create', role: 'projector' });
    const projector = await connectSocket(t.url, tokenOfLink(link.ok ? link.link : undefined));
    const sockets = await Promise.all(voters.map((v) => connectSocket(t!.url, v.token)));
    expect(await facilitator.command({ type: 'vote:open', groupIds: [A], budget: 3, maxPerCard: 3, results: 'live' })).toEqual({ ok: true });
    await projector.next('vote:progress', (p) => p.eligible === 12);
    const recordBefore = await t.store.loadSession(w.workshop.id);

    const since = projector.events.length;
    const started = performance.now();
    // Every voter places three dots, one at a time, all voters at once: 36 dots.
    const replies = await Promise.all(sockets.map(async (s) => {
      const acks = [];
      for (const cardId of cards) acks.push(await s.command({ type: 'vote:set', groupId: A, cardId, dots: 1 }));
      return acks;
    }));
    const elapsed = performance.now() - started;
    expect(replies.flat().every((r) => r.ok)).toBe(true);
    const [last] = await projector.next('vote:progress', (p) => p.finished === 12, since);
    expect(last).toEqual({ eligible: 12, voted: 12, finished: 12 });
    // The ranking once all 36 dots are in (one sent while every voter had placed two, and none a third, also has every entry at 12).
    const ranking = await projector.nextRanking((r) => (r ?? []).reduce((sum, c) => sum + c.dots, 0) === 36);
    expect(ranking).toHaveLength(3);
    expect(ranking?.map((c) => c.dots)).toEqual([12, 12, 12]);

    // A dot changes no session state: nobody hears one for it.
    expect(countSince(projector, 'session:state', since)).toBe(0);
    expect(countSince(sockets[5]!, 'session:state', since)).toBe(0);
    // Throttled: at once, then at most every 250 ms, so a few for 36 dots (main sent 36).
    const progress = countSince(projector, 'vote:progress', since);
    expect(progress).toBeLessThanOrEqual(2 + Math.ceil(elapsed / 250));
    expect(progress).toBeLessThan(36);
    // Each voter hears its own ballot, three times, and nobody else's.
    for (const s of sockets) expect(s.all('vote:ballot').map(([b]) => Object.keys(b).length)).toEqual([1, 2, 3]);
    expect(projector.all('vote:ballot')).toEqual([]);

    // Stored: one row per voter; the record was not rewritten for a dot.
    expect(await t.store.loadSession(w.workshop.id)).toBe(recordBefore);
    const round = facilitator.snapshot.session.round ?? (await facilitator.next('session:state', (s) => s.round !== null))[0].round;
    const rows = await t.store.loadBallots(w.workshop.id, round!.id);
    expect(rows.size).toBe(12);
    expect(JSON.parse(rows.get(voters[3]!.participantId)!)).toEqual({ ballot: Object.fromEntries(cards.map((c) => [`${A}/${c}`, 1])), done: false });

    for (const s of [...sockets, projector, facilitator]) s.close();
    board.destroy();
  });

  it('a dot is acknowledged without waiting for the board’s writes to be stored', async () => {
    t = await startServer({ appendDelayMs: 1_500 }); // each board update takes 1.5 s to store
    const w = await setupWorkshop(t.url);
    const A = w.boardA.groupId;
    const voter = await joinWorkshop(t.url, w.workshop, A, 'Votante');
    const writer = await syncedClient(t.wsUrl, w.boardA, voter.token);
    const cardId = addCard(writer.doc, { text: 'Una idea', author: 'V' });
    await roundTrip(writer);
    const observer = await syncedClient(t.wsUrl, w.boardA, w.facilitatorToken);
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    expect(await facilitator.command({ type: 'vote:open', groupIds: [A], budget: 3, maxPerCard: 3, results: 'live' })).toEqual({ ok: true });
    const socket = await connectSocket(t.url, voter.token);

    addCard(writer.doc, { text: 'Otra idea, en camino al almacén', author: 'V' });
    // The server has applied the write (it is being stored, 1.5 s).
    const board = await t.server.registry.open(boardDocName(w.boardA));
    await waitFor(() => listCards(board.doc).length === 2, 5_000, 'the server to apply the write');
    const sent = performance.now();
    const ack = await socket.command({ type: 'vote:set', groupId: A, cardId, dots: 1 });
    const ackMs = performance.now() - sent;
    expect(ack).toEqual({ ok: true });
    // Not queued behind the 1.5 s store of the write (before, the check of the card waited for it).
    expect(ackMs).toBeLessThan(750);
    expect(listCards(observer.doc)).toHaveLength(1); // and the write was indeed not stored yet
    for (const c of [socket, facilitator]) c.close();
    writer.destroy();
    observer.destroy();
  });

  it('30 people joining at once reach the facilitator as a few roster updates, the last one complete', async () => {
    t = await startServer();
    const w = await setupWorkshop(t.url);
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    const since = facilitator.events.length;
    await Promise.all(Array.from({ length: 30 }, (_, i) => joinWorkshop(t!.url, w.workshop, w.boardA.groupId, `Persona ${i}`)));
    await waitFor(() => facilitator.all('roster:update').at(-1)?.[0].length === 30, 5_000);
    // Main sent one roster per join (30); throttled, the burst is a handful.
    expect(countSince(facilitator, 'roster:update', since)).toBeLessThanOrEqual(5);
    facilitator.close();
  });
});
