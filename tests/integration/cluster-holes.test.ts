// Holes in another node's board updates (cluster mode): a message overtaken on its way
// through Redis is waited for (a grace period) instead of read from the store; one Redis
// lost is still read from the store, after the grace; and that read never holds up what
// people on the reading node write meanwhile. Store reads are counted by the node's own
// metric (relatoria_board_hole_fills_total).
import { describe, expect, it } from 'vitest';
import { addCard } from '../../shared/board.js';
import { setupWorkshop } from '../helpers/api.js';
import { barrier, nameOf, texts } from '../helpers/board.js';
import { startCluster, type TestNode } from '../helpers/cluster.js';
import { waitFor } from '../helpers/wait.js';
import { syncedClient } from '../helpers/yclient.js';
import { postgresUrl, redisUrl } from '../support/requires.js';

const pg = await postgresUrl();
const redis = await redisUrl();

/** How many holes the node read from the store. */
async function holeFills(node: TestNode): Promise<number> {
  const text = await node.server.metrics.text();
  return Number(/^relatoria_board_hole_fills_total (\S+)$/m.exec(text)?.[1] ?? NaN);
}

/** The board's next number in the store, once nothing is on its way (what the next write will be stored under). */
async function nextSeq(node: TestNode, board: { workshopId: string; groupId: string }): Promise<number> {
  return (await node.store.loadDoc(nameOf(board))).lastSeq + 1;
}

describe.skipIf(pg === null || redis === null)('holes in another node’s board updates (cluster mode)', () => {
  it('a message overtaken on its way is waited for, not read from the store; with no grace it would be', async () => {
    for (const graceMs of [5_000, 0]) {
      // Node 1 holds message `held` back until the one after it has arrived: the later one overtakes it.
      let held = -1;
      let release: (() => void) | null = null;
      const cluster = await startCluster(pg!, redis!, 1);
      const receiver = await cluster.addNode({
        holeGraceMs: graceMs,
        delayIncoming: (_name, seq) => {
          if (seq === held) return new Promise<void>((resolve) => (release = resolve));
          if (seq === held + 1) setTimeout(() => release?.(), 200); // after the later one is held back behind the hole
          return null;
        },
      });
      const w = await setupWorkshop(cluster.nodes[0]!.url);
      const writer = await syncedClient(cluster.nodes[0]!.wsUrl, w.boardA, await w.participant('A', 'Ana'));
      const peer = await syncedClient(receiver.wsUrl, w.boardA, await w.participant('A', 'Beto'));
      await barrier(writer, [peer], 'antes');
      const before = await holeFills(receiver);

      held = await nextSeq(cluster.nodes[0]!, w.boardA);
      addCard(writer.doc, { text: 'primera', author: 'Ana' });
      addCard(writer.doc, { text: 'segunda', author: 'Ana' });
      await waitFor(() => texts(peer.doc).length === 3, 10_000, 'both cards on the other node');
      expect(release, 'the first message was held back').not.toBeNull();
      expect(texts(peer.doc)).toEqual(['antes', 'primera', 'segunda']);
      if (graceMs > 0) expect(await holeFills(receiver)).toBe(before);
      else await waitFor(async () => (await holeFills(receiver)) === before + 1, 5_000, 'the hole to be read from the store at once');
      expect(peer.closeCodes).toEqual([]);
      writer.destroy();
      peer.destroy();
    }
  });

  it('a message Redis lost is read from the store once the grace period is over, and only then', async () => {
    const graceMs = 300;
    let lose = -1;
    const cluster = await startCluster(pg!, redis!, 1);
    const receiver = await cluster.addNode({ holeGraceMs: graceMs, dropIncoming: (_name, seq) => seq === lose });
    const w = await setupWorkshop(cluster.nodes[0]!.url);
    const writer = await syncedClient(cluster.nodes[0]!.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const peer = await syncedClient(receiver.wsUrl, w.boardA, await w.participant('A', 'Beto'));
    await barrier(writer, [peer], 'antes');
    const before = await holeFills(receiver);

    lose = await nextSeq(cluster.nodes[0]!, w.boardA);
    const sentAt = performance.now();
    addCard(writer.doc, { text: 'perdida', author: 'Ana' });
    addCard(writer.doc, { text: 'siguiente', author: 'Ana' });
    await waitFor(() => texts(peer.doc).length === 3, 10_000, 'both cards on the other node');
    // The later one waited behind the hole for the grace period, then came with it from the store.
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(graceMs - 5);
    expect(texts(peer.doc)).toEqual(['antes', 'perdida', 'siguiente']);
    expect(await holeFills(receiver)).toBe(before + 1);
    expect(receiver.server.registry.peek(nameOf(w.boardA))?.storedThrough).toBe(lose + 1);
    expect(peer.closeCodes).toEqual([]);
    writer.destroy();
    peer.destroy();
  });

  it('a node writing without pause still reads a real loss: its own appends in flight cannot fill a hole below their numbers', async () => {
    let lose = -1;
    const cluster = await startCluster(pg!, redis!, 1);
    const receiver = await cluster.addNode({ holeGraceMs: 20, dropIncoming: (_name, seq) => seq === lose });
    // Node 1's appends take 300 ms more: while its person types every 50 ms, some are always in flight.
    const appendUpdate = receiver.store.appendUpdate.bind(receiver.store);
    let appendsInFlight = 0;
    receiver.store.appendUpdate = async (name, update) => {
      appendsInFlight++;
      try {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return await appendUpdate(name, update);
      } finally {
        appendsInFlight--;
      }
    };
    const w = await setupWorkshop(cluster.nodes[0]!.url);
    const remote = await syncedClient(cluster.nodes[0]!.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const local = await syncedClient(receiver.wsUrl, w.boardA, await w.participant('A', 'Beto'));
    await barrier(remote, [local], 'antes');

    let typing = true;
    let typed = 0;
    const typist = (async () => {
      while (typing) {
        addCard(local.doc, { text: `local ${typed++}`, author: 'Beto' });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      await waitFor(() => typed >= 5, 5_000, 'the local person to be typing');
      lose = await nextSeq(cluster.nodes[0]!, w.boardA);
      addCard(remote.doc, { text: 'perdida', author: 'Ana' });
      addCard(remote.doc, { text: 'siguiente', author: 'Ana' });
      // Filled while the typing goes on (waiting for this node's appends would wait for ever).
      let inFlightAtFill = 0;
      const filled = () => {
        inFlightAtFill = appendsInFlight;
        return texts(local.doc).includes('siguiente');
      };
      await waitFor(filled, 10_000, 'the remote cards on node 1 while its person types');
      expect(inFlightAtFill, 'node 1’s own appends in flight when the hole was filled').toBeGreaterThan(0);
      expect(texts(local.doc)).toContain('perdida');
    } finally {
      typing = false;
      await typist;
    }
    // Both ways: the local person's last cards wait out the slowed store before they reach node 0.
    await barrier(remote, [local], 'después');
    await barrier(local, [remote], 'después, local');
    expect(texts(remote.doc)).toEqual(texts(local.doc));
    remote.destroy();
    local.destroy();
  });

  it('a slow read of a hole does not hold up a local write: it is stored and relayed to local peers meanwhile', async () => {
    let lose = -1;
    const cluster = await startCluster(pg!, redis!, 1);
    const receiver = await cluster.addNode({ holeGraceMs: 10, dropIncoming: (_name, seq) => seq === lose });
    // Node 1's reads of a hole (loadDoc after a number) take 8 s more: a store under load (long, so a loaded machine's own delays stay well inside it).
    let slowReads = 0;
    let slowReadsDone = 0;
    const loadDoc = receiver.store.loadDoc.bind(receiver.store);
    receiver.store.loadDoc = async (name, afterSeq) => {
      if (afterSeq === undefined) return loadDoc(name);
      slowReads++;
      await new Promise((resolve) => setTimeout(resolve, 8_000));
      const read = await loadDoc(name, afterSeq);
      slowReadsDone++;
      return read;
    };
    const w = await setupWorkshop(cluster.nodes[0]!.url);
    const remote = await syncedClient(cluster.nodes[0]!.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const local = await syncedClient(receiver.wsUrl, w.boardA, await w.participant('A', 'Beto'));
    const localPeer = await syncedClient(receiver.wsUrl, w.boardA, await w.participant('A', 'Carla'));
    await barrier(remote, [local, localPeer], 'antes');

    lose = await nextSeq(cluster.nodes[0]!, w.boardA);
    addCard(remote.doc, { text: 'perdida', author: 'Ana' });
    addCard(remote.doc, { text: 'siguiente', author: 'Ana' });
    await waitFor(() => slowReads === 1, 5_000, 'node 1 to start reading the hole');

    // Written on node 1 while its read is under way: its other person gets it before the read ends.
    addCard(local.doc, { text: 'local', author: 'Beto' });
    await waitFor(() => texts(localPeer.doc).includes('local'), 7_000, 'the local card on the local peer');
    expect(slowReadsDone).toBe(0);
    expect(texts(localPeer.doc)).not.toContain('siguiente'); // held back behind the hole, in number order

    await waitFor(() => [remote, local, localPeer].every((c) => texts(c.doc).length === 4), 15_000, 'everyone to hold all four cards');
    for (const c of [remote, local, localPeer]) expect(texts(c.doc)).toEqual(['antes', 'local', 'perdida', 'siguiente']);
    expect(slowReads).toBe(1); // one read for the hole
    for (const c of [remote, local, localPeer]) c.destroy();
  });
});
