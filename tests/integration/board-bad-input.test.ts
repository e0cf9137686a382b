// Hostile or broken input on one board socket (with a valid token) closes that
// socket alone, with a code from the shared set, and changes nothing: the honest
// clients of the same board keep converging and the process stays up.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { addCard } from '../../shared/board.js';
import { CloseCode } from '../../shared/close-codes.js';
import { MAX_MESSAGE_BYTES } from '../../server/docsync/endpoint.js';
import { assertDecodableUpdate } from '../../server/docsync/update-check.js';
import { setupWorkshop } from '../helpers/api.js';
import { barrier, hasCard, nameOf, storedBoard, texts } from '../helpers/board.js';
import { healthy, spawnServer } from '../helpers/child-server.js';
import { frame, kindOf, openRawBoard, probe, syncStep1, syncStep2, updateMessage, type Closed } from '../helpers/raw-ws.js';
import { prng } from '../helpers/random.js';
import { startServer } from '../helpers/server.js';
import { syncedClient, waitForSynced } from '../helpers/yclient.js';
import { waitFor, within } from '../helpers/wait.js';

/** Two honest writers on board A, and a valid participant token of group A for the attacker. */
async function setup() {
  const t = await startServer();
  const w = await setupWorkshop(t.url);
  const honest1 = await syncedClient(t.wsUrl, w.boardA, await w.participant('A', 'Ana'));
  const honest2 = await syncedClient(t.wsUrl, w.boardA, await w.participant('A', 'Beto'));
  const attackerToken = await w.participant('A', 'Mallory');
  const attacker = () => openRawBoard(t.wsUrl, w.boardA, attackerToken);
  /** The process answers, and the honest clients still converge on a new edit. */
  const stillServing = async () => {
    expect(await healthy(t.url)).toBe(true);
    await barrier(honest1, [honest2]);
    await barrier(honest2, [honest1]);
  };
  return { t, w, honest1, honest2, attacker, stillServing };
}

const closeOf = (closed: Promise<Closed>) => within(closed, 5_000, 'the socket to close').then((c) => c.code);

/** A real update message: a new card written by a client that has everything it depends on. */
function cardUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  addCard(doc, { text, author: 'Mallory' });
  return Y.encodeStateAsUpdate(doc);
}

/**
 * An update that decodes but makes Yjs throw while applying it: its second struct
 * names as parent an item of its own client that is not there (clock 5 of 2).
 */
function selfParentedUpdate(client = 4242): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1); // one client
  encoding.writeVarUint(e, 2); // two structs
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 0); // from clock 0
  encoding.writeUint8(e, 8); // an Item of ContentAny, parent written out: a root type by name
  encoding.writeVarUint(e, 1);
  encoding.writeVarString(e, 'veneno');
  encoding.writeVarUint(e, 1);
  encoding.writeAny(e, 1);
  encoding.writeUint8(e, 8); // the same, parent given as an ID of the same client…
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 5); // …at a clock that does not exist
  encoding.writeVarUint(e, 1);
  encoding.writeAny(e, 2);
  encoding.writeVarUint(e, 0); // an empty delete set
  return encoding.toUint8Array(e);
}

/** A copy of `message` with one to three bytes after its header replaced at random. */
function flipBytes(message: Uint8Array, random: () => number): Uint8Array {
  const copy = message.slice();
  const flips = 1 + Math.floor(random() * 3);
  for (let f = 0; f < flips; f++) copy[3 + Math.floor(random() * (copy.length - 3))] = Math.floor(random() * 256);
  return copy;
}

describe('invalid WebSocket frames', () => {
  it.each([
    ['a frame with the RSV1 bit set (no extension negotiated)', Buffer.from([0xc1, 0x80, 0, 0, 0, 0])],
    ['an unmasked client frame', frame(new Uint8Array([3]), { masked: false })],
    ['a frame with an unknown opcode', frame(new Uint8Array([3]), { opcode: 0x3 })],
  ])('%s closes that socket with 1002; the server keeps serving the board', async (_name, bytes) => {
    const { t, attacker, stillServing } = await setup();
    const raw = await attacker();
    raw.writeRaw(bytes);

    expect(await closeOf(raw.closed)).toBe(1002);
    await stillServing();
    expect(t.log.at('warn').map((e) => e.message)).toContain('board socket error');
  });

  it('the real process survives invalid frames on a board socket (no unhandled error event)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'relatoria-frames-'));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const child = await spawnServer({ dataDir });
    const w = await setupWorkshop(child.url);
    const token = await w.participant('A');
    for (const bytes of [Buffer.from([0xc1, 0x80, 0, 0, 0, 0]), frame(new Uint8Array([3]), { masked: false })]) {
      const raw = await openRawBoard(child.wsUrl, w.boardA, token);
      raw.writeRaw(bytes);
      expect(await closeOf(raw.closed)).toBe(1002);
    }
    const honest = await syncedClient(child.wsUrl, w.boardA, token);
    expect(child.isRunning()).toBe(true);
    expect(await healthy(child.url)).toBe(true);
    expect(honest.provider.synced).toBe(true);
  });
});

describe('oversized messages', () => {
  it('a message of exactly 1 MiB is handled; one byte more closes the socket with 1009', async () => {
    const { attacker, stillServing } = await setup();
    const atLimit = new Uint8Array(MAX_MESSAGE_BYTES);
    atLimit.set(syncStep1(new Y.Doc())); // trailing zeros after a complete sync step 1
    const ok = await attacker();
    ok.send(atLimit);
    await waitFor(() => ok.messages.some((m) => kindOf(m) === 'sync/step2'), 5_000, 'the answer to the 1 MiB message');
    expect(ok.isOpen()).toBe(true);

    const tooBig = await attacker();
    tooBig.send(new Uint8Array(MAX_MESSAGE_BYTES + 1));
    expect(await closeOf(tooBig.closed)).toBe(CloseCode.MessageTooBig);
    await stillServing();
  });
});

describe('truncated updates', () => {
  it('every cut of the message end (its length prefix now overruns it) closes with 4400 and applies nothing', async () => {
    const { t, w, honest1, honest2, attacker, stillServing } = await setup();
    const message = updateMessage(cardUpdate('truncada'));
    for (let cut = 1; cut < message.length - 2; cut++) {
      const raw = await attacker();
      raw.send(message.subarray(0, message.length - cut));
      expect({ cut, code: await closeOf(raw.closed) }).toEqual({ cut, code: CloseCode.BadMessage });
    }
    await stillServing();
    expect(hasCard(honest1, 'truncada') || hasCard(honest2, 'truncada')).toBe(false);
    expect(texts(await storedBoard(t.store, w.boardA))).not.toContain('truncada');
  });

  it('every proper prefix of an update, framed as a whole message, closes with 4400 and applies nothing', async () => {
    const { t, w, honest1, attacker, stillServing } = await setup();
    const update = cardUpdate('cortada');
    for (let length = 0; length < update.length; length++) {
      const raw = await attacker();
      raw.send(updateMessage(update.subarray(0, length)));
      expect({ length, code: await closeOf(raw.closed) }).toEqual({ length, code: CloseCode.BadMessage });
    }
    await stillServing();
    expect(hasCard(honest1, 'cortada')).toBe(false);
    expect(texts(await storedBoard(t.store, w.boardA))).not.toContain('cortada');
    // The same update whole is accepted: the rejections were about the cut alone.
    const raw = await attacker();
    raw.send(updateMessage(update));
    expect(await probe(raw)).toBe('served');
    await waitFor(() => hasCard(honest1, 'cortada'), 5_000, 'the whole update to arrive');
  });
});

describe('random bytes', () => {
  it('several hundred seeded random messages: each is answered, ignored, or closes its socket with 4400/1013; never a crash', async () => {
    const { t, w, honest1, honest2, attacker, stillServing } = await setup();
    const random = prng(Number(process.env.SEED ?? 20240601));
    const codes = new Map<number, number>();
    let served = 0;
    let raw = await attacker();
    for (let i = 0; i < 400; i++) {
      const body = Uint8Array.from({ length: 1 + Math.floor(random() * 120) }, () => Math.floor(random() * 256));
      // Fully random; a sync message with a random payload; an awareness message with one;
      // and a real update with a few random bytes changed, which often still decodes.
      const shape = i % 4;
      const message =
        shape === 0 ? body
        : shape === 1 ? syncStep2(body)
        : shape === 2 ? Uint8Array.from([1, body.length, ...body])
        : flipBytes(updateMessage(cardUpdate(`aleatoria ${i}`)), random);
      raw.send(message);
      const outcome = await probe(raw);
      if (outcome === 'served') {
        served++;
        continue;
      }
      codes.set(outcome.code, (codes.get(outcome.code) ?? 0) + 1);
      expect({ i, code: outcome.code }).toEqual({ i, code: expect.toBeOneOf([CloseCode.BadMessage, CloseCode.TryAgainLater]) });
      raw = await attacker();
    }
    expect(codes.get(CloseCode.BadMessage)).toBeGreaterThan(0);
    expect(served).toBeGreaterThan(0);
    await stillServing();
    // The stored board loads, and it is exactly what the honest clients hold: nothing unstored reached them.
    const stored = await storedBoard(t.store, w.boardA);
    expect(Y.decodeStateVector(Y.encodeStateVector(honest1.doc))).toEqual(Y.decodeStateVector(Y.encodeStateVector(stored)));
    expect(texts(honest2.doc)).toEqual(texts(stored));
  });
});

describe('updates with missing dependencies', () => {
  it('an update whose earlier update was never sent closes with 1013, is not stored, and the full resend is accepted', async () => {
    const { t, w, honest1, honest2, attacker, stillServing } = await setup();
    const offline = new Y.Doc();
    addCard(offline, { text: 'uno', author: 'Eva' });
    const before = Y.encodeStateVector(offline);
    addCard(offline, { text: 'dos', author: 'Eva' });
    const second = Y.encodeStateAsUpdate(offline, before); // depends on the first card's structs

    const raw = await attacker();
    raw.send(updateMessage(second));
    expect(await closeOf(raw.closed)).toBe(CloseCode.TryAgainLater);
    await stillServing();
    expect(texts(honest1.doc)).not.toContain('dos');
    expect(texts(await storedBoard(t.store, w.boardA))).not.toContain('dos');
    const live = await t.server.registry.open(nameOf(w.boardA));
    expect(await live.read((doc) => doc.store.pendingStructs)).toBe(null);

    // What the stock client does after 1013: reconnect and send everything in its sync step 2.
    await syncedClient(t.wsUrl, w.boardA, await w.participant('A', 'Eva'), { doc: offline });
    await waitFor(() => hasCard(honest2, 'uno') && hasCard(honest2, 'dos'), 5_000, 'both cards after the full resend');
    expect(texts(await storedBoard(t.store, w.boardA))).toEqual(expect.arrayContaining(['uno', 'dos']));
  });
});

describe('updates that decode but make applying throw', () => {
  it('close their sender with 4400 (not "retry": it would resend them), and leave nothing behind; the honest clients resync', async () => {
    const { t, w, honest1, honest2, attacker, stillServing } = await setup();
    const poison = selfParentedUpdate();
    expect(() => assertDecodableUpdate(poison)).not.toThrow();
    expect(() => Y.applyUpdate(new Y.Doc(), poison)).toThrow();

    const raw = await attacker();
    raw.send(updateMessage(poison));
    expect(await closeOf(raw.closed)).toBe(CloseCode.BadMessage);

    expect(t.log.at('error').map((e) => e.message)).toContainEqual(expect.stringContaining('applying an update threw'));
    await waitForSynced(honest1.provider);
    await waitForSynced(honest2.provider);
    await stillServing();
    expect((await storedBoard(t.store, w.boardA)).share.has('veneno')).toBe(false);
    expect(honest1.doc.share.has('veneno')).toBe(false);
  });
});

describe('bytes that Yjs stops reading after it has applied part of them', () => {
  it('a whole card followed by a cut delete set (ending in 0, so applied without a decode first): sender 4400, the card reaches nobody and is not stored', async () => {
    const { t, w, honest1, honest2, attacker, stillServing } = await setup();
    const card = cardUpdate('a medias');
    // The card's structs, then a delete set that names one client (0) and ends there:
    // Yjs integrates the card, then throws reading how many ranges client 0 has.
    const halfApplied = Uint8Array.from([...card.subarray(0, card.length - 1), 1, 0]);
    expect(halfApplied.at(-1)).toBe(0);
    expect(() => assertDecodableUpdate(halfApplied)).toThrow();
    const probeDoc = new Y.Doc();
    expect(() => Y.applyUpdate(probeDoc, halfApplied)).toThrow();
    expect(texts(probeDoc)).toContain('a medias'); // what Yjs leaves behind when it throws

    const raw = await attacker();
    raw.send(updateMessage(halfApplied));
    expect(await closeOf(raw.closed)).toBe(CloseCode.BadMessage);
    expect(t.log.at('error').map((e) => e.message)).toContainEqual(expect.stringContaining('applying an update threw'));
    await waitForSynced(honest1.provider);
    await waitForSynced(honest2.provider);
    await stillServing();
    expect(hasCard(honest1, 'a medias') || hasCard(honest2, 'a medias')).toBe(false);
    expect(texts(await storedBoard(t.store, w.boardA))).not.toContain('a medias');
    const live = await t.server.registry.open(nameOf(w.boardA));
    expect(await live.read((doc) => texts(doc))).not.toContain('a medias');
  });
});

describe('bytes Yjs refuses before it places anything', () => {
  it('a cut update ending in 0 (applied without a decode first) closes only its sender: the honest clients stay connected', async () => {
    const { t, honest1, honest2, attacker, stillServing } = await setup();
    const closes: number[] = [];
    for (const client of [honest1, honest2]) client.provider.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? 0));
    const card = cardUpdate('truncada');
    const cut = Uint8Array.from([...card.subarray(0, Math.floor(card.length / 2)), 0]);
    const probeDoc = new Y.Doc();
    expect(() => Y.applyUpdate(probeDoc, cut)).toThrow();
    expect(probeDoc.store.clients.size).toBe(0); // Yjs placed nothing before it threw

    const raw = await attacker();
    raw.send(updateMessage(cut));
    expect(await closeOf(raw.closed)).toBe(CloseCode.BadMessage);
    await stillServing();
    expect(closes).toEqual([]); // no 1013: the board was not reloaded
    expect(t.log.at('error').map((e) => e.message)).not.toContainEqual(expect.stringContaining('applying an update threw'));
  });

  it('a cut update that named a new root before Yjs refused it leaves no trace of the root on the board', async () => {
    const { t, w, attacker, stillServing } = await setup();
    const poison = new Y.Doc();
    poison.getArray('veneno').push(['abcdefghijklmnop']);
    const whole = Y.encodeStateAsUpdate(poison);
    const cut = Uint8Array.from([...whole.subarray(0, whole.length - 6), 0]);
    const probeDoc = new Y.Doc();
    expect(() => Y.applyUpdate(probeDoc, cut)).toThrow();
    expect(probeDoc.share.has('veneno')).toBe(true); // Yjs names the root while decoding, before it throws

    const raw = await attacker();
    raw.send(updateMessage(cut));
    expect(await closeOf(raw.closed)).toBe(CloseCode.BadMessage);
    await stillServing();
    const live = await t.server.registry.open(nameOf(w.boardA));
    expect(await live.read((doc) => doc.share.has('veneno'))).toBe(false);
  });
});
