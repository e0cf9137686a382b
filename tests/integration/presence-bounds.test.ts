// Presence (awareness) within bounds, through the real board endpoint: a connection
// speaks for a few client ids of its own, with small states, at a bounded rate; the
// excess reaches nobody and is logged once per connection. What stock y-websocket
// clients do in normal use — relaying every state they receive, timing out others,
// reconnecting — is handled without a single warning.
import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import { removeAwarenessStates } from 'y-protocols/awareness';
import { PRESENCE_LIMITS } from '../../server/docsync/presence.js';
import { setupWorkshop } from '../helpers/api.js';
import { nameOf } from '../helpers/board.js';
import { awarenessMessage, kindOf, openRawBoard, probe, type RawClient } from '../helpers/raw-ws.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { connectBoard, roundTrip, syncedClient, waitForSynced, type BoardClient } from '../helpers/yclient.js';
import { waitFor } from '../helpers/wait.js';

/** The client ids of every awareness message a raw client received, one list per message. */
function relayedIds(client: RawClient): number[][] {
  return client.messages.filter((m) => kindOf(m) === 'awareness').map((m) => {
    const outer = decoding.createDecoder(m);
    decoding.readVarUint(outer);
    const decoder = decoding.createDecoder(decoding.readVarUint8Array(outer));
    const ids: number[] = [];
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      ids.push(decoding.readVarUint(decoder));
      decoding.readVarUint(decoder);
      decoding.readVarString(decoder);
    }
    return ids;
  });
}

const presenceWarnings = (t: TestServer) => t.log.at('warn').filter((e) => e.message.includes('presence'));

/** Everything `sender` sent is handled, and everything relayed because of it has reached `watcher`. */
async function settled(sender: RawClient, watcher: BoardClient): Promise<void> {
  expect(await probe(sender)).toBe('served');
  await roundTrip(watcher);
}

async function setup() {
  const t = await startServer();
  const w = await setupWorkshop(t.url);
  const watcher = await syncedClient(t.wsUrl, w.boardA, await w.participant('A', 'Ana'));
  const attacker = await openRawBoard(t.wsUrl, w.boardA, await w.participant('A', 'Mallory'));
  return { t, w, watcher, attacker };
}

describe('presence within bounds', () => {
  it('one connection announcing 20,000 client ids reaches its peers with at most the cap, and is told once', async () => {
    const { t, watcher, attacker } = await setup();
    const entries = Array.from({ length: 20_000 }, (_, i) => ({ id: 1_000_000 + i, clock: 1, state: { user: { name: `bot ${i}` } } }));
    // In messages a stock client could send (200 entries each), then all in one.
    for (let i = 0; i < entries.length; i += 200) attacker.send(awarenessMessage(entries.slice(i, i + 200)));
    attacker.send(awarenessMessage(entries.map((e) => ({ ...e, id: e.id + 50_000 }))));
    await settled(attacker, watcher);

    const others = [...watcher.provider.awareness.getStates().keys()].filter((id) => id !== watcher.doc.clientID);
    expect(others.length).toBe(PRESENCE_LIMITS.maxClientIds);
    expect(others.every((id) => id >= 1_000_000 && id < 1_000_000 + PRESENCE_LIMITS.maxClientIds)).toBe(true);
    expect(presenceWarnings(t)).toHaveLength(1);
    expect(presenceWarnings(t)[0]!.fields.refused).toEqual(['too_many_ids']);
  });

  it('a 0.9 MB state is never relayed; an 8 KB one is', async () => {
    const { t, watcher, attacker } = await setup();
    const huge = { user: { name: 'x'.repeat(900_000) } };
    attacker.send(awarenessMessage([{ id: 777, clock: 1, state: huge }]));
    await settled(attacker, watcher);
    expect(watcher.provider.awareness.getStates().has(777)).toBe(false);

    const fits = { user: { name: 'y'.repeat(PRESENCE_LIMITS.maxStateBytes - 20) } };
    attacker.send(awarenessMessage([{ id: 778, clock: 1, state: fits }]));
    await settled(attacker, watcher);
    expect(watcher.provider.awareness.getStates().get(778)).toEqual(fits);
    expect(presenceWarnings(t)).toHaveLength(1);
    expect(presenceWarnings(t)[0]!.fields.refused).toEqual(['state_too_large']);
  });

  it('a flood of updates is relayed at a bounded rate', async () => {
    const { t, w, watcher, attacker } = await setup();
    const peer = await openRawBoard(t.wsUrl, w.boardA, await w.participant('A', 'Beto'));
    const started = performance.now();
    for (let clock = 1; clock <= 1_000; clock++) attacker.send(awarenessMessage([{ id: 4242, clock, state: { cursor: clock } }]));
    await settled(attacker, watcher);
    expect(await probe(peer)).toBe('served');
    const seconds = (performance.now() - started) / 1000;

    const relayed = relayedIds(peer).filter((ids) => ids.includes(4242)).length;
    expect(relayed).toBeGreaterThanOrEqual(PRESENCE_LIMITS.burst);
    expect(relayed).toBeLessThanOrEqual(PRESENCE_LIMITS.burst + Math.ceil(PRESENCE_LIMITS.perSecond * seconds) + 1);
    expect(relayed).toBeLessThan(500);
    expect(presenceWarnings(t)).toHaveLength(1);
    expect(presenceWarnings(t)[0]!.fields.refused).toEqual(['too_fast']);
  });

  it('warns once per offending connection, not per message', async () => {
    const { t, w, watcher, attacker } = await setup();
    const second = await openRawBoard(t.wsUrl, w.boardA, await w.participant('A', 'Trudy'));
    for (const [i, client] of [attacker, second].entries()) {
      const many = Array.from({ length: 10 }, (_, k) => ({ id: 9_000 + i * 100 + k, clock: 1, state: {} }));
      for (let n = 0; n < 5; n++) client.send(awarenessMessage(many.map((e) => ({ ...e, clock: n + 1 }))));
      client.send(awarenessMessage([{ id: 9_000 + i * 100, clock: 50, state: { big: 'z'.repeat(20_000) } }]));
      for (let clock = 100; clock < 300; clock++) client.send(awarenessMessage([{ id: 9_000 + i * 100, clock, state: {} }]));
      await settled(client, watcher);
    }
    expect(presenceWarnings(t)).toHaveLength(2);
  });

  it('a connection cannot overwrite or remove another person’s presence', async () => {
    const { t, w, watcher, attacker } = await setup();
    watcher.provider.awareness.setLocalStateField('user', { name: 'Ana' });
    const id = watcher.doc.clientID;
    await roundTrip(watcher);
    const clock = watcher.provider.awareness.meta.get(id)!.clock;
    attacker.send(awarenessMessage([{ id, clock: clock + 10, state: { user: { name: 'Impostora' } } }]));
    attacker.send(awarenessMessage([{ id, clock: clock + 20, state: null }]));
    await settled(attacker, watcher);
    const board = await t.server.registry.open(nameOf(w.boardA));
    expect(watcher.provider.awareness.getStates().get(id)).toEqual({ user: { name: 'Ana' } });
    expect(board.awareness.getStates().get(id)).toEqual({ user: { name: 'Ana' } });
    expect(presenceWarnings(t)).toHaveLength(1);
  });
});

describe('presence in normal use', () => {
  it('five stock clients typing, relaying each other’s states, timing them out and reconnecting log no warning', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const names = ['Ana', 'Beto', 'Carla', 'Dario', 'Elena'];
    const tokens = await Promise.all(names.map((name) => w.participant('A', name)));
    const clients = await Promise.all(tokens.map((token) => syncedClient(t.wsUrl, w.boardA, token)));
    const everyoneSees = (ids: number[]) => clients.every((c) => ids.every((id) => c.provider.awareness.getStates().has(id)));

    clients.forEach((c, i) => c.provider.awareness.setLocalStateField('user', { name: names[i], color: '#123456' }));
    await waitFor(() => everyoneSees(clients.map((c) => c.doc.clientID)), 5_000, 'every presence everywhere');
    // Carets moving: every change reaches four peers, and each of them sends it back.
    for (let step = 0; step < 10; step++) {
      for (const c of clients) c.provider.awareness.setLocalStateField('cursor', { anchor: step, head: step });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const c of clients) await roundTrip(c);

    // A stock client times a silent peer out and says so (a removal with the peer's own clock).
    const [ana, beto] = clients as [BoardClient, BoardClient];
    removeAwarenessStates(beto.provider.awareness, [ana.doc.clientID], 'timeout');
    await roundTrip(beto);
    await roundTrip(ana);
    expect(clients.slice(2).every((c) => c.provider.awareness.getStates().has(ana.doc.clientID))).toBe(true);

    // A clean reconnect, as after a network change the client noticed.
    const carla = clients[2]!;
    carla.provider.disconnect();
    carla.provider.connect();
    await waitForSynced(carla.provider);
    carla.provider.awareness.setLocalStateField('cursor', { anchor: 99, head: 99 });
    await waitFor(() => ana.provider.awareness.getStates().get(carla.doc.clientID)?.cursor?.anchor === 99, 5_000, 'Carla back');

    // A reconnect the server has not seen yet: a new socket speaks for Dario's id (same
    // awareness, same clock) while the old one is still open; then the old one dies.
    const dario = clients[3]!;
    const again = connectBoard(t.wsUrl, w.boardA, tokens[3]!, { doc: dario.doc, awareness: dario.provider.awareness });
    await waitForSynced(again.provider);
    await roundTrip(again);
    const board = await t.server.registry.open(nameOf(w.boardA));
    const peersBefore = board.peers.size;
    dario.provider.shouldConnect = false;
    (dario.provider.ws as unknown as { terminate(): void }).terminate();
    await waitFor(() => board.peers.size === peersBefore - 1, 5_000, 'the server to see the old socket close');
    for (const c of [ana, again]) await roundTrip(c);
    expect(ana.provider.awareness.getStates().get(dario.doc.clientID)?.user?.name).toBe('Dario');
    expect(board.awareness.getStates().has(dario.doc.clientID)).toBe(true);

    expect(t.log.at('warn')).toEqual([]);
  });
});
