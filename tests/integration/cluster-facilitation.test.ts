// Facilitation across nodes (cluster mode, issue 14 item 3): real servers sharing one
// PostgreSQL schema and one Redis. Commands from two nodes are serialised per workshop (none
// lost, none half-applied); what one node sets reaches sockets on every node, once; a lock
// set on one node holds on another's board sockets; a vote runs across three nodes; time-up
// fires once with the timer armed on every node; revocations, removals and deletions made
// on one node take effect on the others.
import { decodeJwt } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { addCard } from '../../shared/board.js';
import { CloseCode, DENIED_READ_ONLY } from '../../shared/close-codes.js';
import { listCards } from '../../shared/board.js';
import { readSessionRecord } from '../../server/facilitation/session-record.js';
import { api, joinWorkshop, setupWorkshop } from '../helpers/api.js';
import { nameOf, storedBoard } from '../helpers/board.js';
import { redisProxy } from '../helpers/tcp-proxy.js';
import { startCluster, type TestNode } from '../helpers/cluster.js';
import { connectSocket, endOf, handshakeRefusal, makeLink, type FacilitationClient } from '../helpers/facilitation.js';
import { openRaw, openRawBoard, boardUrl } from '../helpers/raw-ws.js';
import { waitFor, within } from '../helpers/wait.js';
import { roundTrip, syncedClient, type BoardClient } from '../helpers/yclient.js';
import { postgresUrl, redisUrl } from '../support/requires.js';

const pg = await postgresUrl();
const redis = await redisUrl();

async function write(client: BoardClient, text: string): Promise<void> {
  addCard(client.doc, { text, author: 'test' });
  await roundTrip(client);
}

async function storedRecord(node: TestNode, workshopId: string) {
  const stored = await node.store.loadSession(workshopId);
  if (stored === null) throw new Error('no stored session');
  return readSessionRecord(stored);
}

const count = (client: FacilitationClient, event: string, match: (args: unknown[]) => boolean = () => true) =>
  client.events.filter((e) => e.event === event && match(e.args)).length;

describe.skipIf(pg === null || redis === null)('facilitation across nodes (cluster mode)', () => {
  it('two facilitators on two nodes issue many commands at once: every one lands, in one record every node holds', async () => {
    const { nodes } = await startCluster(pg!, redis!, 2);
    const [n0, n1] = nodes as [TestNode, TestNode];
    const w = await setupWorkshop(n0.url);
    const f0 = await connectSocket(n0.url, w.facilitatorToken);
    const f1 = await connectSocket(n1.url, w.facilitatorToken);
    expect(await f0.command({ type: 'agenda:set', agenda: [{ name: 'Trabajo', durationSec: 600, kind: 'groupwork' }] })).toEqual({ ok: true });
    expect(await f1.command({ type: 'phase:start', index: 0 })).toEqual({ ok: true });
    expect(await f0.command({ type: 'private:set', enabled: true })).toEqual({ ok: true });
    // Two participants on the two nodes hold private cards at the same time.
    const ana = await connectSocket(n0.url, await w.participant('A', 'Ana'));
    const beto = await connectSocket(n1.url, await w.participant('B', 'Beto'));

    // Each command reads the record and writes it whole: without serialisation across nodes, some would be lost.
    const replies = await Promise.all([
      ...[f0, f1].flatMap((f, i) => Array.from({ length: 10 }, (_, k) => [
        f.command({ type: 'announce', text: `n${i} aviso ${k}`, groupId: null }),
        f.command({ type: 'timer:add', seconds: 10 }),
      ]).flat()),
      ...[ana, beto].flatMap((p, i) => Array.from({ length: 5 }, (_, k) => p.command({ type: 'card:add-private', text: `idea ${i}.${k}`, color: 'yellow' }))),
    ]);
    expect(replies.filter((r) => !r.ok)).toEqual([]);

    const record = await storedRecord(n0, w.workshop.id);
    expect(record.announcements.map((a) => a.text).sort()).toEqual([0, 1].flatMap((i) => Array.from({ length: 10 }, (_, k) => `n${i} aviso ${k}`)).sort());
    expect(record.state.timer.durationMs).toBe(600_000 + 20 * 10_000);
    expect(record.heldCards.map((c) => c.text).sort()).toEqual(['idea 0.0', 'idea 0.1', 'idea 0.2', 'idea 0.3', 'idea 0.4', 'idea 1.0', 'idea 1.1', 'idea 1.2', 'idea 1.3', 'idea 1.4']);
    // 3 setup commands, 40 facilitator commands and 10 private cards: one revision each.
    expect(record.rev).toBe(53);
    // Both nodes hold that record (the other node's copy follows at once); both consoles see the final state.
    await waitFor(() => nodes.every((n) => n.server.sessions.peek(w.workshop.id)?.rev === 53), 10_000, 'both nodes to hold revision 53');
    for (const node of nodes) {
      const session = node.server.sessions.peek(w.workshop.id)!;
      expect(session.state).toEqual(record.state);
      expect(session.announcements).toEqual(record.announcements);
      expect(session.heldCards).toEqual(record.heldCards);
    }
    for (const f of [f0, f1]) await f.next('session:state', (s) => s.timer.durationMs === 800_000, 0, 10_000);
    // Every announcement reached each console once: neither duplicated through the adapter nor lost.
    for (const f of [f0, f1]) expect(count(f, 'announcement')).toBe(20);
  });

  it('phase, timer, lock, spotlight and announcements set on one node reach sockets on every node, once', async () => {
    const { nodes } = await startCluster(pg!, redis!, 3);
    const [n0, n1, n2] = nodes as [TestNode, TestNode, TestNode];
    const w = await setupWorkshop(n0.url);
    const facilitator = await connectSocket(n1.url, w.facilitatorToken);
    const ana = await connectSocket(n0.url, await w.participant('A', 'Ana'));
    const beto = await connectSocket(n2.url, await w.participant('B', 'Beto'));
    const projector = await connectSocket(n0.url, await makeLink(facilitator, 'projector'));

    expect(await facilitator.command({ type: 'agenda:set', agenda: [{ name: 'Ideas', durationSec: 300, kind: 'brainstorm' }, { name: 'Cierre', durationSec: 60, kind: 'closing' }] })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'phase:start', index: 1 })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'timer:pause' })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'lock:set', groupId: w.boardA.groupId, locked: true })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'spotlight:set', groupId: w.boardB.groupId })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'announce', text: 'Cinco minutos', groupId: null })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'announce', text: 'Solo grupo B', groupId: w.boardB.groupId })).toEqual({ ok: true });

    for (const client of [ana, beto, projector]) {
      const [state] = await client.next('session:state', (s) => s.spotlight.groupId === w.boardB.groupId, 0, 10_000);
      expect(state).toMatchObject({ phaseIndex: 1, timer: { status: 'paused' }, lockedGroups: [w.boardA.groupId] });
      await client.next('announcement', (a) => a.text === 'Cinco minutos', 0, 10_000);
    }
    await beto.next('announcement', (a) => a.text === 'Solo grupo B', 0, 10_000);
    // Exactly once each, on every node; the other group's announcement only where it belongs.
    const sessionStates = (c: FacilitationClient) => count(c, 'session:state');
    for (const client of [ana, beto, projector, facilitator]) {
      expect(count(client, 'announcement', ([a]) => (a as { text: string }).text === 'Cinco minutos')).toBe(1);
      expect(sessionStates(client)).toBe(7); // one per stored command
    }
    expect(count(beto, 'announcement', ([a]) => (a as { text: string }).text === 'Solo grupo B')).toBe(1);
    expect(count(ana, 'announcement', ([a]) => (a as { text: string }).text === 'Solo grupo B')).toBe(0);
    // A socket opening now on the third node gets it all in its snapshot.
    const late = await connectSocket(n2.url, await w.participant('A', 'Ada'));
    expect(late.snapshot.session).toMatchObject({ phaseIndex: 1, lockedGroups: [w.boardA.groupId], spotlight: { groupId: w.boardB.groupId } });
    expect(late.snapshot.announcements.map((a) => a.text)).toEqual(['Cinco minutos']);
  });

  it('a lock set on node B refuses, at once, a write on node A’s board socket; unlocked on A, B’s socket writes again', async () => {
    const { nodes } = await startCluster(pg!, redis!, 2);
    const [a, b] = nodes as [TestNode, TestNode];
    const w = await setupWorkshop(a.url);
    const writer = await syncedClient(a.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const otherWriter = await syncedClient(b.wsUrl, w.boardA, await w.participant('A', 'Ada'));
    const onB = await connectSocket(b.url, w.facilitatorToken);
    const onA = await connectSocket(a.url, w.facilitatorToken);
    await write(writer, 'antes del bloqueo');

    expect(await onB.command({ type: 'lock:set', groupId: w.boardA.groupId, locked: true })).toEqual({ ok: true });
    // No waiting: node A was told before the acknowledgement came back.
    await write(writer, 'durante el bloqueo');
    expect(writer.denied).toEqual([DENIED_READ_ONLY]);
    await write(otherWriter, 'también en B');
    expect(otherWriter.denied).toEqual([DENIED_READ_ONLY]);
    expect(listCards(await storedBoard(a.store, w.boardA)).map((c) => c.text)).toEqual(['antes del bloqueo']);

    expect(await onA.command({ type: 'lock:set', groupId: w.boardA.groupId, locked: false })).toEqual({ ok: true });
    const fresh = await syncedClient(b.wsUrl, w.boardA, await w.participant('A', 'Alba'));
    await write(fresh, 'tras desbloquear');
    expect(fresh.denied).toEqual([]);
    await waitFor(async () => listCards(await storedBoard(a.store, w.boardA)).length === 2, 10_000, 'the unlocked write to be stored');
  });

  it('a vote opened on A, dots cast on B and C, closed on A, ranks every dot', async () => {
    const { nodes } = await startCluster(pg!, redis!, 3);
    const [a, b, c] = nodes as [TestNode, TestNode, TestNode];
    const w = await setupWorkshop(a.url);
    const board = await syncedClient(a.wsUrl, w.boardA, await w.participant('A', 'Autora'));
    const [x, y, z] = ['Huertas', 'Ferias', 'Trueque'].map((text) => addCard(board.doc, { text, author: 'Autora' })) as [string, string, string];
    await roundTrip(board);

    const facilitator = await connectSocket(a.url, w.facilitatorToken);
    const voters: FacilitationClient[] = [];
    for (const [i, node] of [b, c, b, c].entries()) voters.push(await connectSocket(node.url, (await joinWorkshop(node.url, w.workshop, w.boardA.groupId, `Votante ${i}`)).token));
    expect(await facilitator.command({ type: 'vote:open', groupIds: [w.boardA.groupId], budget: 3, maxPerCard: 3, results: 'on-close' })).toEqual({ ok: true });
    // Two votes each, on two nodes at once: every voter uses all three dots.
    const ballots: Array<Array<[string, number]>> = [[[x, 2], [y, 1]], [[y, 2], [z, 1]], [[x, 1], [z, 2]], [[y, 1], [x, 2]]];
    const replies = await Promise.all(voters.flatMap((v, i) => ballots[i]!.map(([cardId, dots]) => v.command({ type: 'vote:set', groupId: w.boardA.groupId, cardId, dots }))));
    expect(replies.filter((r) => !r.ok)).toEqual([]);
    // Everyone voted all three dots: the progress any node sends says so.
    await facilitator.next('vote:progress', (p) => p.finished === 4, 0, 10_000);

    expect(await facilitator.command({ type: 'vote:close' })).toEqual({ ok: true });
    const [{ whole, entries: ranking }] = await voters[3]!.next('vote:ranking', () => true, 0, 10_000);
    expect(whole).toBe(true);
    expect(Object.fromEntries(ranking.map((r) => [r.cardId, r.dots]))).toEqual({ [x]: 5, [y]: 4, [z]: 3 });
    expect(ranking.reduce((sum, r) => sum + r.dots, 0)).toBe(12);
    const record = await storedRecord(c, w.workshop.id);
    expect(record.state.round?.ranking?.reduce((sum, r) => sum + r.dots, 0)).toBe(12);
  });

  it('live results with voters on two nodes: every announcement is whole, and a late joiner on the other node shows the tally', async () => {
    const { nodes } = await startCluster(pg!, redis!, 2);
    const [a, b] = nodes as [TestNode, TestNode];
    const w = await setupWorkshop(a.url);
    const board = await syncedClient(a.wsUrl, w.boardA, await w.participant('A', 'Autora'));
    const [x, y, z] = ['Huertas', 'Ferias', 'Trueque'].map((text) => addCard(board.doc, { text, author: 'Autora' })) as [string, string, string];
    await roundTrip(board);
    const facilitator = await connectSocket(a.url, w.facilitatorToken);
    const onA = await connectSocket(a.url, await w.participant('A', 'En A'));
    const onB = await connectSocket(b.url, await w.participant('A', 'En B'));
    expect(await facilitator.command({ type: 'vote:open', groupIds: [w.boardA.groupId], budget: 3, maxPerCard: 3, results: 'live' })).toEqual({ ok: true });
    const vote = (who: FacilitationClient, cardId: string, dots: number) => who.command({ type: 'vote:set', groupId: w.boardA.groupId, cardId, dots });
    const entry = (cardId: string, dots: number, voters: number, text: string) => ({ groupId: w.boardA.groupId, cardId, dots, voters, text });
    const same = (expected: unknown) => (r: unknown) => JSON.stringify(r) === JSON.stringify(expected);
    expect(await vote(onA, x, 2)).toEqual({ ok: true });
    expect(await vote(onB, y, 1)).toEqual({ ok: true });
    await facilitator.nextRanking(same([entry(x, 2, 1, 'Huertas'), entry(y, 1, 1, 'Ferias')]), 10_000);
    // Joins on B, where A's announcements were made: its snapshot, then the next announcements, end at the tally.
    const late = await connectSocket(b.url, await w.participant('A', 'Tarde'));
    expect(await vote(onB, y, 0)).toEqual({ ok: true });
    expect(await vote(onA, z, 1)).toEqual({ ok: true });
    expect(await vote(late, x, 1)).toEqual({ ok: true });
    const tally = [entry(x, 3, 2, 'Huertas'), entry(z, 1, 1, 'Trueque')];
    for (const s of [late, facilitator, onA, onB]) await s.nextRanking(same(tally), 10_000);
    expect([...late.all('vote:ranking'), ...facilitator.all('vote:ranking')].every(([u]) => u.whole && u.gone.length === 0)).toBe(true);
  });

  it('time-up with auto-lock fires once, with the timer armed on all three nodes', async () => {
    const { nodes } = await startCluster(pg!, redis!, 3);
    const w = await setupWorkshop(nodes[0]!.url);
    // A socket on every node: every node holds the session and arms the timer.
    const sockets: FacilitationClient[] = [];
    for (const node of nodes) sockets.push(await connectSocket(node.url, w.facilitatorToken));
    const writer = await syncedClient(nodes[2]!.wsUrl, w.boardB, await w.participant('B', 'Bea'));
    const f = sockets[0]!;
    expect(await f.command({ type: 'agenda:set', agenda: [{ name: 'Sprint', durationSec: 1, kind: 'brainstorm' }, { name: 'Cierre', durationSec: 60, kind: 'closing' }] })).toEqual({ ok: true });
    expect(await f.command({ type: 'autolock:set', enabled: true })).toEqual({ ok: true });
    expect(await f.command({ type: 'phase:start', index: 0 })).toEqual({ ok: true });
    const before = (await storedRecord(nodes[0]!, w.workshop.id)).rev!;
    await waitFor(() => nodes.every((n) => n.server.sessions.peek(w.workshop.id)?.state.timer.status === 'running'), 5_000, 'every node to hold the running timer');

    const isUp = ([s]: unknown[]) => (s as { timer: { status: string; remainingMs?: number } }).timer.status === 'paused';
    for (const s of sockets) await s.next('session:state', (st) => st.timer.status === 'paused', 0, 10_000);
    // Give the other nodes' timers time to fire too (they find it done under the workshop's lock).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const s of sockets) expect(count(s, 'session:state', isUp)).toBe(1);
    const record = await storedRecord(nodes[1]!, w.workshop.id);
    expect(record.rev).toBe(before + 1);
    expect(record.state.lockedGroups.sort()).toEqual([w.boardA.groupId, w.boardB.groupId].sort());
    expect(record.state.timeUpLocked.sort()).toEqual([w.boardA.groupId, w.boardB.groupId].sort());
    for (const node of nodes) expect(node.log.entries.filter((e) => e.message === 'time-up failed')).toEqual([]);
    await write(writer, 'tarde');
    expect(writer.denied).toEqual([DENIED_READ_ONLY]);
  });

  it('a node that lost Redis tells its people, and when Redis is back it reads a lock set elsewhere meanwhile: its sockets are told, its boards refuse', async () => {
    const proxy = await redisProxy(redis!);
    const cluster = await startCluster(pg!, redis!, 1);
    const cut = await cluster.addNode({ redisUrl: proxy.url });
    const w = await setupWorkshop(cluster.nodes[0]!.url);
    const facilitator = await connectSocket(cluster.nodes[0]!.url, w.facilitatorToken);
    const ana = await w.participant('A', 'Ana');
    const anaSocket = await connectSocket(cut.url, ana);
    const board = await syncedClient(cut.wsUrl, w.boardA, ana);

    proxy.cut();
    await waitFor(async () => (await fetch(`${cut.url}/readyz`)).status === 503, 10_000, '/readyz to report Redis');
    // The cut node's people are told (their page says others will see their work later), and so is a newcomer there.
    await anaSocket.next('cluster:link', (link) => link.cut, 0, 10_000);
    const newcomer = await connectSocket(cut.url, await w.participant('A', 'Nuevo'));
    await newcomer.next('cluster:link', (link) => link.cut, 0, 5_000);
    expect(facilitator.all('cluster:link')).toEqual([]); // node A still hears Redis
    // Commands go on where Redis is (serialised through PostgreSQL); the cut node hears nothing.
    expect(await facilitator.command({ type: 'lock:set', groupId: w.boardA.groupId, locked: true })).toEqual({ ok: true });
    expect(cut.server.sessions.peek(w.workshop.id)?.state.lockedGroups).toEqual([]);

    const restoredSince = anaSocket.events.length;
    proxy.restore();
    await anaSocket.next('cluster:link', (link) => !link.cut, restoredSince, 15_000);
    await anaSocket.next('session:state', (s) => s.lockedGroups.includes(w.boardA.groupId), 0, 15_000);
    expect(cut.server.sessions.peek(w.workshop.id)?.state.lockedGroups).toEqual([w.boardA.groupId]);
    await write(board, 'tras volver Redis');
    expect(board.denied).toEqual([DENIED_READ_ONLY]);
    expect(listCards(await storedBoard(cut.store, w.boardA))).toEqual([]);
  });

  it('a participant joined, moved and removed through one node: the roster on another follows, and its board sockets there too', async () => {
    const { nodes } = await startCluster(pg!, redis!, 2);
    const [a, b] = nodes as [TestNode, TestNode];
    const w = await setupWorkshop(a.url);
    const bea = await joinWorkshop(b.url, w.workshop, w.boardB.groupId, 'Bea');
    const console = await connectSocket(a.url, w.facilitatorToken);
    const consoleOnB = await connectSocket(b.url, w.facilitatorToken);
    const beaSocket = await connectSocket(b.url, bea.token);
    const beaBoardB = await syncedClient(b.wsUrl, w.boardB, bea.token);

    // Someone joins through node A: the console on node B lists them.
    const nico = await joinWorkshop(a.url, w.workshop, w.boardA.groupId, 'Nico');
    await consoleOnB.next('roster:update', (r) => r.some((p) => p.participantId === nico.participantId), 0, 10_000);
    await waitFor(() => b.server.sessions.peek(w.workshop.id)?.participants.has(nico.participantId) === true, 10_000, 'node B to know of the join');

    expect(await console.command({ type: 'participant:move', participantId: bea.participantId, groupId: w.boardA.groupId })).toEqual({ ok: true });
    await beaSocket.next('you:moved', (g) => g === w.boardA.groupId, 0, 10_000);
    await consoleOnB.next('roster:update', (r) => r.some((p) => p.participantId === bea.participantId && p.groupId === w.boardA.groupId), 0, 10_000);
    // On node B, where her sockets are, her old group's board no longer takes her writes.
    await waitFor(() => b.server.sessions.peek(w.workshop.id)?.participants.get(bea.participantId)?.groupId === w.boardA.groupId, 10_000, 'node B to know of the move');
    await write(beaBoardB, 'en el grupo viejo');
    expect(listCards(await storedBoard(a.store, w.boardB))).toEqual([]);
    const beaBoardA = await syncedClient(b.wsUrl, w.boardA, bea.token);

    const ended = endOf(beaSocket);
    const removedSince = consoleOnB.events.length;
    expect(await console.command({ type: 'participant:remove', participantId: bea.participantId })).toEqual({ ok: true });
    expect((await within(ended, 10_000, 'her Socket.IO socket to end')).reason).toBe('io server disconnect');
    expect(count(beaSocket, 'you:removed')).toBe(1);
    await waitFor(() => beaBoardA.closeCodes.includes(CloseCode.Unauthorized), 10_000, 'her board socket on node B to close');
    await consoleOnB.next('roster:update', (r) => !r.some((p) => p.participantId === bea.participantId), removedSince, 10_000);
  });

  it('a link revoked on one node is refused on the other at once (sockets closed, HTTP and new connections refused); a rotated join code shows there', async () => {
    const { nodes } = await startCluster(pg!, redis!, 2);
    const [a, b] = nodes as [TestNode, TestNode];
    const w = await setupWorkshop(a.url);
    const console = await connectSocket(a.url, w.facilitatorToken);
    const cofacilitator = await makeLink(console, 'facilitator');
    // Node B has read the link (it stays in its memory) and holds sockets opened with it.
    expect((await api(b.url, 'GET', '/api/me', { token: cofacilitator })).status).toBe(200);
    const board = await openRawBoard(b.wsUrl, w.boardA, cofacilitator);
    const socket = await connectSocket(b.url, cofacilitator);
    const ended = endOf(socket);
    const bystander = await openRawBoard(b.wsUrl, w.boardA, w.facilitatorToken);

    const id = decodeJwt(cofacilitator).jti!;
    expect((await api(a.url, 'DELETE', `/api/workshops/${w.workshop.id}/links/${id}`, { token: w.facilitatorToken })).status).toBe(204);
    // Told before the answer: node B refuses it now.
    expect((await api(b.url, 'GET', '/api/me', { token: cofacilitator })).status).toBe(401);
    expect(await within(board.closed, 5_000, 'the board socket on node B to close')).toMatchObject({ code: CloseCode.Unauthorized, reason: 'link revoked' });
    expect(await within(ended, 5_000, 'the Socket.IO socket on node B to end')).toEqual({ told: { code: 'unauthorized', reason: 'revoked' }, reason: 'io server disconnect' });
    const again = openRaw(boardUrl(b.wsUrl, w.boardA, cofacilitator));
    expect((await within(again.closed, 5_000, 'a new board socket on node B to close')).code).toBe(CloseCode.Unauthorized);
    expect((await handshakeRefusal(b.url, cofacilitator)).message).toBe('unauthorized');
    expect(bystander.isOpen()).toBe(true);

    // A join code rotated on A: the console on B is told once, and a console opening on B shows it.
    const consoleOnB = await connectSocket(b.url, w.facilitatorToken);
    const rotated = await api<{ joinCode: string }>(a.url, 'POST', `/api/workshops/${w.workshop.id}/join-code`, { token: w.facilitatorToken });
    expect(rotated.status).toBe(201);
    expect(await consoleOnB.next('join:code')).toEqual([rotated.body.joinCode]);
    expect(count(consoleOnB, 'join:code')).toBe(1);
    await waitFor(() => b.server.sessions.peek(w.workshop.id)?.joinCode === rotated.body.joinCode, 5_000, 'node B to hold the new code');
    expect((await connectSocket(b.url, w.facilitatorToken)).snapshot.joinCode).toBe(rotated.body.joinCode);
  });

  it('a workshop deleted through one node is closed on the other: sockets told once, boards closed, nothing loads again', async () => {
    const { nodes } = await startCluster(pg!, redis!, 2);
    const [a, b] = nodes as [TestNode, TestNode];
    const w = await setupWorkshop(a.url);
    const ana = await w.participant('A', 'Ana');
    const socketOnB = await connectSocket(b.url, ana);
    const boardOnB = await openRawBoard(b.wsUrl, w.boardA, ana);
    // Someone keeps writing through node B while the workshop is deleted through node A.
    const writer = await syncedClient(b.wsUrl, w.boardB, await w.participant('B', 'Bea'));
    await write(writer, 'antes');
    const typing = setInterval(() => addCard(writer.doc, { text: 'durante', author: 'Bea' }), 5);
    onTestFinished(() => clearInterval(typing));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await api(a.url, 'DELETE', `/api/workshops/${w.workshop.id}`, { token: w.facilitatorToken })).status).toBe(204);
    clearInterval(typing);
    expect((await within(boardOnB.closed, 5_000, 'the board socket on node B to close')).code).toBe(CloseCode.WorkshopDeleted);
    await waitFor(() => socketOnB.socket.disconnected, 5_000, 'the Socket.IO socket on node B to be disconnected');
    expect(count(socketOnB, 'workshop:deleted')).toBe(1);
    await expect(b.server.sessions.open(w.workshop.id)).rejects.toThrow(/deleted/);
    expect(await b.store.getWorkshop(w.workshop.id)).toBeNull();
    // Nothing node B stored meanwhile (late writes, its compaction on close) outlives the deletion.
    await waitFor(async () => {
      const docs = await Promise.all([w.boardA, w.boardB].map((board) => b.store.loadDoc(nameOf(board))));
      return docs.every((d) => d.snapshot === null && d.updates.length === 0 && d.lastSeq === 0);
    }, 10_000, 'no board of the deleted workshop in the store');
    expect(b.log.entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});
