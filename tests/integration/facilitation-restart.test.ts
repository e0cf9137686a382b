// A restart mid-session resumes exactly where it was: phase, paused time to the
// millisecond, locks, spotlight and follow, the open round with its ballots, held
// private cards. Reconnecting clients get the same snapshot as before; a graceful
// restart and kill -9 alike, since every change is stored before it is announced.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { addCard, listCards } from '../../shared/board.js';
import { DENIED_READ_ONLY } from '../../shared/close-codes.js';
import type { WorkshopSnapshot } from '../../shared/protocol.js';
import { joinWorkshop, setupWorkshop } from '../helpers/api.js';
import { spawnServer } from '../helpers/child-server.js';
import { connectSocket, refusedHandshake, tokenOfLink, workshopView, type FacilitationClient } from '../helpers/facilitation.js';
import { startRestartableServer } from '../helpers/restartable-server.js';
import { hasCard } from '../helpers/board.js';
import { waitFor } from '../helpers/wait.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';

/**
 * Drives a workshop into the middle of a session: agenda of three phases, the second
 * started then paused, B locked, A spotlighted with follow, a round open on A with
 * Ana's and Alba's ballots (Alba done), private writing on with a card Alba holds.
 */
async function midSession(url: string, wsUrl: string) {
  const w = await setupWorkshop(url);
  const A = w.boardA.groupId;
  const B = w.boardB.groupId;
  const ana = await joinWorkshop(url, w.workshop, A, 'Ana');
  const alba = await joinWorkshop(url, w.workshop, A, 'Alba');
  const beto = await joinWorkshop(url, w.workshop, B, 'Beto');
  const board = await syncedClient(wsUrl, w.boardA, ana.token);
  const c1 = addCard(board.doc, { text: 'Uno', author: 'Ana' });
  const c2 = addCard(board.doc, { text: 'Dos', author: 'Ana' });
  await roundTrip(board);
  board.destroy();

  const opts = { reconnection: true };
  const clients = {
    facilitator: await connectSocket(url, w.facilitatorToken, opts),
    ana: await connectSocket(url, ana.token, opts),
    alba: await connectSocket(url, alba.token, opts),
    beto: await connectSocket(url, beto.token, opts),
  };
  const f = clients.facilitator;
  const steps: Array<[FacilitationClient, Parameters<FacilitationClient['command']>[0]]> = [
    [f, { type: 'agenda:set', agenda: [
      { name: 'Bienvenida', durationSec: 600, kind: 'welcome' },
      { name: 'Trabajo en grupos', durationSec: 2700, kind: 'groupwork' },
      { name: 'Plenaria', durationSec: 1800, kind: 'plenary' },
    ] }],
    [f, { type: 'phase:start', index: 1 }],
    [f, { type: 'timer:pause' }],
    [f, { type: 'lock:set', groupId: B, locked: true }],
    [f, { type: 'spotlight:set', groupId: A }],
    [f, { type: 'follow:set', follow: true }],
    [f, { type: 'vote:open', groupIds: [A], budget: 3, maxPerCard: 2, results: 'on-close' }],
    [clients.ana, { type: 'vote:set', groupId: A, cardId: c1, dots: 2 }],
    [clients.alba, { type: 'vote:set', groupId: A, cardId: c2, dots: 1 }],
    [clients.alba, { type: 'vote:done', done: true }],
    [f, { type: 'private:set', enabled: true }],
    [clients.alba, { type: 'card:add-private', text: 'Lo que Alba guarda', color: 'purple' }],
    [f, { type: 'announce', text: 'Quedan diez minutos', groupId: null }],
    [f, { type: 'announce', text: 'Grupo B: tu tablero está bloqueado', groupId: B }],
  ];
  for (const [client, c] of steps) expect(await client.command(c), c.type).toMatchObject({ ok: true });
  // The throttled live ranking has gone out: a snapshot has the ranking as last announced
  // (ranking-announcer.ts), which after a restart is the tally again.
  await f.nextRanking((r) => r?.length === 2);
  return { w, A, B, ana, alba, beto, c1, c2, clients };
}

/** What each client's next snapshot must repeat. */
const snapshots = (clients: Record<string, FacilitationClient>) =>
  Object.fromEntries(Object.entries(clients).map(([name, c]) => [name, strip(c.snapshot)]));
/**
 * A snapshot without what legitimately differs between two connections: the send time,
 * who is online, and the vote progress (it counts only those online or already voted,
 * so it depends on who has reconnected yet; checked on its own once everyone is back).
 */
const strip = ({ serverTime: _t, presence: _p, voteProgress: _v, ...rest }: WorkshopSnapshot) => rest;

/** Snapshots of fresh connections, taken now (the ones the clients hold predate the commands). */
async function freshSnapshots(url: string, tokens: Record<string, string>) {
  const out: Record<string, ReturnType<typeof strip>> = {};
  for (const [name, token] of Object.entries(tokens)) {
    const c = await connectSocket(url, token);
    out[name] = strip(c.snapshot);
    c.close();
  }
  return out;
}

describe('a restart mid-session', () => {
  it('graceful: reconnecting clients get the same snapshot — phase, exact paused time, locks, spotlight, round, own ballot and held cards', async () => {
    const t = await startRestartableServer();
    const s = await midSession(t.url, t.wsUrl);
    const tokens = { facilitator: s.w.facilitatorToken, ana: s.ana.token, alba: s.alba.token, beto: s.beto.token };
    const before = await freshSnapshots(t.url, tokens);
    const viewBefore = await workshopView(t.url, s.w.workshop.id, s.w.facilitatorToken);
    // The snapshot is worth comparing: it holds what we set.
    expect(before.facilitator!.session).toMatchObject({
      phaseIndex: 1,
      timer: { status: 'paused', durationMs: 2_700_000 },
      lockedGroups: [s.B],
      spotlight: { groupId: s.A, follow: true },
      privateCards: true,
      round: { status: 'open', groupIds: [s.A], budget: 3, maxPerCard: 2, results: 'on-close', ranking: null },
    });
    expect(before.ana!.you.ballot).toEqual({ [`${s.A}/${s.c1}`]: 2 });
    expect(before.alba!.you).toMatchObject({ ballot: { [`${s.A}/${s.c2}`]: 1 }, votingDone: true });
    expect(before.alba!.you.privateCards.map((c) => c.text)).toEqual(['Lo que Alba guarda']);
    expect(before.ana!.you.privateCards).toEqual([]);
    // The ranking carries the cards' texts, read again from the boards after the restart (below).
    expect(before.facilitator!.ranking?.map((r) => r.text)).toEqual(['Uno', 'Dos']);
    const progressOf = async () => {
      const c = await connectSocket(t.url, s.w.facilitatorToken);
      c.close();
      return c.snapshot.voteProgress;
    };
    expect(await progressOf()).toEqual({ eligible: 3, voted: 2, finished: 1 });
    // Announcements are kept: each client sees those meant for everyone and for its own group.
    const said = (who: string) => before[who]!.announcements.map((a) => a.text);
    expect(said('facilitator')).toEqual(['Quedan diez minutos', 'Grupo B: tu tablero está bloqueado']);
    expect(said('beto')).toEqual(['Quedan diez minutos', 'Grupo B: tu tablero está bloqueado']);
    expect(said('ana')).toEqual(['Quedan diez minutos']);

    const link = await s.clients.facilitator.command({ type: 'link:create', role: 'projector' });
    const marks = Object.fromEntries(Object.entries(s.clients).map(([name, c]) => [name, c.events.length]));
    await t.restart();

    // The same socket.io clients reconnect on their own and are sent a new snapshot.
    for (const [name, c] of Object.entries(s.clients)) await c.next('workshop:snapshot', () => true, marks[name], 10_000);
    expect(snapshots(s.clients)).toEqual(before);
    expect(await workshopView(t.url, s.w.workshop.id, s.w.facilitatorToken)).toEqual(viewBefore);
    // Everyone is back, so everyone counts again: Beto has not voted but is here.
    expect(await progressOf()).toEqual({ eligible: 3, voted: 2, finished: 1 });
    // A link made before the restart still opens the workshop.
    const projector = await connectSocket(t.url, tokenOfLink(link.ok ? link.link : undefined));
    expect(projector.snapshot.you.role).toBe('projector');
    expect(projector.snapshot.session).toEqual(before.facilitator!.session);

    // And the state works as it did: B is still locked, the held card is revealed into A, the timer resumes with what was left.
    const writer = await syncedClient(t.wsUrl, s.w.boardB, s.beto.token);
    addCard(writer.doc, { text: 'Tras reiniciar', author: 'Beto' });
    await roundTrip(writer);
    expect(writer.denied).toEqual([DENIED_READ_ONLY]);
    const boardA = await syncedClient(t.wsUrl, s.w.boardA, s.ana.token);
    expect(await s.clients.facilitator.command({ type: 'private:reveal' })).toEqual({ ok: true });
    await waitFor(() => hasCard(boardA, 'Lo que Alba guarda'), 5_000, 'the revealed card on board A');
    const resumedAt = Date.now();
    const mark = s.clients.ana.events.length;
    expect(await s.clients.facilitator.command({ type: 'timer:resume' })).toEqual({ ok: true });
    const [resumed] = await s.clients.ana.next('session:state', (st) => st.timer.status === 'running', mark);
    const paused = before.facilitator!.session.timer as { remainingMs: number };
    expect(resumed.timer.status === 'running' && resumed.timer.endsAt - resumedAt).toBeGreaterThanOrEqual(paused.remainingMs - 50);
    expect(resumed.timer.status === 'running' && resumed.timer.endsAt - Date.now()).toBeLessThanOrEqual(paused.remainingMs);
    expect(await s.clients.ana.command({ type: 'vote:set', groupId: s.A, cardId: s.c2, dots: 1 })).toEqual({ ok: true }); // the round is live
    expect(await s.clients.facilitator.command({ type: 'vote:close' })).toEqual({ ok: true });
    const closed = (await workshopView(t.url, s.w.workshop.id, s.w.facilitatorToken)).session as { round: { ranking: unknown } };
    expect(closed.round.ranking).toEqual([
      { groupId: s.A, cardId: s.c2, dots: 2, voters: 2, text: 'Dos' },
      { groupId: s.A, cardId: s.c1, dots: 2, voters: 1, text: 'Uno' },
    ]);
  });

  it('time that ran out while the server was down: on restart the phase has ended and auto-lock has locked every board', async () => {
    const t = await startRestartableServer();
    const w = await setupWorkshop(t.url);
    const ana = await joinWorkshop(t.url, w.workshop, w.boardA.groupId, 'Ana');
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    expect(await facilitator.command({ type: 'agenda:set', agenda: [{ name: 'Sprint', durationSec: 1, kind: 'brainstorm' }] })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'autolock:set', enabled: true })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'phase:start', index: 0 })).toEqual({ ok: true });
    await t.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await t.start();

    // The first thing anyone sees already has the time up applied: the snapshot of the first connection, then the API.
    const groups = [w.boardA.groupId, w.boardB.groupId].sort();
    const first = (await connectSocket(t.url, ana.token)).snapshot.session;
    expect(first.timer).toEqual({ status: 'paused', durationMs: 1_000, remainingMs: 0 });
    expect([...first.lockedGroups].sort()).toEqual(groups);
    const view = await workshopView(t.url, w.workshop.id, w.facilitatorToken);
    expect(view.session).toEqual(first);
    const writer = await syncedClient(t.wsUrl, w.boardA, ana.token);
    addCard(writer.doc, { text: 'Fuera de tiempo', author: 'Ana' });
    await roundTrip(writer);
    expect(writer.denied).toEqual([DENIED_READ_ONLY]);
    expect(listCards(writer.doc).length).toBe(1); // only in its own copy
  });

  it('kill -9: a respawned server on the same data gives the same snapshot', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'relatoria-it-'));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const first = await spawnServer({ dataDir });
    const s = await midSession(first.url, first.wsUrl);
    const tokens = { facilitator: s.w.facilitatorToken, ana: s.ana.token, alba: s.alba.token, beto: s.beto.token };
    const before = await freshSnapshots(first.url, tokens);

    await first.kill('SIGKILL');
    const second = await spawnServer({ dataDir, port: first.port });

    expect(await freshSnapshots(second.url, tokens)).toEqual(before);
  });

  it('the roster survives: a moved participant stays in its new group, a removed one stays out', async () => {
    const t = await startRestartableServer();
    const w = await setupWorkshop(t.url);
    const beto = await joinWorkshop(t.url, w.workshop, w.boardB.groupId, 'Beto');
    const alba = await joinWorkshop(t.url, w.workshop, w.boardA.groupId, 'Alba');
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    expect(await facilitator.command({ type: 'participant:move', participantId: beto.participantId, groupId: w.boardA.groupId })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'participant:remove', participantId: alba.participantId })).toEqual({ ok: true });

    await t.restart();

    expect((await connectSocket(t.url, beto.token)).snapshot.you.groupId).toBe(w.boardA.groupId);
    const writesA = await syncedClient(t.wsUrl, w.boardA, beto.token);
    const writesB = await syncedClient(t.wsUrl, w.boardB, beto.token);
    addCard(writesA.doc, { text: 'En A', author: 'Beto' });
    addCard(writesB.doc, { text: 'En B', author: 'Beto' });
    await roundTrip(writesA);
    await roundTrip(writesB);
    expect(writesA.denied).toEqual([]);
    expect(writesB.denied).toEqual([DENIED_READ_ONLY]);
    expect(await refusedHandshake(t.url, alba.token)).toBe('unauthorized');
    const roster = (await workshopView(t.url, w.workshop.id, w.facilitatorToken)).roster as Array<{ name: string; groupId: string }>;
    expect(roster.map((p) => [p.name, p.groupId])).toEqual([['Beto', w.boardA.groupId]]);
  });
});
