// Board sync through the real endpoint with stock y-websocket clients: writers
// converge; a reader sees everything and changes nothing — not by update, not by
// its sync step 2, not after reconnecting — and is told so with `read-only`.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, cardText, listCards, listSections, removeCard, sectionHeading } from '../../shared/board.js';
import { DENIED_READ_ONLY } from '../../shared/close-codes.js';
import { setupWorkshop, type BoardRef } from '../helpers/api.js';
import { barrier, hasCard, nameOf, storedBoard, texts } from '../helpers/board.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { roundTrip, syncedClient, waitForSynced } from '../helpers/yclient.js';
import { waitFor } from '../helpers/wait.js';
import { boardUrl, openRaw } from '../helpers/raw-ws.js';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';


/** The board as the server holds it in memory, read in queue order. */
async function liveTexts(t: TestServer, board: BoardRef): Promise<string[]> {
  const live = await t.server.registry.open(nameOf(board));
  return live.read((doc) => texts(doc));
}

async function setup(boardIdleMs = 60_000) {
  const t = await startServer({ boardIdleMs });
  const w = await setupWorkshop(t.url);
  const writer1 = await syncedClient(t.wsUrl, w.boardA, await w.participant('A', 'Ana'));
  const writer2 = await syncedClient(t.wsUrl, w.boardA, await w.participant('A', 'Beto'));
  const readerToken = await w.participant('B', 'Carla');
  return { t, w, writer1, writer2, readerToken };
}

describe('board sync between writers', () => {
  it('two participants of one group converge on concurrent card, text and delete edits, and the store has the result', async () => {
    const { t, w, writer1, writer2 } = await setup();
    expect(listSections(writer1.doc)).toHaveLength(1); // the board as the server created it

    addCard(writer1.doc, { text: 'Primera idea', author: 'Ana' });
    addCard(writer2.doc, { text: 'Segunda idea', author: 'Beto' });
    await waitFor(() => listCards(writer1.doc).length === 2 && listCards(writer2.doc).length === 2, 5_000, 'both cards on both clients');

    const first = listCards(writer1.doc).find((c) => c.text === 'Primera idea')!;
    cardText(writer1.doc, first.id)!.insert(0, '¡');
    cardText(writer2.doc, first.id)!.insert('Primera idea'.length, '!');
    const section = listSections(writer2.doc)[0]!;
    sectionHeading(writer2.doc, section.id)!.insert(0, 'Nuestras ');
    await waitFor(() => cardText(writer2.doc, first.id)?.toString() === '¡Primera idea!' && cardText(writer1.doc, first.id)?.toString() === '¡Primera idea!', 5_000, 'the concurrent text edits to merge');

    const second = listCards(writer2.doc).find((c) => c.text === 'Segunda idea')!;
    removeCard(writer1.doc, second.id);
    await waitFor(() => listCards(writer2.doc).length === 1, 5_000, 'the removal to reach the other client');

    expect(Y.encodeStateVector(writer1.doc)).toEqual(Y.encodeStateVector(writer2.doc));
    expect(listCards(writer2.doc)).toEqual(listCards(writer1.doc));
    expect(listSections(writer1.doc)[0]!.heading).toBe('Nuestras Conclusiones y Recomendaciones');
    const stored = await storedBoard(t.store, w.boardA);
    expect(listCards(stored)).toEqual(listCards(writer1.doc));
    expect(listSections(stored)).toEqual(listSections(writer1.doc));
  });

  it("a facilitator writes any group's board, and that group's participants get the edit", async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const participantB = await syncedClient(t.wsUrl, w.boardB, await w.participant('B'));
    const facilitator = await syncedClient(t.wsUrl, w.boardB, w.facilitatorToken);

    addCard(facilitator.doc, { text: 'Nota de la facilitadora', author: 'Facilitación' });
    await waitFor(() => hasCard(participantB, 'Nota de la facilitadora'), 5_000, 'the facilitator card');

    expect(facilitator.denied).toEqual([]);
    expect(texts(await storedBoard(t.store, w.boardB))).toEqual(['Nota de la facilitadora']);
  });
});

describe('a participant of another group reading a board', () => {
  it('receives the content, but its update is denied with read-only, not applied, not relayed and not stored, even after the board is reloaded', async () => {
    const { t, w, writer1, writer2, readerToken } = await setup(50);
    addCard(writer1.doc, { text: 'visible', author: 'Ana' });
    const reader = await syncedClient(t.wsUrl, w.boardA, readerToken);
    await waitFor(() => hasCard(reader, 'visible'), 5_000, 'the reader to receive the board');

    addCard(reader.doc, { text: 'intrusa', author: 'Carla' });
    await waitFor(() => reader.denied.length > 0, 5_000, 'a permission-denied message');
    expect(reader.denied).toEqual([DENIED_READ_ONLY]);

    await barrier(writer1, [writer2, reader], 'después');
    expect(hasCard(writer1, 'intrusa')).toBe(false);
    expect(hasCard(writer2, 'intrusa')).toBe(false);
    expect(await liveTexts(t, w.boardA)).toEqual(['después', 'visible']);
    expect(texts(await storedBoard(t.store, w.boardA))).toEqual(['después', 'visible']);

    for (const client of [writer1, writer2, reader]) client.destroy();
    await waitFor(() => t.server.registry.loadedCount === 0, 5_000, 'the idle board to be unloaded');
    const fresh = await syncedClient(t.wsUrl, w.boardA, w.facilitatorToken);
    expect(texts(fresh.doc)).toEqual(['después', 'visible']);
  });

  it('cannot write through its sync step 2: a reader arriving with content of its own is denied and the board does not take it', async () => {
    const { t, w, writer1, writer2, readerToken } = await setup();
    const local = new Y.Doc();
    addCard(local, { text: 'traída de casa', author: 'Carla' });

    const reader = await syncedClient(t.wsUrl, w.boardA, readerToken, { doc: local });
    await waitFor(() => reader.denied.length > 0, 5_000, 'a permission-denied message');
    expect(reader.denied).toEqual([DENIED_READ_ONLY]);

    await barrier(writer1, [writer2, reader], 'después');
    expect(hasCard(writer2, 'traída de casa')).toBe(false);
    expect(await liveTexts(t, w.boardA)).toEqual(['después']);
    expect(texts(await storedBoard(t.store, w.boardA))).toEqual(['después']);
  });

  it('cannot write by editing offline and reconnecting', async () => {
    const { t, w, writer1, writer2, readerToken } = await setup();
    const reader = await syncedClient(t.wsUrl, w.boardA, readerToken);
    reader.provider.disconnect();
    addCard(reader.doc, { text: 'sin conexión', author: 'Carla' });
    expect(reader.denied).toEqual([]);

    reader.provider.connect();
    await waitForSynced(reader.provider);
    await waitFor(() => reader.denied.length > 0, 5_000, 'a permission-denied message');
    expect(reader.denied).toEqual([DENIED_READ_ONLY]);

    await barrier(writer1, [writer2, reader], 'después');
    expect(hasCard(writer2, 'sin conexión')).toBe(false);
    expect(await liveTexts(t, w.boardA)).toEqual(['después']);
    expect(texts(await storedBoard(t.store, w.boardA))).toEqual(['después']);
  });

  it('cannot delete by editing offline either: a sync step 2 carrying only deletions is denied', async () => {
    const { t, w, writer1, writer2, readerToken } = await setup();
    const id = addCard(writer1.doc, { text: 'se queda', author: 'Ana' });
    const reader = await syncedClient(t.wsUrl, w.boardA, readerToken);
    await waitFor(() => hasCard(reader, 'se queda'), 5_000, 'the reader to receive the board');
    reader.provider.disconnect();
    removeCard(reader.doc, id);

    reader.provider.connect();
    await waitForSynced(reader.provider);
    await waitFor(() => reader.denied.length > 0, 5_000, 'a permission-denied message');
    expect(reader.denied).toEqual([DENIED_READ_ONLY]);

    await barrier(writer1, [writer2], 'después');
    expect(texts(writer2.doc)).toEqual(['después', 'se queda']);
    expect(await liveTexts(t, w.boardA)).toEqual(['después', 'se queda']);
    expect(texts(await storedBoard(t.store, w.boardA))).toEqual(['después', 'se queda']);
  });

  it('is not denied when its doc only repeats the board, deletions included, fresh, reconnecting or behind', async () => {
    const { t, w, writer1, readerToken } = await setup();
    const id = addCard(writer1.doc, { text: 'texto largo de la tarjeta', author: 'Ana' });
    const gone = addCard(writer1.doc, { text: 'se va', author: 'Ana' });
    cardText(writer1.doc, id)!.delete(5, 6); // deletions the reader's sync step 2 will repeat
    removeCard(writer1.doc, gone);

    const reader = await syncedClient(t.wsUrl, w.boardA, readerToken);
    await waitFor(() => hasCard(reader, 'texto de la tarjeta'), 5_000, 'the reader to receive the board');
    await roundTrip(reader);
    expect(reader.doc.store.clients.size).toBeGreaterThan(0);

    reader.provider.disconnect();
    reader.provider.connect();
    await waitForSynced(reader.provider);
    await roundTrip(reader);

    reader.provider.disconnect();
    cardText(writer1.doc, id)!.delete(0, 6);
    await roundTrip(writer1);
    reader.provider.connect();
    await waitForSynced(reader.provider);
    await roundTrip(reader);

    expect(texts(reader.doc)).toEqual(['de la tarjeta']);
    expect(reader.denied).toEqual([]);
    expect(t.log.entries.filter((e) => e.message.includes('read-only'))).toEqual([]);
  });
});

describe('presence (awareness) on a board', () => {
  it('reaches the other clients, and is removed for them when a client vanishes without saying goodbye', async () => {
    const { w, t, writer1, writer2 } = await setup();
    const reader = await syncedClient(t.wsUrl, w.boardA, await w.participant('B', 'Carla'));
    writer1.provider.awareness.setLocalStateField('user', { name: 'Ana' });
    const id = writer1.doc.clientID;
    await waitFor(() => writer2.provider.awareness.getStates().get(id)?.user?.name === 'Ana' && reader.provider.awareness.getStates().has(id), 5_000, 'the presence to reach the others');

    // Drop the socket without the goodbye a graceful disconnect sends, and do not come back.
    writer1.provider.shouldConnect = false;
    (writer1.provider.ws as unknown as { terminate(): void }).terminate();
    await waitFor(() => !writer2.provider.awareness.getStates().has(id) && !reader.provider.awareness.getStates().has(id), 5_000, 'the server to remove the vanished presence');
  });

  it('cannot be spoofed: a connection speaking for another person’s client id is ignored, the same person reconnecting takes it over', async () => {
    const { w, t, writer2, readerToken } = await setup();
    const anaToken = await w.participant('A', 'Ana');
    const ana = await syncedClient(t.wsUrl, w.boardA, anaToken);
    ana.provider.awareness.setLocalStateField('user', { name: 'Ana' });
    const id = ana.doc.clientID;
    await waitFor(() => writer2.provider.awareness.getStates().get(id)?.user?.name === 'Ana', 5_000, 'Ana’s presence');

    // Carla (group B, a reader here) forges a presence update in Ana's client id.
    const forgedDoc = new Y.Doc();
    forgedDoc.clientID = id;
    const forger = new awarenessProtocol.Awareness(forgedDoc);
    for (let i = 0; i < 20; i++) forger.setLocalState({ user: { name: 'Impostora' }, i }); // a clock well ahead of Ana's
    const forged = encoding.createEncoder();
    encoding.writeVarUint(forged, 1);
    encoding.writeVarUint8Array(forged, awarenessProtocol.encodeAwarenessUpdate(forger, [id]));
    const carla = openRaw(boardUrl(t.wsUrl, w.boardA, readerToken));
    await carla.opened;
    carla.send(encoding.toUint8Array(forged));
    await roundTrip(writer2);
    await barrier(ana, [writer2]);
    expect(writer2.provider.awareness.getStates().get(id)?.user?.name).toBe('Ana');
    expect(t.log.at('warn').some((e) => e.message.includes('presence update for another'))).toBe(true);

    // Ana herself, on a second connection (her first one still open), may speak for her id.
    const laptopDoc = new Y.Doc();
    laptopDoc.clientID = id;
    const laptop = new awarenessProtocol.Awareness(laptopDoc);
    for (let i = 0; i < 40; i++) laptop.setLocalState({ user: { name: 'Ana (portátil)' }, i });
    const own = encoding.createEncoder();
    encoding.writeVarUint(own, 1);
    encoding.writeVarUint8Array(own, awarenessProtocol.encodeAwarenessUpdate(laptop, [id]));
    const second = openRaw(boardUrl(t.wsUrl, w.boardA, anaToken));
    await second.opened;
    second.send(encoding.toUint8Array(own));
    await waitFor(() => writer2.provider.awareness.getStates().get(id)?.user?.name === 'Ana (portátil)', 5_000, 'Ana’s own update from her new connection');
    laptop.destroy();
    forger.destroy();
  });
});
