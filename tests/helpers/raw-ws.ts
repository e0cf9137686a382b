// A bare `ws` client for hand-made messages and frames: it records every message
// it receives, the close code, and an upgrade the server refused.
// Called inside a test, the socket is terminated when the test finishes.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { onTestFinished } from 'vitest';
import { boardDocName } from '../../shared/doc-name.js';
import type { BoardRef } from './api.js';
import { within } from './wait.js';

export interface Closed {
  code: number;
  reason: string;
}

export interface RawClient {
  ws: WebSocket;
  /** Every message received, in order. */
  messages: Uint8Array[];
  /** Resolves when the upgrade completes; rejects if it was refused. */
  opened: Promise<void>;
  /** Resolves with the close code once the socket is closed (1006 when it never opened). */
  closed: Promise<Closed>;
  /** The HTTP status of a refused upgrade, once known. */
  refusedStatus: number | null;
  isOpen(): boolean;
  send(message: Uint8Array): void;
  /** Writes bytes straight onto the TCP socket, bypassing the framing of `ws`. */
  writeRaw(bytes: Uint8Array): void;
}

export function boardUrl(wsUrl: string, board: BoardRef, token?: string): string {
  const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
  return `${wsUrl}/yjs/${boardDocName(board)}${query}`;
}

export function openRaw(url: string, opts: { origin?: string } = {}): RawClient {
  const ws = new WebSocket(url, opts.origin === undefined ? {} : { origin: opts.origin });
  ws.binaryType = 'nodebuffer';
  const client: RawClient = {
    ws,
    messages: [],
    refusedStatus: null,
    opened: new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('close', () => reject(new Error('closed before it opened')));
    }),
    closed: new Promise<Closed>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
    isOpen: () => ws.readyState === WebSocket.OPEN,
    send: (message) => ws.send(message),
    writeRaw: (bytes) => (ws as unknown as { _socket: Socket })._socket.write(bytes),
  };
  client.opened.catch(() => undefined);
  ws.on('message', (data: Buffer) => client.messages.push(new Uint8Array(data)));
  ws.on('error', () => undefined); // refused upgrades and protocol errors end in 'close', which we record
  ws.on('unexpected-response', (_req, res) => {
    client.refusedStatus = res.statusCode ?? null;
    res.resume();
    ws.terminate();
  });
  onTestFinished(() => ws.terminate());
  return client;
}

/** An open raw client of a board. */
export async function openRawBoard(wsUrl: string, board: BoardRef, token: string): Promise<RawClient> {
  const client = openRaw(boardUrl(wsUrl, board, token));
  await within(client.opened, 5_000, 'the board socket to open');
  return client;
}

// ---- y-websocket messages ------------------------------------------------------

export function syncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

export function syncStep2(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

export const queryAwarenessMessage = (): Uint8Array => new Uint8Array([3]);

/** One entry of an awareness update: a client id, its clock, its state (null: gone). */
export interface AwarenessEntry {
  id: number;
  clock: number;
  state: unknown;
}

/** One y-websocket awareness message, as hand-made as an attacker would write it. */
export function awarenessMessage(entries: AwarenessEntry[]): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const { id, clock, state } of entries) {
    encoding.writeVarUint(update, id);
    encoding.writeVarUint(update, clock);
    encoding.writeVarString(update, JSON.stringify(state));
  }
  const message = encoding.createEncoder();
  encoding.writeVarUint(message, 1);
  encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
  return encoding.toUint8Array(message);
}

/** "sync/step1", "sync/step2", "sync/update", "awareness", "auth", … of a received message. */
export function kindOf(message: Uint8Array): string {
  const decoder = decoding.createDecoder(message);
  const type = decoding.readVarUint(decoder);
  if (type === 0) return ['sync/step1', 'sync/step2', 'sync/update'][decoding.readVarUint(decoder)] ?? 'sync/?';
  return ['sync', 'awareness', 'auth', 'query-awareness'][type] ?? `type-${type}`;
}

/**
 * Whether the connection is still served: sends a sync step 1 and waits for the
 * step 2 it must answer with, or for the close. Messages are handled in order, so
 * a "served" answer means everything sent before was handled without closing.
 */
export async function probe(client: RawClient, timeoutMs = 5_000): Promise<'served' | Closed> {
  if (!client.isOpen()) return client.closed;
  const answered = new Promise<'served'>((resolve) => {
    const onMessage = (data: Buffer) => {
      if (kindOf(new Uint8Array(data)) !== 'sync/step2') return;
      client.ws.off('message', onMessage);
      resolve('served');
    };
    client.ws.on('message', onMessage);
  });
  client.send(syncStep1(new Y.Doc()));
  return within(Promise.race([answered, client.closed]), timeoutMs, 'an answer or a close');
}

// ---- hand-made WebSocket frames ------------------------------------------------

export interface FrameOptions {
  opcode?: number;
  fin?: boolean;
  rsv1?: boolean;
  /** Clients must mask their frames; false makes an invalid unmasked frame. */
  masked?: boolean;
  mask?: [number, number, number, number];
}

/** One WebSocket frame, byte by byte (RFC 6455 §5.2), for payloads under 126 bytes. */
export function frame(payload: Uint8Array, opts: FrameOptions = {}): Buffer {
  if (payload.length > 125) throw new Error('frame() only builds short frames');
  const { opcode = 0x2, fin = true, rsv1 = false, masked = true, mask = [0x12, 0x34, 0x56, 0x78] } = opts;
  const head = [(fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode, (masked ? 0x80 : 0) | payload.length];
  const body = masked ? payload.map((b, i) => b ^ mask[i % 4]!) : payload;
  return Buffer.concat([Buffer.from(head), masked ? Buffer.from(mask) : Buffer.alloc(0), Buffer.from(body)]);
}
