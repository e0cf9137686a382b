// Bad input on the facilitation channel: unknown phases and groups, out-of-range
// numbers, malformed and oversized payloads, votes that break the round's rules —
// each answered `bad_request` or `not_found` with nothing changed. A flood from one
// socket is cut by its token bucket without touching anyone else.
import { describe, expect, it } from 'vitest';
import { addCard, listCards } from '../../shared/board.js';
import { SESSION_LIMITS } from '../../shared/session.js';
import { joinWorkshop, setupWorkshop } from '../helpers/api.js';
import { storedBoard } from '../helpers/board.js';
import { command, connectSocket, rawCommand, workshopView } from '../helpers/facilitation.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { within } from '../helpers/wait.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';

/**
 * Groups A, B and C; Ana in A; a card on each board; the first phase running, then
 * paused; a round open on A and B (budget 3, at most 2 per card) where Ana has 2 dots.
 */
async function setup(t: TestServer) {
  const w = await setupWorkshop(t.url);
  const ana = await joinWorkshop(t.url, w.workshop, w.boardA.groupId, 'Ana');
  const beto = await joinWorkshop(t.url, w.workshop, w.boardB.groupId, 'Beto');
  const board = await syncedClient(t.wsUrl, w.boardA, ana.token);
  const cardA = addCard(board.doc, { text: 'Tarjeta de A', author: 'Ana' });
  const cardA2 = addCard(board.doc, { text: 'Otra de A', author: 'Ana' });
  await roundTrip(board);
  const boardB = await syncedClient(t.wsUrl, w.boardB, beto.token);
  const cardB = addCard(boardB.doc, { text: 'Tarjeta de B', author: 'Beto' });
  await roundTrip(boardB);

  const facilitator = await connectSocket(t.url, w.facilitatorToken);
  const anaSocket = await connectSocket(t.url, ana.token);
  const ok = async (reply: Promise<unknown>) => expect(await reply).toEqual({ ok: true });
  await ok(facilitator.command({ type: 'phase:start', index: 0 }));
  await ok(facilitator.command({ type: 'timer:pause' }));
  await ok(facilitator.command({ type: 'vote:open', groupIds: [w.boardA.groupId], budget: 3, maxPerCard: 2, results: 'on-close' }));
  await ok(anaSocket.command({ type: 'vote:set', groupId: w.boardA.groupId, cardId: cardA, dots: 2 }));

  const fingerprint = async () => ({
    view: await workshopView(t.url, w.workshop.id, w.facilitatorToken),
    record: JSON.parse((await t.store.loadSession(w.workshop.id)) ?? 'null') as unknown,
    boardA: listCards(await storedBoard(t.store, w.boardA)),
  });
  return { w, ana, facilitator, anaSocket, cardA, cardA2, cardB, fingerprint };
}

const huge = 'x'.repeat(40_000);
const phase = (over: Record<string, unknown> = {}) => ({ name: 'Fase', durationSec: 60, kind: 'groupwork', ...over });

describe('bad commands from the facilitator', () => {
  it('are refused with bad_request or not_found, and nothing changes', async () => {
    const t = await startServer();
    const s = await setup(t);
    const A = s.w.boardA.groupId;
    const cases: Array<[string, unknown, 'bad_request' | 'not_found']> = [
      ['an unknown phase index', { type: 'phase:start', index: 99 }, 'not_found'],
      ['a negative phase index', { type: 'phase:start', index: -1 }, 'bad_request'],
      ['a fractional phase index', { type: 'phase:start', index: 0.5 }, 'bad_request'],
      ['a phase index as a string', { type: 'phase:start', index: '0' }, 'bad_request'],
      ['locking an unknown group', { type: 'lock:set', groupId: 'nogroup', locked: true }, 'not_found'],
      ['locking a group of another kind of id', { type: 'lock:set', groupId: '__proto__', locked: true }, 'not_found'],
      ['locking without saying locked', { type: 'lock:set', groupId: A }, 'bad_request'],
      ['locked as a string', { type: 'lock:set', groupId: A, locked: 'yes' }, 'bad_request'],
      ['a 40 kB group id', { type: 'lock:set', groupId: huge, locked: true }, 'bad_request'],
      ['spotlighting an unknown group', { type: 'spotlight:set', groupId: 'nogroup' }, 'not_found'],
      ['following with nothing spotlighted', { type: 'follow:set', follow: true }, 'bad_request'],
      ['an announcement to an unknown group', { type: 'announce', text: 'Hola', groupId: 'nogroup' }, 'not_found'],
      ['an empty announcement', { type: 'announce', text: '   ', groupId: null }, 'bad_request'],
      ['a 40 kB announcement', { type: 'announce', text: huge, groupId: null }, 'bad_request'],
      ['an announcement one character too long', { type: 'announce', text: 'a'.repeat(SESSION_LIMITS.announcement + 1), groupId: null }, 'bad_request'],
      ['adding a negative duration', { type: 'timer:add', seconds: -3601 }, 'bad_request'],
      ['adding a huge duration', { type: 'timer:add', seconds: 1e12 }, 'bad_request'],
      ['adding a fractional duration', { type: 'timer:add', seconds: 1.5 }, 'bad_request'],
      ['adding NaN seconds (null on the wire)', { type: 'timer:add', seconds: Number.NaN }, 'bad_request'],
      ['adding seconds as a string', { type: 'timer:add', seconds: '60' }, 'bad_request'],
      ['a phase with a negative duration', { type: 'agenda:set', agenda: [phase({ durationSec: -5 })] }, 'bad_request'],
      ['a phase longer than a day', { type: 'agenda:set', agenda: [phase({ durationSec: SESSION_LIMITS.maxPhaseSec + 1 })] }, 'bad_request'],
      ['a phase of an unknown kind', { type: 'agenda:set', agenda: [phase({ kind: 'party' })] }, 'bad_request'],
      ['a phase with a 40 kB name', { type: 'agenda:set', agenda: [phase({ name: huge })] }, 'bad_request'],
      ['a phase without a name', { type: 'agenda:set', agenda: [{ durationSec: 60, kind: 'welcome' }] }, 'bad_request'],
      ['an agenda of 31 phases', { type: 'agenda:set', agenda: Array.from({ length: SESSION_LIMITS.phases + 1 }, () => phase()) }, 'bad_request'],
      ['an agenda that is not a list', { type: 'agenda:set', agenda: { 0: phase() } }, 'bad_request'],
      ['a second round while one is open', { type: 'vote:open', groupIds: [A], budget: 3, maxPerCard: 1, results: 'live' }, 'bad_request'],
      ['moving a participant that does not exist', { type: 'participant:move', participantId: 'nobody', groupId: A }, 'not_found'],
      ['moving a participant to an unknown group', { type: 'participant:move', participantId: s.ana.participantId, groupId: 'nogroup' }, 'not_found'],
      ['removing a participant that does not exist', { type: 'participant:remove', participantId: 'nobody' }, 'not_found'],
      ['a link for a participant', { type: 'link:create', role: 'participant' }, 'bad_request'],
      ['an unknown command type', { type: 'workshop:delete' }, 'bad_request'],
      ['a command without a type', { groupId: A, locked: true }, 'bad_request'],
      ['null', null, 'bad_request'],
      ['a string', 'phase:next', 'bad_request'],
      ['a number', 42, 'bad_request'],
      ['an array', [{ type: 'phase:next' }], 'bad_request'],
    ];
    // Two sockets, each well inside its burst of 30: these refusals are about the payload, not the bucket.
    const senders = [s.facilitator, await connectSocket(t.url, s.w.facilitatorToken)];
    const before = await s.fingerprint();
    for (const [i, [name, payload, error]] of cases.entries()) {
      expect(await rawCommand(senders[i % 2]!.socket, payload), name).toMatchObject({ ok: false, error });
    }
    expect(await s.fingerprint()).toEqual(before);
  });

  it('a vote round whose per-card maximum exceeds its budget, or with an unknown group, is refused', async () => {
    const t = await startServer();
    const s = await setup(t);
    expect(await s.facilitator.command({ type: 'vote:close' })).toEqual({ ok: true });
    const before = await s.fingerprint();
    expect(await s.facilitator.command({ type: 'vote:open', groupIds: [s.w.boardA.groupId], budget: 2, maxPerCard: 3, results: 'live' })).toMatchObject({ ok: false, error: 'bad_request' });
    expect(await s.facilitator.command({ type: 'vote:open', groupIds: [s.w.boardA.groupId, 'nogroup'], budget: 3, maxPerCard: 1, results: 'live' })).toMatchObject({ ok: false, error: 'not_found' });
    expect(await rawCommand(s.facilitator.socket, { type: 'vote:open', groupIds: [], budget: 3, maxPerCard: 1, results: 'live' })).toMatchObject({ ok: false, error: 'bad_request' });
    expect(await rawCommand(s.facilitator.socket, { type: 'vote:open', groupIds: [s.w.boardA.groupId], budget: 51, maxPerCard: 1, results: 'live' })).toMatchObject({ ok: false, error: 'bad_request' });
    expect(await rawCommand(s.facilitator.socket, { type: 'vote:open', groupIds: [s.w.boardA.groupId], budget: 3, maxPerCard: 1, results: 'secret' })).toMatchObject({ ok: false, error: 'bad_request' });
    expect(await s.fingerprint()).toEqual(before);
  });

  it('a message over the 64 kB buffer closes that socket only; nothing changes and it can reconnect', async () => {
    const t = await startServer();
    const s = await setup(t);
    const before = await s.fingerprint();
    const disconnected = new Promise<string>((resolve) => s.facilitator.socket.once('disconnect', (reason) => resolve(reason)));
    const reply = rawCommand(s.facilitator.socket, { type: 'announce', text: 'x'.repeat(100_000), groupId: null }, 2_000);

    expect(await within(disconnected, 5_000, 'the oversized sender to be disconnected')).toBe('transport close');
    await expect(reply).rejects.toThrow();
    expect(s.anaSocket.socket.connected).toBe(true);
    expect(s.anaSocket.all('announcement')).toEqual([]);
    expect(await s.fingerprint()).toEqual(before);
    const again = await connectSocket(t.url, s.w.facilitatorToken);
    expect(await again.command({ type: 'timer:resume' })).toEqual({ ok: true });
  });
});

describe('bad votes and private cards from a participant', () => {
  it('over budget, above maxPerCard, outside the round, on a card that does not exist: refused, the ballot unchanged', async () => {
    const t = await startServer();
    const s = await setup(t);
    const A = s.w.boardA.groupId;
    const B = s.w.boardB.groupId;
    const cases: Array<[string, unknown, 'bad_request' | 'not_found']> = [
      ['a vote over the budget (2 + 2 > 3)', { type: 'vote:set', groupId: A, cardId: s.cardA2, dots: 2 }, 'bad_request'],
      ['a vote above maxPerCard', { type: 'vote:set', groupId: A, cardId: s.cardA, dots: 3 }, 'bad_request'],
      ['a vote on a card of a group outside the round', { type: 'vote:set', groupId: B, cardId: s.cardB, dots: 1 }, 'bad_request'],
      ['a vote on a card id that does not exist', { type: 'vote:set', groupId: A, cardId: 'nocard', dots: 1 }, 'not_found'],
      ["a vote on group A with group B's card id", { type: 'vote:set', groupId: A, cardId: s.cardB, dots: 1 }, 'not_found'],
      ['a vote on an unknown group', { type: 'vote:set', groupId: 'nogroup', cardId: s.cardA, dots: 1 }, 'bad_request'],
      ['negative dots', { type: 'vote:set', groupId: A, cardId: s.cardA, dots: -1 }, 'bad_request'],
      ['fractional dots', { type: 'vote:set', groupId: A, cardId: s.cardA, dots: 0.5 }, 'bad_request'],
      ['dots as a string', { type: 'vote:set', groupId: A, cardId: s.cardA, dots: '1' }, 'bad_request'],
      ['a vote without a card', { type: 'vote:set', groupId: A, dots: 1 }, 'bad_request'],
      ['done as a string', { type: 'vote:done', done: 'yes' }, 'bad_request'],
      ['a private card while private writing is off', { type: 'card:add-private', text: 'Hola', color: 'yellow' }, 'bad_request'],
      ['a private card of an unknown colour', { type: 'card:add-private', text: 'Hola', color: 'red' }, 'bad_request'],
      ['a private card of 40 kB', { type: 'card:add-private', text: huge, color: 'yellow' }, 'bad_request'],
      ['removing a private card that does not exist', { type: 'card:remove-private', id: 'nocard' }, 'not_found'],
    ];
    const before = await s.fingerprint();
    for (const [name, payload, error] of cases) {
      expect(await rawCommand(s.anaSocket.socket, payload), name).toMatchObject({ ok: false, error });
    }
    expect(await s.fingerprint()).toEqual(before);
    const reconnected = await connectSocket(t.url, s.ana.token);
    expect(reconnected.snapshot.you.ballot).toEqual({ [`${A}/${s.cardA}`]: 2 });
    expect(s.anaSocket.all('vote:ballot')).toEqual([[{ [`${A}/${s.cardA}`]: 2 }, false]]);
  });
});

describe('the rate limit', () => {
  it('1,000 commands at once from one socket: most are rate_limited, only the accepted ones count, and another client is served promptly', async () => {
    const t = await startServer();
    const s = await setup(t);
    const flooder = await connectSocket(t.url, s.w.facilitatorToken);
    const other = await connectSocket(t.url, s.w.facilitatorToken);
    const remaining = () => workshopView(t.url, s.w.workshop.id, s.w.facilitatorToken).then((v) => (v.session as { timer: { remainingMs: number } }).timer.remainingMs);
    const start = await remaining();

    // The timer is paused: each accepted `timer:add 1` adds exactly one second.
    const flood = Array.from({ length: 1000 }, () => command(flooder.socket, { type: 'timer:add', seconds: 1 }, 10_000));
    const began = Date.now();
    const otherReply = await other.command({ type: 'spotlight:set', groupId: s.w.boardB.groupId });
    const otherMs = Date.now() - began;
    const replies = await Promise.all(flood);
    const floodMs = Date.now() - began;

    const accepted = replies.filter((r) => r.ok).length;
    const limited = replies.filter((r) => !r.ok && r.error === 'rate_limited').length;
    expect(accepted + limited).toBe(1000);
    // A fresh socket's burst of 30, plus at most 15 a second while the flood lasted.
    expect(accepted).toBeGreaterThanOrEqual(30);
    expect(accepted).toBeLessThanOrEqual(30 + Math.ceil((floodMs / 1000) * 15) + 1);
    expect(limited).toBeGreaterThan(500);
    expect(otherReply).toEqual({ ok: true });
    expect(otherMs).toBeLessThan(2_000); // not starved: the flood is answered at once, not queued behind (2 s of slack for a loaded CI machine)
    expect(await remaining()).toBe(start + accepted * 1000);
    const view = await workshopView(t.url, s.w.workshop.id, s.w.facilitatorToken);
    expect((view.session as { spotlight: unknown }).spotlight).toEqual({ groupId: s.w.boardB.groupId, follow: false });
  });
});
