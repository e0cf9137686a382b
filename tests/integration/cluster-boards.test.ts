// Boards across nodes (cluster mode, issue 14): real servers sharing one PostgreSQL
// schema and one Redis. People on different nodes co-edit one board and converge; read-only
// holds on every node; compaction on one node never loses what another appends; a message
// Redis lost is filled from the store; a node that lost Redis catches up when it is back;
// a node started later serves everything.
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DENIED_READ_ONLY } from '../../shared/close-codes.js';
import { addCard } from '../../shared/board.js';
import { setupWorkshop } from '../helpers/api.js';
import { barrier, nameOf, storedBoard, texts } from '../helpers/board.js';
import { startCluster, type TestNode } from '../helpers/cluster.js';
import { redisProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/wait.js';
import { syncedClient, type BoardClient } from '../helpers/yclient.js';
import { postgresUrl, redisUrl } from '../support/requires.js';

const pg = await postgresUrl();
const redis = await redisUrl();

const cards = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);
const liveTexts = async (node: TestNode, board: { workshopId: string; groupId: string }) => {
  const live = node.server.registry.peek(nameOf(board));
  return live ? texts(live.doc) : null;
};

describe.skipIf(pg === null || redis === null)('boards across nodes (cluster mode)', () => {
  it('people on three nodes co-edit one board and converge; the store holds it all, in per-board order with no gaps', async () => {
    const { nodes } = await startCluster(pg!, redis!, 3);
    const w = await setupWorkshop(nodes[0]!.url);
    const clients: BoardClient[] = [];
    for (const [i, node] of nodes.entries()) clients.push(await syncedClient(node.wsUrl, w.boardA, await w.participant('A', `Persona ${i}`)));

    const expected: string[] = [];
    for (let round = 0; round < 20; round++) {
      for (const [i, client] of clients.entries()) {
        addCard(client.doc, { text: `n${i} idea ${round}`, author: `Persona ${i}` });
        expected.push(`n${i} idea ${round}`);
      }
    }
    expected.sort();
    await waitFor(() => clients.every((c) => texts(c.doc).length === expected.length), 15_000, 'every client to hold all 60 cards');
    for (const client of clients) expect(texts(client.doc)).toEqual(expected);
    for (const node of nodes) expect(await liveTexts(node, w.boardA)).toEqual(expected);
    expect(texts(await storedBoard(nodes[0]!.store, w.boardA))).toEqual(expected);

    // Sequence numbers per board, 1…n with no gap, whoever stored them.
    const stored = await nodes[1]!.store.loadDoc(nameOf(w.boardA));
    expect(stored.lastSeq).toBe(stored.updates.length);
    for (const c of clients) c.destroy();
  });

  it('a participant of another group cannot write through any node: denied, not applied, not relayed, not stored', async () => {
    const { nodes } = await startCluster(pg!, redis!, 2);
    const w = await setupWorkshop(nodes[0]!.url);
    const writer0 = await syncedClient(nodes[0]!.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const writer1 = await syncedClient(nodes[1]!.wsUrl, w.boardA, await w.participant('A', 'Beto'));
    addCard(writer0.doc, { text: 'visible', author: 'Ana' });
    const readers = [
      await syncedClient(nodes[0]!.wsUrl, w.boardA, await w.participant('B', 'Carla')),
      await syncedClient(nodes[1]!.wsUrl, w.boardA, await w.participant('B', 'Dora')),
    ];
    await waitFor(() => readers.every((r) => texts(r.doc).includes('visible')), 5_000, 'the readers to receive the board');

    for (const [i, reader] of readers.entries()) addCard(reader.doc, { text: `intrusa ${i}`, author: 'Carla' });
    await waitFor(() => readers.every((r) => r.denied.length > 0), 5_000, 'permission-denied on both nodes');
    for (const reader of readers) expect(reader.denied).toEqual([DENIED_READ_ONLY]);

    await barrier(writer0, [writer1, ...readers], 'después 0');
    await barrier(writer1, [writer0, ...readers], 'después 1');
    const expected = ['después 0', 'después 1', 'visible'];
    expect(texts(writer0.doc)).toEqual(expected);
    expect(texts(writer1.doc)).toEqual(expected);
    for (const node of nodes) expect(await liveTexts(node, w.boardA)).toEqual(expected);
    expect(texts(await storedBoard(nodes[1]!.store, w.boardA))).toEqual(expected);
    for (const c of [writer0, writer1, ...readers]) c.destroy();
  });

  it('compaction on one node while another appends loses nothing, and deletes only what it folded', async () => {
    const { nodes } = await startCluster(pg!, redis!, 2, { compactEvery: 10 });
    const w = await setupWorkshop(nodes[0]!.url);
    const a = await syncedClient(nodes[0]!.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const b = await syncedClient(nodes[1]!.wsUrl, w.boardA, await w.participant('A', 'Beto'));
    const name = nameOf(w.boardA);
    const expected = [...cards('ana', 150), ...cards('beto', 150)].sort();
    // Both nodes write (and compact every 10 updates) while node 0 is also made to compact at every turn.
    let compactions = 0;
    const compacting = (async () => {
      while (texts(b.doc).length < expected.length) {
        await nodes[0]!.server.registry.peek(name)?.compact();
        compactions++;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    for (let i = 0; i < 150; i++) {
      addCard(a.doc, { text: `ana ${i}`, author: 'Ana' });
      addCard(b.doc, { text: `beto ${i}`, author: 'Beto' });
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await waitFor(() => texts(a.doc).length === expected.length && texts(b.doc).length === expected.length, 20_000, 'both clients to hold all 300 cards');
    await compacting;
    expect(compactions).toBeGreaterThan(0);
    expect(texts(a.doc)).toEqual(expected);
    expect(texts(b.doc)).toEqual(expected);

    const stored = await nodes[1]!.store.loadDoc(name);
    expect(stored.snapshot).not.toBeNull();
    expect(stored.updates.length).toBeLessThan(300); // compacted, and…
    expect(texts(await storedBoard(nodes[1]!.store, w.boardA))).toEqual(expected); // …nothing lost
    a.destroy();
    b.destroy();
  });

  it('a board message Redis lost is filled from the store before the next one is applied', async () => {
    let lose = false;
    const dropped: number[] = [];
    const cluster = await startCluster(pg!, redis!, 1);
    // Node 1 loses one update node 0 stores (the first one once `lose` is set).
    const receiver = await cluster.addNode({
      dropIncoming: (_name, seq) => {
        if (!lose) return false;
        lose = false;
        dropped.push(seq);
        return true;
      },
    });
    const w = await setupWorkshop(cluster.nodes[0]!.url);
    const writer = await syncedClient(cluster.nodes[0]!.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const peer = await syncedClient(receiver.wsUrl, w.boardA, await w.participant('A', 'Beto'));
    addCard(writer.doc, { text: 'idea 0', author: 'Ana' });
    await waitFor(() => texts(peer.doc).length === 1, 5_000, 'the first card');
    lose = true;
    addCard(writer.doc, { text: 'idea 1', author: 'Ana' });
    await waitFor(() => dropped.length === 1, 5_000, 'one message to be dropped');
    // Nothing arrives until the next update reveals the gap; then the store fills it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(texts(peer.doc)).toEqual(['idea 0']);
    for (const text of cards('idea', 5).slice(2)) addCard(writer.doc, { text, author: 'Ana' });
    await waitFor(() => texts(peer.doc).length === 5, 10_000, 'the peer on the other node to hold all 5 cards');
    expect(texts(peer.doc)).toEqual(cards('idea', 5).sort());
    expect(await liveTexts(receiver, w.boardA)).toEqual(cards('idea', 5).sort());
    // Filled in place: the board on node 1 was not dropped and reloaded (its peer was never disconnected).
    expect(peer.closeCodes).toEqual([]);
    expect(receiver.log.entries.filter((e) => e.level === 'error')).toEqual([]);
    writer.destroy();
    peer.destroy();
  });

  it('a node that loses Redis still stores its writes, reports it in /readyz, and catches up when Redis is back', async () => {
    const proxy = await redisProxy(redis!);
    const cluster = await startCluster(pg!, redis!, 1);
    const cut = await cluster.addNode({ redisUrl: proxy.url });
    const w = await setupWorkshop(cluster.nodes[0]!.url);
    const onCut = await syncedClient(cut.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const elsewhere = await syncedClient(cluster.nodes[0]!.wsUrl, w.boardA, await w.participant('A', 'Beto'));
    await barrier(onCut, [elsewhere], 'antes');

    proxy.cut();
    await waitFor(async () => (await fetch(`${cut.url}/readyz`)).status === 503, 5_000, '/readyz to report Redis');
    const ready = (await (await fetch(`${cut.url}/readyz`)).json()) as { checks: Record<string, string> };
    expect(ready.checks.store).toBe('ok');
    expect(ready.checks.redis).not.toBe('ok');

    // Both sides keep writing; each is stored, and relayed on its own node.
    for (const text of cards('aislada', 5)) addCard(onCut.doc, { text, author: 'Ana' });
    for (const text of cards('afuera', 5)) addCard(elsewhere.doc, { text, author: 'Beto' });
    const all = ['antes', ...cards('aislada', 5), ...cards('afuera', 5)].sort();
    await waitFor(async () => texts(await storedBoard(cluster.nodes[0]!.store, w.boardA)).length === all.length, 10_000, 'both sides’ writes to be stored');
    expect(texts(elsewhere.doc)).not.toContain('aislada 0');

    // Redis back: the cut node subscribes again and reads what it missed; its peers get the rest, with nothing more written.
    proxy.restore();
    await waitFor(() => texts(onCut.doc).length === all.length && texts(elsewhere.doc).length === all.length, 15_000, 'both sides to catch up');
    expect(texts(onCut.doc)).toEqual(all);
    expect(texts(elsewhere.doc)).toEqual(all);
    await waitFor(async () => (await fetch(`${cut.url}/readyz`)).status === 200, 5_000, '/readyz to be ready again');
    onCut.destroy();
    elsewhere.destroy();
  });

  it('after its Redis subscriber connection is killed (CLIENT KILL), a node subscribes again and relays on', async () => {
    const { nodes } = await startCluster(pg!, redis!, 2);
    const w = await setupWorkshop(nodes[0]!.url);
    const writer = await syncedClient(nodes[0]!.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const peer = await syncedClient(nodes[1]!.wsUrl, w.boardA, await w.participant('A', 'Beto'));
    await barrier(writer, [peer], 'antes');

    const admin = new Redis(redis!);
    try {
      const list = String(await admin.call('CLIENT', 'LIST'));
      const line = list.split('\n').find((l) => l.includes(`name=relatoria-${nodes[1]!.id} `) && / cmd=(p?subscribe|ping)/.test(l) && !/ sub=0 /.test(l));
      const id = /id=(\d+)/.exec(line ?? '')?.[1];
      expect(id, 'the subscriber connection of node 1').toBeDefined();
      await admin.call('CLIENT', 'KILL', 'ID', id!);
    } finally {
      admin.disconnect();
    }
    // Written at once: some of these are published while node 1 is not subscribed.
    for (const text of cards('durante', 10)) addCard(writer.doc, { text, author: 'Ana' });
    const all = ['antes', ...cards('durante', 10)].sort();
    await waitFor(() => texts(peer.doc).length === all.length, 15_000, 'the peer on node 1 to catch up');
    await barrier(writer, [peer], 'después');
    expect(texts(peer.doc)).toEqual([...all, 'después'].sort());
    writer.destroy();
    peer.destroy();
  });

  it('a node started later serves everything the others stored, and joins the editing', async () => {
    const cluster = await startCluster(pg!, redis!, 2, { compactEvery: 7 });
    const w = await setupWorkshop(cluster.nodes[0]!.url);
    const a = await syncedClient(cluster.nodes[0]!.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const b = await syncedClient(cluster.nodes[1]!.wsUrl, w.boardA, await w.participant('A', 'Beto'));
    for (let i = 0; i < 20; i++) {
      addCard(a.doc, { text: `ana ${i}`, author: 'Ana' });
      addCard(b.doc, { text: `beto ${i}`, author: 'Beto' });
    }
    const first = [...cards('ana', 20), ...cards('beto', 20)].sort();
    await waitFor(() => texts(a.doc).length === 40 && texts(b.doc).length === 40, 10_000, 'the first 40 cards on both');

    const late = await cluster.addNode();
    const c = await syncedClient(late.wsUrl, w.boardA, await w.participant('A', 'Carla'));
    expect(texts(c.doc)).toEqual(first);
    addCard(c.doc, { text: 'tarde', author: 'Carla' });
    await waitFor(() => [a, b].every((x) => texts(x.doc).includes('tarde')), 5_000, 'the late node’s card on the others');
    // A fresh doc (as a browser reconnecting through the balancer) reads the same from any node.
    const fresh = new Y.Doc();
    const d = await syncedClient(cluster.nodes[1]!.wsUrl, w.boardA, w.facilitatorToken, { doc: fresh });
    expect(texts(d.doc)).toEqual([...first, 'tarde'].sort());
    for (const x of [a, b, c, d]) x.destroy();
  });
});
