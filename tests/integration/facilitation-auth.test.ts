// Who may send which command on the facilitation channel. For every command type of
// COMMAND_ROLES and every role: a token that is no token is refused at the handshake;
// a role the table does not list gets `forbidden` and the workshop does not change;
// another workshop's facilitator acts on its own workshop only. The payloads are
// valid (the last test sends each one with its permitted role and gets `ok`), so
// every refusal here is about the role.
import { describe, expect, it } from 'vitest';
import { addCard, listCards } from '../../shared/board.js';
import { COMMAND_ROLES, type Command, type CommandType } from '../../shared/protocol.js';
import type { Role } from '../../shared/model.js';
import { createTokenSigner } from '../../server/auth/tokens.js';
import { api, createWorkshop, joinWorkshop, setupWorkshop } from '../helpers/api.js';
import { storedBoard } from '../helpers/board.js';
import { connectSocket, makeLink, refusedHandshake, tokenOfLink, workshopView } from '../helpers/facilitation.js';
import { startServer, TEST_SECRET, type TestServer } from '../helpers/server.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';

const COMMAND_TYPES = Object.keys(COMMAND_ROLES) as CommandType[];
type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

interface Ids {
  groupA: string;
  groupB: string;
  participantB: string;
  cardA: string;
  heldCard: string;
}

/** One valid payload per command type (the mapped type makes the list exhaustive). */
function validCommands(ids: Ids): { [T in CommandType]: CommandOf<T> } {
  return {
    'agenda:set': {
      type: 'agenda:set',
      agenda: [
        { name: 'Bienvenida', durationSec: 300, kind: 'welcome' },
        { name: 'Trabajo', durationSec: 1800, kind: 'groupwork' },
        { name: 'Votación', durationSec: 600, kind: 'voting' },
      ],
    },
    'phase:start': { type: 'phase:start', index: 0 },
    'phase:next': { type: 'phase:next' },
    'timer:pause': { type: 'timer:pause' },
    'timer:resume': { type: 'timer:resume' },
    'timer:add': { type: 'timer:add', seconds: 60 },
    'lock:set': { type: 'lock:set', groupId: ids.groupB, locked: true },
    'autolock:set': { type: 'autolock:set', enabled: true },
    'spotlight:set': { type: 'spotlight:set', groupId: ids.groupA },
    'follow:set': { type: 'follow:set', follow: true },
    'private:set': { type: 'private:set', enabled: true },
    'anonymous:set': { type: 'anonymous:set', enabled: true },
    'private:reveal': { type: 'private:reveal' },
    'vote:open': { type: 'vote:open', groupIds: [ids.groupA], budget: 3, maxPerCard: 2, results: 'on-close' },
    'vote:close': { type: 'vote:close' },
    announce: { type: 'announce', text: 'Cinco minutos', groupId: null },
    'participant:move': { type: 'participant:move', participantId: ids.participantB, groupId: ids.groupA },
    'participant:remove': { type: 'participant:remove', participantId: ids.participantB },
    'link:create': { type: 'link:create', role: 'projector' },
    'card:add-private': { type: 'card:add-private', text: 'Idea guardada', color: 'pink' },
    'card:remove-private': { type: 'card:remove-private', id: ids.heldCard },
    'vote:set': { type: 'vote:set', groupId: ids.groupA, cardId: ids.cardA, dots: 1 },
    'vote:done': { type: 'vote:done', done: true },
  };
}

/**
 * Workshop W (groups A, B; Ana in A, Beto in B; a card on A's board) in mid-session:
 * first phase running, private writing on with one card held, a round open on A.
 */
async function sessionInProgress(t: TestServer) {
  const w = await setupWorkshop(t.url);
  const ana = await joinWorkshop(t.url, w.workshop, w.boardA.groupId, 'Ana');
  const beto = await joinWorkshop(t.url, w.workshop, w.boardB.groupId, 'Beto');
  const board = await syncedClient(t.wsUrl, w.boardA, ana.token);
  const cardA = addCard(board.doc, { text: 'Más árboles', author: 'Ana' });
  await roundTrip(board);
  board.destroy();

  const facilitator = await connectSocket(t.url, w.facilitatorToken);
  const anaSocket = await connectSocket(t.url, ana.token);
  expect(await facilitator.command({ type: 'phase:start', index: 0 })).toEqual({ ok: true });
  expect(await facilitator.command({ type: 'private:set', enabled: true })).toEqual({ ok: true });
  const held = await anaSocket.command({ type: 'card:add-private', text: 'Idea de Ana', color: 'blue' });
  if (!held.ok || !held.id) throw new Error(`holding a card: ${JSON.stringify(held)}`);
  expect(await facilitator.command({ type: 'vote:open', groupIds: [w.boardA.groupId], budget: 3, maxPerCard: 2, results: 'on-close' })).toEqual({ ok: true });

  const ids: Ids = { groupA: w.boardA.groupId, groupB: w.boardB.groupId, participantB: beto.participantId, cardA, heldCard: held.id };
  /** Everything a command could change: the API view (session, locks, roster), the stored record (ballots, held cards), both boards. */
  const fingerprint = async () => ({
    view: await workshopView(t.url, w.workshop.id, w.facilitatorToken),
    record: JSON.parse((await t.store.loadSession(w.workshop.id)) ?? 'null') as unknown,
    boardA: listCards(await storedBoard(t.store, w.boardA)),
    boardB: listCards(await storedBoard(t.store, w.boardB)),
  });
  return { w, ana, beto, ids, facilitator, anaSocket, fingerprint };
}


describe('the handshake', () => {
  it.each([
    ['no token', async () => undefined],
    ['an empty token', async () => ''],
    ['a garbage token', async () => 'not.a.jwt'],
    ['a facilitator token signed with another secret', (workshopId: string) => createTokenSigner('another-secret').sign({ workshopId, role: 'facilitator' })],
    ['a token of a participant that does not exist', (workshopId: string) => createTokenSigner(TEST_SECRET).sign({ workshopId, role: 'participant', participantId: 'nobody' })],
    ['a token of a workshop that does not exist', () => createTokenSigner(TEST_SECRET).sign({ workshopId: 'no-such-workshop', role: 'facilitator' })],
  ])("%s: refused with connect_error 'unauthorized'", async (_name, makeToken) => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    expect(await refusedHandshake(t.url, await makeToken(w.workshop.id))).toBe('unauthorized');
    expect(t.server.io.of('/').sockets.size).toBe(0);
  });
});

describe('the authorisation matrix', () => {
  it('has a valid payload for every command type of COMMAND_ROLES', () => {
    const commands = validCommands({ groupA: 'a', groupB: 'b', participantB: 'p', cardA: 'c', heldCard: 'h' });
    expect(Object.keys(commands).sort()).toEqual([...COMMAND_TYPES].sort());
    for (const [type, c] of Object.entries(commands)) expect(c.type).toBe(type);
  });

  it.each<['facilitator' | 'participant' | 'projector' | 'organizer']>([['facilitator'], ['participant'], ['projector'], ['organizer']])(
    "the %s: every command its role may not send gets 'forbidden' and changes nothing",
    async (role) => {
      const t = await startServer();
      const s = await sessionInProgress(t);
      const sender =
        role === 'facilitator' ? s.facilitator
        : role === 'participant' ? s.anaSocket
        : await connectSocket(t.url, await makeLink(s.facilitator, role));
      const commands = validCommands(s.ids);
      const refused = COMMAND_TYPES.filter((type) => !COMMAND_ROLES[type].includes(role as Role));
      expect(refused.length).toBeGreaterThan(0);

      let before = await s.fingerprint();
      for (const type of refused) {
        expect(await sender.command(commands[type]), type).toMatchObject({ ok: false, error: 'forbidden' });
        const after = await s.fingerprint();
        expect(after, `${role} sent ${type}`).toEqual(before);
        before = after;
      }
      if (role === 'projector' || role === 'organizer') expect(refused).toEqual(COMMAND_TYPES);
    },
  );

  it("another workshop's facilitator: its commands act on its own workshop, never on this one", async () => {
    const t = await startServer();
    const s = await sessionInProgress(t);
    const other = await createWorkshop(t.url);
    const intruder = await connectSocket(t.url, other.facilitatorToken);
    const commands = validCommands(s.ids);
    const seenBefore = { facilitator: s.facilitator.events.length, ana: s.anaSocket.events.length };

    const before = await s.fingerprint();
    const replies: Record<string, unknown> = {};
    for (const type of COMMAND_TYPES) {
      const reply = await intruder.command(commands[type]);
      replies[type] = reply.ok ? 'ok' : reply.error;
      expect(await s.fingerprint(), `the other facilitator sent ${type}`).toEqual(before);
    }

    // Its commands reached its own workshop: the ids of this one are unknown there.
    expect(replies).toMatchObject({
      'agenda:set': 'ok',
      'private:set': 'ok',
      'lock:set': 'not_found',
      'spotlight:set': 'not_found',
      'vote:open': 'not_found',
      'participant:move': 'not_found',
      'participant:remove': 'not_found',
      'card:add-private': 'forbidden',
      'vote:set': 'forbidden',
    });
    const own = await workshopView(t.url, other.id, other.facilitatorToken);
    expect(own.session).toMatchObject({ phaseIndex: 1, autoLock: true, timer: { status: 'running', durationMs: 1_860_000 } });
    expect((own.session as { agenda: Array<{ name: string }> }).agenda.map((p) => p.name)).toEqual(['Bienvenida', 'Trabajo', 'Votación']);
    const link = await intruder.command({ type: 'link:create', role: 'organizer' });
    expect(link.ok && link.link).toMatch(new RegExp(`^/w/${other.id}/export#k=`));
    // Nobody in this workshop heard a thing: no state, no announcement. (Who is online and the
    // boards' figures are this workshop's own reports, sent on their own schedule: not counted.)
    const reports = new Set(['presence:update', 'roster:update', 'activity:update']);
    const heard = (events: Array<{ event: string }>) => events.map((e) => e.event).filter((e) => !reports.has(e));
    expect(heard(s.facilitator.events.slice(seenBefore.facilitator))).toEqual([]);
    expect(heard(s.anaSocket.events.slice(seenBefore.ana))).toEqual([]);
    // And the HTTP twin refuses it outright.
    const res = await api(t.url, 'POST', `/api/workshops/${s.w.workshop.id}/groups/${s.ids.groupA}/lock`, { token: other.facilitatorToken, json: { locked: true } });
    expect(res.status).toBe(403);
    expect(await s.fingerprint()).toEqual(before);
  });

  it('the HTTP lock twin: 401 without a valid token, 403 for a participant or a projector, and nothing changes', async () => {
    const t = await startServer();
    const s = await sessionInProgress(t);
    const projector = await makeLink(s.facilitator, 'projector');
    const path = `/api/workshops/${s.w.workshop.id}/groups/${s.ids.groupA}/lock`;
    const before = await s.fingerprint();

    expect((await api(t.url, 'POST', path, { json: { locked: true } })).status).toBe(401);
    expect((await api(t.url, 'POST', path, { token: 'garbage', json: { locked: true } })).status).toBe(401);
    expect((await api(t.url, 'POST', path, { token: s.ana.token, json: { locked: true } })).body).toMatchObject({ error: { code: 'forbidden' } });
    expect((await api(t.url, 'POST', path, { token: projector, json: { locked: true } })).status).toBe(403);
    expect(await s.fingerprint()).toEqual(before);
  });

  it('every payload of the matrix succeeds when its permitted role sends it', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const ana = await joinWorkshop(t.url, w.workshop, w.boardA.groupId, 'Ana');
    const beto = await joinWorkshop(t.url, w.workshop, w.boardB.groupId, 'Beto');
    const board = await syncedClient(t.wsUrl, w.boardA, ana.token);
    const cardA = addCard(board.doc, { text: 'Más árboles', author: 'Ana' });
    await roundTrip(board);
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    const anaSocket = await connectSocket(t.url, ana.token);
    const ids: Ids = { groupA: w.boardA.groupId, groupB: w.boardB.groupId, participantB: beto.participantId, cardA, heldCard: '' };

    // An order in which each command is allowed by the session rules too.
    const order: CommandType[] = [
      'agenda:set', 'phase:start', 'phase:next', 'timer:pause', 'timer:resume', 'timer:add', 'lock:set', 'autolock:set',
      'spotlight:set', 'follow:set', 'private:set', 'anonymous:set', 'card:add-private', 'card:remove-private', 'private:reveal',
      'vote:open', 'vote:set', 'vote:done', 'vote:close', 'announce', 'participant:move', 'link:create', 'participant:remove',
    ];
    expect([...order].sort()).toEqual([...COMMAND_TYPES].sort());
    for (const type of order) {
      const sender = COMMAND_ROLES[type].includes('facilitator') ? facilitator : anaSocket;
      const reply = await sender.command(validCommands(ids)[type]);
      expect(reply, type).toMatchObject({ ok: true });
      if (type === 'card:add-private' && reply.ok) ids.heldCard = reply.id!;
    }
  });
});

describe('the join code', () => {
  it('reaches the facilitator and the projector, which show it in the room, and no participant', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    const link = await facilitator.command({ type: 'link:create', role: 'projector' });
    const projectorToken = tokenOfLink(link.ok ? link.link : undefined);
    const participantToken = await w.participant('A', 'Ana');
    expect(facilitator.snapshot.joinCode).toBe(w.workshop.joinCode);
    expect((await connectSocket(t.url, projectorToken)).snapshot.joinCode).toBe(w.workshop.joinCode);
    expect((await connectSocket(t.url, participantToken)).snapshot.joinCode).toBeNull();
    expect((await api(t.url, 'GET', `/api/workshops/${w.workshop.id}`, { token: projectorToken })).body.joinCode).toBe(w.workshop.joinCode);
    expect((await api(t.url, 'GET', `/api/workshops/${w.workshop.id}`, { token: participantToken })).body.joinCode).toBeUndefined();
  });
});
