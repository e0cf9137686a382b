// Board presence across nodes (cluster mode): real servers sharing one PostgreSQL schema
// and one Redis, stock y-websocket clients. People on one board through different nodes
// see each other's names and carets, and every change of them; a client connecting later
// on a third node sees both; one leaving is gone on every node; a killed node's people go
// within the bound the heartbeat gives (docs/ARCHITECTURE.md, "Board presence across
// nodes"), a stopped node's at once, a stalled node's until it runs again; a connection on one node cannot overwrite the state of a client on another;
// cursor moves are published coalesced, and nothing of it is stored.
import { Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import * as encoding from 'lib0/encoding';
import { setupWorkshop } from '../helpers/api.js';
import { nameOf } from '../helpers/board.js';
import { startCluster, type TestNode } from '../helpers/cluster.js';
import { awarenessMessage, openRawBoard, probe } from '../helpers/raw-ws.js';
import { waitFor } from '../helpers/wait.js';
import { syncedClient, type BoardClient } from '../helpers/yclient.js';
import { postgresUrl, redisUrl } from '../support/requires.js';
import { HEARTBEAT_TTL_MS } from '../../server/cluster/cluster-presence.js';
import { LIVENESS_CHECK_MS, PUBLISH_EVERY_MS } from '../../server/cluster/board-awareness.js';

const pg = await postgresUrl();
const redis = await redisUrl();

/** What a killed node's people wait for: its heartbeat to lapse and one liveness check; 2 s of slack for a loaded machine. */
const KILLED_NODE_BOUND_MS = HEARTBEAT_TTL_MS + LIVENESS_CHECK_MS + 2_000;

const stateOf = (client: BoardClient, id: number) => client.provider.awareness.getStates().get(id) as Record<string, unknown> | undefined;
const sees = (client: BoardClient, other: BoardClient) => stateOf(client, other.doc.clientID) !== undefined;

function setPresence(client: BoardClient, name: string, cursor: number): void {
  client.provider.awareness.setLocalState({ user: { name, color: '#336699' }, cursor: { anchor: cursor, head: cursor } });
}

const presenceWarnings = (node: TestNode) => node.log.at('warn').filter((e) => e.message.includes('presence'));

/** Two nodes, and board A with Ana on node A and Beto on node B. */
async function anaOnABetoOnB() {
  const cluster = await startCluster(pg!, redis!, 2);
  const [a, b] = [cluster.nodes[0]!, cluster.nodes[1]!];
  const w = await setupWorkshop(a.url);
  const ana = await syncedClient(a.wsUrl, w.boardA, await w.participant('A', 'Ana'));
  const beto = await syncedClient(b.wsUrl, w.boardA, await w.participant('A', 'Beto'));
  return { cluster, a, b, w, ana, beto };
}

/** One node A in this process and a child node process (to kill or stop), board A with Ana on the child and Beto on A. */
async function anaOnChildBetoOnA(childName: string) {
  const cluster = await startCluster(pg!, redis!, 1);
  const a = cluster.nodes[0]!;
  const child = await cluster.addChildNode(childName);
  const w = await setupWorkshop(a.url);
  const ana = await syncedClient(child.wsUrl, w.boardA, await w.participant('A', 'Ana'));
  const beto = await syncedClient(a.wsUrl, w.boardA, await w.participant('A', 'Beto'));
  return { a, child, w, ana, beto };
}

describe.skipIf(pg === null || redis === null)('board presence across nodes (cluster mode)', () => {
  it('two people on two nodes see each other’s name and caret and its moves; a third on a later node sees both; one leaving is gone everywhere', async () => {
    const { cluster, a, b, w, ana, beto } = await anaOnABetoOnB();
    setPresence(ana, 'Ana', 1);
    setPresence(beto, 'Beto', 2);
    await waitFor(() => sees(ana, beto) && sees(beto, ana), 10_000, 'Ana and Beto to see each other across nodes');
    expect(stateOf(beto, ana.doc.clientID)).toEqual({ user: { name: 'Ana', color: '#336699' }, cursor: { anchor: 1, head: 1 } });
    expect(stateOf(ana, beto.doc.clientID)).toMatchObject({ user: { name: 'Beto' }, cursor: { anchor: 2 } });

    // A caret moving: the last position arrives.
    for (let pos = 3; pos <= 12; pos++) {
      setPresence(ana, 'Ana', pos);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await waitFor(() => (stateOf(beto, ana.doc.clientID)?.cursor as { head: number } | undefined)?.head === 12, 10_000, 'Ana’s last caret on B');

    // A third person connecting later, through a node started later, sees both.
    const c = await cluster.addNode();
    const caio = await syncedClient(c.wsUrl, w.boardA, await w.participant('A', 'Caio'));
    await waitFor(() => sees(caio, ana) && sees(caio, beto), 10_000, 'Caio on C to see Ana and Beto');
    expect(stateOf(caio, ana.doc.clientID)).toMatchObject({ user: { name: 'Ana' }, cursor: { head: 12 } });
    setPresence(caio, 'Caio', 5);
    await waitFor(() => sees(ana, caio) && sees(beto, caio), 10_000, 'Ana and Beto to see Caio');

    // One more move, timed from Ana's client to Beto's through two nodes.
    const movedAt = performance.now();
    setPresence(ana, 'Ana', 13);
    await waitFor(() => (stateOf(beto, ana.doc.clientID)?.cursor as { head: number } | undefined)?.head === 13, 5_000, 'Ana’s move on B');
    const moveMs = performance.now() - movedAt;

    // Beto closes his tab: gone on A and on C, and from every node's board.
    const betoId = beto.doc.clientID;
    const leftAt = performance.now();
    beto.destroy();
    await waitFor(() => !sees(ana, beto) && !sees(caio, beto), 5_000, 'Beto gone on A and C');
    console.log(`a caret move crossed nodes in ${Math.round(moveMs)} ms; a closed client was gone on both other nodes after ${Math.round(performance.now() - leftAt)} ms`);
    for (const node of [a, c]) expect(node.server.registry.peek(nameOf(w.boardA))!.awareness.getStates().has(betoId)).toBe(false);
    for (const node of [a, b, c]) expect(presenceWarnings(node)).toEqual([]);
  }, 60_000);

  it('caret moves are published coalesced (a few messages, not one per move), and nothing of presence is stored', async () => {
    const { a, w, ana, beto } = await anaOnABetoOnB();
    setPresence(ana, 'Ana', 0);
    await waitFor(() => sees(beto, ana), 10_000, 'Beto to see Ana');
    const storedBefore = (await a.store.loadDoc(nameOf(w.boardA))).lastSeq;

    const listener = new Redis(redis!);
    onTestFinished(() => void listener.quit());
    let published = 0;
    listener.on('messageBuffer', () => published++);
    await listener.subscribe(`${a.cluster.link.prefix}awareness:${nameOf(w.boardA)}`);

    const moves = 40;
    const started = performance.now();
    for (let pos = 1; pos <= moves; pos++) {
      setPresence(ana, 'Ana', pos);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await waitFor(() => (stateOf(beto, ana.doc.clientID)?.cursor as { head: number } | undefined)?.head === moves, 10_000, 'Ana’s last caret on B');
    const elapsed = performance.now() - started;
    // Beto's stock client relays Ana's states back to B, which publishes nothing of them (not its own).
    await new Promise((resolve) => setTimeout(resolve, 4 * PUBLISH_EVERY_MS));
    expect(published).toBeGreaterThan(0);
    expect(published).toBeLessThanOrEqual(Math.ceil(elapsed / PUBLISH_EVERY_MS) + 2);
    expect(published).toBeLessThan(moves / 2);
    console.log(`${moves} caret moves in ${Math.round(elapsed)} ms: ${published} presence messages published`);
    expect((await a.store.loadDoc(nameOf(w.boardA))).lastSeq).toBe(storedBefore);
  }, 60_000);

  it('garbage on a board’s presence channel is logged and dropped; presence goes on', async () => {
    const { a, b, w, ana, beto } = await anaOnABetoOnB();
    setPresence(ana, 'Ana', 1);
    await waitFor(() => sees(beto, ana), 10_000, 'Beto to see Ana');

    const publisher = new Redis(redis!);
    onTestFinished(() => void publisher.quit());
    const channel = `${a.cluster.link.prefix}awareness:${nameOf(w.boardA)}`;
    // An unknown kind; a truncated message; a well-formed one whose state is not JSON.
    const bad = encoding.createEncoder();
    encoding.writeVarUint(bad, 1);
    encoding.writeVarString(bad, 'intruder#0');
    encoding.writeVarUint(bad, 1);
    encoding.writeVarUint(bad, 4242);
    encoding.writeVarUint(bad, 1);
    encoding.writeVarString(bad, '{not json');
    encoding.writeVarString(bad, 'x');
    for (const message of [Buffer.from([9, 0]), Buffer.from([1]), Buffer.from(encoding.toUint8Array(bad))]) await publisher.publish(channel, message);

    setPresence(ana, 'Ana', 2);
    await waitFor(() => (stateOf(beto, ana.doc.clientID)?.cursor as { head: number } | undefined)?.head === 2, 10_000, 'Ana’s next move on B');
    // Nothing of the bad message stuck: a connection may still announce that id as its own.
    expect(a.server.registry.peek(nameOf(w.boardA))!.awareness.getStates().has(4242)).toBe(false);
    const raw = await openRawBoard(a.wsUrl, w.boardA, await w.participant('A', 'Caio'));
    raw.send(awarenessMessage([{ id: 4242, clock: 1, state: { user: { name: 'Caio' } } }]));
    expect(await probe(raw)).toBe('served');
    await waitFor(() => stateOf(beto, 4242) !== undefined, 10_000, 'Caio’s hand-made id on B');
    expect(presenceWarnings(a)).toEqual([]);
    for (const node of [a, b]) {
      const errors = node.log.at('error').map((e) => e.message);
      expect(errors.filter((m) => m.includes('unreadable board presence message'))).toHaveLength(2);
      expect(errors.filter((m) => m.includes('applying another node’s board presence failed'))).toHaveLength(1);
    }
  }, 60_000);

  it('a connection on A cannot overwrite the state of a client on B (refused as foreign_id)', async () => {
    const cluster = await startCluster(pg!, redis!, 2);
    const [a, b] = [cluster.nodes[0]!, cluster.nodes[1]!];
    const w = await setupWorkshop(a.url);
    const ana = await syncedClient(b.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const watcher = await syncedClient(a.wsUrl, w.boardA, await w.participant('A', 'Beto'));
    setPresence(ana, 'Ana', 7);
    await waitFor(() => sees(watcher, ana), 10_000, 'Ana (on B) seen on A');
    const id = ana.doc.clientID;
    const clock = a.server.registry.peek(nameOf(w.boardA))!.awareness.meta.get(id)!.clock;

    const mallory = await openRawBoard(a.wsUrl, w.boardA, await w.participant('A', 'Mallory'));
    mallory.send(awarenessMessage([{ id, clock: clock + 10, state: { user: { name: 'Impostora' } } }]));
    mallory.send(awarenessMessage([{ id, clock: clock + 20, state: null }]));
    expect(await probe(mallory)).toBe('served');
    const warnings = presenceWarnings(a);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.fields.refused).toEqual(['foreign_id']);
    // Nowhere overwritten: not on A, not on B, not for Beto — and Ana's next move still arrives.
    setPresence(ana, 'Ana', 8);
    await waitFor(() => (stateOf(watcher, id)?.cursor as { head: number } | undefined)?.head === 8, 10_000, 'Ana’s next caret on A');
    for (const node of [a, b]) expect(node.server.registry.peek(nameOf(w.boardA))!.awareness.getStates().get(id)).toMatchObject({ user: { name: 'Ana' } });
    expect(stateOf(watcher, id)).toMatchObject({ user: { name: 'Ana' } });
    expect(presenceWarnings(b)).toEqual([]);
  }, 60_000);

  it('a person reconnecting through another node takes their presence along; the old socket closing late leaves them on every node', async () => {
    const cluster = await startCluster(pg!, redis!, 2);
    const [a, b] = [cluster.nodes[0]!, cluster.nodes[1]!];
    const w = await setupWorkshop(a.url);
    const anaToken = await w.participant('A', 'Ana');
    const ana = await syncedClient(b.wsUrl, w.boardA, anaToken);
    const onA = await syncedClient(a.wsUrl, w.boardA, await w.participant('A', 'Beto'));
    const onB = await syncedClient(b.wsUrl, w.boardA, await w.participant('A', 'Caio'));
    setPresence(ana, 'Ana', 1);
    await waitFor(() => sees(onA, ana) && sees(onB, ana), 10_000, 'Ana seen on both nodes');

    // A new socket through A for the same client (the balancer moved her), saying its presence
    // anew as the board page does on every connection; then the old socket on B dies.
    const again = await syncedClient(a.wsUrl, w.boardA, anaToken, { doc: ana.doc, awareness: ana.provider.awareness });
    setPresence(ana, 'Ana', 2);
    const id = ana.doc.clientID;
    const head = (client: BoardClient) => (stateOf(client, id)?.cursor as { head: number } | undefined)?.head;
    await waitFor(() => head(onA) === 2 && head(onB) === 2, 10_000, 'Ana’s state through A on both nodes');
    const boardB = b.server.registry.peek(nameOf(w.boardA))!;
    const peersBefore = boardB.peers.size;
    ana.provider.shouldConnect = false;
    (ana.provider.ws as unknown as { terminate(): void }).terminate();
    await waitFor(() => boardB.peers.size === peersBefore - 1, 10_000, 'B to see the old socket close');
    // B removed her with that socket; A, where she lives now, says her state again (newer).
    const boardOf = (node: TestNode) => node.server.registry.peek(nameOf(w.boardA))!;
    await waitFor(() => head(onA) === 2 && head(onB) === 2 && boardOf(a).awareness.getStates().has(id) && boardOf(b).awareness.getStates().has(id), 5_000, 'Ana on every node after her old socket closed');
    // And she goes on moving through A.
    setPresence(ana, 'Ana', 3);
    await waitFor(() => head(onB) === 3, 10_000, 'Ana’s next move on B');
    for (const node of [a, b]) expect(presenceWarnings(node)).toEqual([]);
    again.destroy();
    await waitFor(() => !sees(onB, ana) && !sees(onA, ana), 5_000, 'Ana gone on both once she leaves');
  }, 60_000);

  it('a killed node’s people are gone from the others’ boards within the heartbeat bound', async () => {
    const { a, child, w, ana, beto } = await anaOnChildBetoOnA('doomed');
    setPresence(ana, 'Ana', 1);
    setPresence(beto, 'Beto', 2);
    await waitFor(() => sees(beto, ana) && sees(ana, beto), 15_000, 'Ana (on the child) and Beto to see each other');
    const anaId = ana.doc.clientID;

    let goneAt: number | null = null;
    beto.provider.awareness.on('change', () => {
      if (goneAt === null && !beto.provider.awareness.getStates().has(anaId)) goneAt = performance.now();
    });
    const killedAt = performance.now();
    await child.kill('SIGKILL');
    await waitFor(() => goneAt !== null, KILLED_NODE_BOUND_MS + 10_000, 'Ana gone on A');
    const took = goneAt! - killedAt;
    expect(took).toBeLessThanOrEqual(KILLED_NODE_BOUND_MS);
    expect(a.server.registry.peek(nameOf(w.boardA))!.awareness.getStates().has(anaId)).toBe(false);
    console.log(`killed node's board presence gone after ${Math.round(took)} ms (bound ${KILLED_NODE_BOUND_MS} ms)`);
  }, 120_000); // a node process to start on a shared 2-core machine

  it('a node that stops cleanly has its people gone at once, without waiting for its heartbeat to lapse', async () => {
    const { b, ana, beto } = await anaOnABetoOnB();
    beto.provider.shouldConnect = false; // no reconnecting to A meanwhile
    setPresence(beto, 'Beto', 2);
    await waitFor(() => sees(ana, beto), 10_000, 'Beto (on B) seen on A');
    const stoppedAt = performance.now();
    await b.close();
    await waitFor(() => !sees(ana, beto), HEARTBEAT_TTL_MS, 'Beto gone on A before B’s heartbeat could lapse');
    console.log(`stopped node's board presence gone after ${Math.round(performance.now() - stoppedAt)} ms`);
  }, 60_000);

  it('a stalled node (SIGSTOP past its heartbeat) has its people dropped, and says them again once it runs', async () => {
    const { child, ana, beto } = await anaOnChildBetoOnA('stalled');
    setPresence(ana, 'Ana', 1);
    await waitFor(() => sees(beto, ana), 15_000, 'Ana (on the child) seen on A');

    child.proc.kill('SIGSTOP');
    try {
      await waitFor(() => !sees(beto, ana), KILLED_NODE_BOUND_MS + 5_000, 'Ana dropped on A while her node is stalled');
    } finally {
      child.proc.kill('SIGCONT');
    }
    // Back without Ana changing anything (her client renews its state only every 15 s).
    await waitFor(() => sees(beto, ana), 5_000, 'Ana back on A once her node runs');
    expect(stateOf(beto, ana.doc.clientID)).toMatchObject({ user: { name: 'Ana' }, cursor: { head: 1 } });
  }, 120_000);
});
