// Writers as fast as the server will store: a client process whose writers send
// pre-made updates (made with Yjs before the clock starts, so generating them costs
// nothing during the run) over plain board sockets, in batches, each batch closed
// by a sync step 1. The server handles a connection's messages in order and answers
// step 1 only after every earlier update is stored, so each answer acknowledges a
// stored batch. A writer keeps `window` batches in flight. One writer per board:
// its step 1 names only its own client, so the answer also carries the rest of the
// board, which must stay small. Observers only receive what the server relays.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebSocket } from 'ws';
import { addCard, cardText } from '../../shared/board.js';
import { stamp, writerAuthor } from './stamp.js';

export interface RawWriterPlan {
  wsUrl: string;
  writers: Array<{ writer: number; docName: string; token: string }>;
  /** Sockets that only receive the relayed updates. */
  observers: Array<{ docName: string; token: string }>;
  updatesPerWriter: number;
  batch: number;
  window: number;
}

export type ToRawWriter = { type: 'prepare'; plan: RawWriterPlan } | { type: 'run'; durationMs: number };
export type FromRawWriter =
  | { type: 'ready' }
  | { type: 'done'; acked: number; relayed: number; sent: Array<[number, number]>; firstSendAt: number; lastAckAt: number; batchRtt: Float64Array }
  | { type: 'failed'; message: string };

interface Writer {
  writer: number;
  ws: WebSocket;
  /** Per batch: its update messages then its closing step 1. */
  batches: Uint8Array[][];
  /** Stamps in each batch, per stamp writer id. */
  stamps: Array<Array<[number, number]>>;
}

const send = (m: FromRawWriter) => process.send!(m);
const writers: Writer[] = [];
let relayed = 0;

/** Stamps per card: a writer moves on to a new card (and a new stamp writer id) after this many, so no text grows long. */
export const STAMPS_PER_CARD = 150;
export const stampWriterId = (writer: number, card: number): number => writer * 10_000 + card;

function makeBatches(writer: number, updates: number, batch: number): { batches: Uint8Array[][]; stamps: Array<Array<[number, number]>> } {
  const doc = new Y.Doc();
  const captured: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => captured.push(u));
  const batches: Uint8Array[][] = [];
  const stamps: Array<Array<[number, number]>> = [];
  let text: Y.Text | null = null;
  let id = 0;
  let seq = 0;
  for (let made = 0; made < updates; ) {
    const counts = new Map<number, number>();
    for (let n = 0; n < batch && made < updates; n++, made++) {
      if (!text || seq === STAMPS_PER_CARD) {
        id = stampWriterId(writer, Math.floor(made / STAMPS_PER_CARD));
        text = cardText(doc, addCard(doc, { text: '', author: writerAuthor(id) }))!;
        seq = 0;
      }
      text.insert(text.length, stamp(id, ++seq, 0));
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const messages = captured.splice(0).map(updateMessage);
    messages.push(syncStep1(Y.encodeStateVector(doc)));
    batches.push(messages);
    stamps.push([...counts]);
  }
  doc.destroy();
  return { batches, stamps };
}

function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

function syncStep1(stateVector: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
  encoding.writeVarUint8Array(e, stateVector);
  return encoding.toUint8Array(e);
}

const isStep2 = (data: Uint8Array): boolean => {
  const d = decoding.createDecoder(data);
  return decoding.readVarUint(d) === 0 && decoding.readVarUint(d) === syncProtocol.messageYjsSyncStep2;
};

async function open(wsUrl: string, docName: string, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`${wsUrl}/yjs/${docName}?token=${encodeURIComponent(token)}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

async function prepare(plan: RawWriterPlan): Promise<void> {
  // Everything is made before any socket opens: a long busy spell would miss the server's heartbeat.
  const made = plan.writers.map((w) => makeBatches(w.writer, plan.updatesPerWriter, plan.batch));
  for (const o of plan.observers) (await open(plan.wsUrl, o.docName, o.token)).on('message', () => relayed++);
  for (const [i, w] of plan.writers.entries()) writers.push({ writer: w.writer, ws: await open(plan.wsUrl, w.docName, w.token), ...made[i]! });
}

async function run(durationMs: number, window: number): Promise<void> {
  const sent = new Map<number, number>();
  const batchRtt: number[] = [];
  let acked = 0;
  let lastAckAt = 0;
  relayed = 0;
  const firstSendAt = performance.now();
  const deadline = firstSendAt + durationMs;
  await Promise.all(
    writers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          let next = 0;
          const inFlight: Array<{ index: number; at: number }> = [];
          const issue = () => {
            while (inFlight.length < window && next < w.batches.length && performance.now() < deadline) {
              for (const m of w.batches[next]!) w.ws.send(m);
              for (const [id, n] of w.stamps[next]!) sent.set(id, (sent.get(id) ?? 0) + n);
              inFlight.push({ index: next++, at: performance.now() });
            }
            if (inFlight.length === 0) resolve();
          };
          w.ws.on('message', (data: Buffer) => {
            if (!isStep2(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))) return;
            const done = inFlight.shift();
            if (!done) return; // the answer to a step 1 we did not send
            lastAckAt = performance.now();
            batchRtt.push(lastAckAt - done.at);
            for (const [, n] of w.stamps[done.index]!) acked += n;
            issue();
          });
          w.ws.once('close', (code) => (inFlight.length > 0 ? reject(new Error(`writer ${w.writer}'s socket closed (${code})`)) : resolve()));
          issue();
        }),
    ),
  );
  send({ type: 'done', acked, relayed, sent: [...sent], firstSendAt: performance.timeOrigin + firstSendAt, lastAckAt: performance.timeOrigin + lastAckAt, batchRtt: Float64Array.from(batchRtt) });
}

let plan: RawWriterPlan | null = null;
process.on('message', (m: ToRawWriter) => {
  const work = m.type === 'prepare' ? ((plan = m.plan), prepare(m.plan).then(() => send({ type: 'ready' }))) : run(m.durationMs, plan!.window);
  work.catch((err: unknown) => send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
});
process.on('disconnect', () => process.exit(0));
