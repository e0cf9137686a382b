// A light board client: the y-websocket protocol on a plain `ws` socket, without a
// Y.Doc of the board. It shakes hands like the stock client (sync step 1 with its
// state, step 2 in answer to the server's step 1, an awareness state) and writes its
// stamps from a small doc that holds only its own card, so the server sees the same
// messages as from a browser. What it is sent it does not apply: it finds the stamp at
// the end of each relayed update (an update of one string insert ends with that string
// and an empty delete set) and counts it. Applying every update at 1,000 clients would
// take more CPU than a 2-core machine has beside the server under test.
//
// Against Hocuspocus it speaks Hocuspocus's framing (@hocuspocus/server's
// ClientConnection and @hocuspocus/provider): every message, both ways, starts with the
// board's name as a varString, and before anything else the client sends an Auth
// message (type 2, subtype 0 = token, then the token); the server queues the rest until
// it has authenticated the board. After the name, sync (0) and awareness (1) messages
// are y-websocket's, so the same code serves both once the prefix is added or removed.
// The server's other messages (Auth answer 2, SyncStatus 8 after each update) are ignored.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { WebSocket } from 'ws';
import { addCard, cardText } from '../../shared/board.js';
import type { BenchClient, ClientAudit, ClientEvents } from './bench-client.js';
import type { BoardPlan, BoardProtocol } from './protocol.js';
import { clockUs, stamp, writerAuthor } from './stamp.js';

const SEMICOLON = 0x3b;
const isStampByte = (b: number) => b === 0x2e || (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a);

/** The stamp a relayed update message ends with, or null (sync update messages only). */
export function stampAtEnd(data: Uint8Array): [writer: number, seq: number, sentUs: number] | null {
  if (data[0] !== 0 || data[1] !== syncProtocol.messageYjsUpdate) return null;
  const end = data.lastIndexOf(SEMICOLON);
  if (end < 0) return null;
  let start = end;
  while (start > 0 && isStampByte(data[start - 1]!)) start--;
  const parts = Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('latin1').split('.');
  if (parts.length !== 3) return null;
  return [parseInt(parts[0]!, 36), parseInt(parts[1]!, 36), parseInt(parts[2]!, 36)];
}

const STAMPS = /([0-9a-z]+)\.([0-9a-z]+)\.([0-9a-z]+);/g;

/**
 * Every stamp in a relayed update message. Usually one, at its end; a cluster node that
 * fills a hole from the store relays several stored updates as one message.
 */
export function stampsIn(data: Uint8Array): Array<[writer: number, seq: number, sentUs: number]> {
  const last = stampAtEnd(data);
  if (!last) return [];
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
  const all = [...text.matchAll(STAMPS)].map((m): [number, number, number] => [parseInt(m[1]!, 36), parseInt(m[2]!, 36), parseInt(m[3]!, 36)]);
  // The first match may have swallowed a length byte that reads as a digit: the end is exact.
  return all.length <= 1 ? [last] : [...all.slice(0, -1), last];
}

const message = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

/** Hocuspocus's message types beyond y-websocket's sync (0) and awareness (1). */
const HOCUSPOCUS_AUTH = 2;
const HOCUSPOCUS_AUTH_TOKEN = 0;

export class LightClient implements BenchClient {
  readonly board: BoardPlan;
  readonly writer: number | null;
  readonly ready: Promise<void>;
  readonly #ws: WebSocket;
  /** Only this client's own card. */
  readonly #doc = new Y.Doc();
  readonly #received = new Map<number, number>();
  readonly #maxSeq = new Map<number, number>();
  /** Hocuspocus: the board's name as a varString, before every message; empty for y-websocket. */
  readonly #prefix: Buffer;
  #text: Y.Text | null = null;
  ownCardId: string | null = null;

  constructor(wsUrl: string, protocol: BoardProtocol, board: BoardPlan, client: { token: string; name: string; writer: number | null }, t0: () => number, events: ClientEvents) {
    this.board = board;
    this.writer = client.writer;
    this.#prefix = Buffer.from(protocol === 'hocuspocus' ? message((e) => encoding.writeVarString(e, board.docName)) : new Uint8Array(0));
    this.#ws = new WebSocket(`${wsUrl}/yjs/${board.docName}?token=${encodeURIComponent(client.token)}`);
    this.#doc.on('update', (update: Uint8Array) => this.#send(message((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeUpdate(e, update)))));
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${board.docName}: a light client got no sync step 2 within 60 s`)), 60_000);
      this.#ws.once('error', (err) => (clearTimeout(timer), reject(err)));
      this.#ws.once('open', () => {
        this.#ws.on('error', () => events.failed());
        this.#ws.on('close', () => events.closed());
        if (protocol === 'hocuspocus') this.#send(message((e) => (encoding.writeVarUint(e, HOCUSPOCUS_AUTH), encoding.writeVarUint(e, HOCUSPOCUS_AUTH_TOKEN), encoding.writeVarString(e, client.token))));
        this.#send(message((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeSyncStep1(e, this.#doc))));
        const awareness = new Awareness(this.#doc);
        awareness.setLocalStateField('user', { name: client.name, color: '#3b82f6' });
        this.#send(message((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, encodeAwarenessUpdate(awareness, [this.#doc.clientID])))));
        awareness.destroy();
      });
      this.#ws.on('message', (framed: Buffer) => {
        const data = this.#unframe(framed);
        if (data === null || data[0] !== 0) return;
        if (data[1] === syncProtocol.messageYjsSyncStep2) {
          clearTimeout(timer);
          resolve();
        } else if (data[1] === syncProtocol.messageYjsSyncStep1) {
          this.#answerStep1(data.subarray(2));
        } else {
          for (const [w, seq, sentUs] of stampsIn(data)) {
            if (w === this.writer || !this.board.writers.includes(w)) continue; // the stock server echoes a writer's own updates back to it
            events.stamp((clockUs(t0()) - sentUs) / 1000, sentUs, w);
            this.#received.set(w, (this.#received.get(w) ?? 0) + 1);
            this.#maxSeq.set(w, Math.max(seq, this.#maxSeq.get(w) ?? 0));
          }
        }
      });
    });
  }

  /** The server asked what we have: our own card, as a stock client would answer. */
  #answerStep1(payload: Uint8Array): void {
    const sv = decoding.readVarUint8Array(decoding.createDecoder(payload));
    this.#send(message((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeSyncStep2(e, this.#doc, sv))));
  }

  #send(m: Uint8Array): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    this.#ws.send(this.#prefix.length === 0 ? m : Buffer.concat([this.#prefix, m]));
  }

  /** The message without the board-name prefix (Hocuspocus), or null if it names another board. */
  #unframe(data: Buffer): Buffer | null {
    if (this.#prefix.length === 0) return data;
    return data.length > this.#prefix.length && this.#prefix.equals(data.subarray(0, this.#prefix.length)) ? data.subarray(this.#prefix.length) : null;
  }

  addOwnCard(): void {
    if (this.writer === null || this.#text) return;
    this.ownCardId = addCard(this.#doc, { text: '', author: writerAuthor(this.writer) });
    this.#text = cardText(this.#doc, this.ownCardId)!;
  }

  seesAllCards(): boolean {
    return true;
  }

  type(seq: number, sentUs: number): void {
    this.#text!.insert(this.#text!.length, stamp(this.writer!, seq, sentUs));
  }

  received(writer: number): number {
    return this.#received.get(writer) ?? 0;
  }

  async audit(expected: Map<number, number>): Promise<ClientAudit> {
    const out: ClientAudit = { missing: 0, duplicates: 0, detail: [], digest: null };
    for (const writer of this.board.writers) {
      if (writer === this.writer) continue;
      const sent = expected.get(writer) ?? 0;
      const got = this.received(writer);
      if (got < sent) {
        out.missing += sent - got;
        out.detail.push(`${this.board.docName}: a light client received ${got} of writer ${writer}'s ${sent} updates`);
      }
      if (got > sent || (this.#maxSeq.get(writer) ?? 0) > sent) out.duplicates += Math.max(1, got - sent);
    }
    return out;
  }

  close(): void {
    this.#ws.close();
    this.#doc.destroy();
  }
}
