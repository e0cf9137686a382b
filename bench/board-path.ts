// npx tsx bench/board-path.ts [rounds]
// CPU per typing update on the board's own write path (queue, capture, shape check, relay
// to two peers, a store that answers at once) against Yjs alone applying the same updates
// to a doc with an 'update' listener, as the board's doc has: what the board adds to Yjs.
// Rounds alternate in one process; medians. To compare two versions of a file on the path,
// run this against each in turn, several times (bench/RESULTS.md shows how).
import * as Y from 'yjs';
import { addCard, cardText, initBoard, listCards } from '../shared/board.js';
import { Board, type Peer } from '../server/docsync/board.js';
import { deletesBeforeApplying } from '../server/docsync/update-check.js';
import { silentLogger } from '../server/lib/logger.js';
import type { Store } from '../server/store/store.js';

const rounds = Number(process.argv[2] ?? 15);
const UPDATES = 5_000;
/** Cards the typing is spread over, so that no card's text reaches BOARD_LIMITS.cardText (the check would cut it). */
const CARDS = 100;

const client = new Y.Doc();
initBoard(client, { title: 'Grupo A', question: '¿Qué proponemos?', language: 'es', sections: ['Diagnóstico', 'Propuestas'] });
for (let i = 0; i < CARDS; i++) addCard(client, { text: `Idea ${i + 1}: articular a los actores del territorio`, author: 'Ana' });
const initial = Y.encodeStateAsUpdate(client);
const ids = listCards(client).map((c) => c.id);
const typing: Uint8Array[] = [];
client.on('update', (u: Uint8Array) => typing.push(u));
for (let i = 0; i < UPDATES; i++) {
  const text = cardText(client, ids[i % ids.length]!)!;
  text.insert(text.length, `w${i % 30}.${i}.${(i * 48_611) % 100_000_000};`); // the load's stamps
}

let seq = 0;
const store: Pick<Store, 'appendUpdate' | 'compactDoc'> = { appendUpdate: () => Promise.resolve(++seq), compactDoc: () => Promise.resolve(true) };
const peer = (identity: string): Peer => ({ identity, displayName: identity, send() {}, relay() {}, close() {} });

const cpuUs = (began: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(began);
  return (used.user + used.system) / typing.length;
};

async function boardRound(): Promise<number> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, initial);
  const board = new Board('w/g', doc, { lastSeq: 0, updates: 0 }, {
    store: store as Store, log: silentLogger, compactEvery: Number.MAX_SAFE_INTEGER, idleMs: 3_600_000, onIdle() {}, onBroken() {},
  });
  const writer = peer('writer');
  board.addPeer(writer);
  board.addPeer(peer('reader'));
  const began = process.cpuUsage();
  for (const u of typing) {
    const result = await board.applyUpdate(u, writer, () => true, deletesBeforeApplying(u));
    if (result !== 'applied') throw new Error(`an update was ${result}`);
  }
  const us = cpuUs(began);
  board.destroy();
  return us;
}

function yjsRound(): number {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, initial);
  doc.on('update', () => undefined);
  const began = process.cpuUsage();
  for (const u of typing) Y.applyUpdate(doc, u);
  return cpuUs(began);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const board: number[] = [];
const yjs: number[] = [];
await boardRound(); // warm-up
for (let r = 0; r < rounds; r++) {
  if (r % 2 === 0) {
    board.push(await boardRound());
    yjs.push(yjsRound());
  } else {
    yjs.push(yjsRound());
    board.push(await boardRound());
  }
}
const b = median(board);
const y = median(yjs);
console.log(`board ${b.toFixed(2)} µs/update, Yjs alone ${y.toFixed(2)} µs/update, the board adds ${(b - y).toFixed(2)} µs (×${(b / y).toFixed(2)})`);
