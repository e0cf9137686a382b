// 7. The large-removal check in the board's write path (server/docsync/removal.ts): what
// it costs a keystroke (typing, a backspace) on a large board, next to decoding the
// update (which the write path does anyway), and what a wipe of the whole board costs
// (measuring it, counting the board's text, encoding the snapshot kept as a version).
import * as Y from 'yjs';
import { addCard, boardTypes, cardText, initBoard, listCards, listSections, sectionBody, setTextByDiff } from '../../shared/board.js';
import { writeRichText } from '../../shared/rich-text-yjs.js';
import { text } from '../../shared/rich-text.js';
import { boardTextLength, isLargeRemoval, measureRemoval } from '../../server/docsync/removal.js';
import { check, type Scenario } from '../lib/scenario.js';
import { kb, table } from '../lib/stats.js';

const CARDS = 200;
const SECTIONS = 20;
const PARAGRAPHS = 20;

function largeBoard(): Y.Doc {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Grupo B', question: '', language: 'es', sections: Array.from({ length: SECTIONS }, (_, i) => `Sección ${i + 1}`) });
  for (let i = 0; i < CARDS; i++) addCard(doc, { text: `Idea número ${i + 1}: fortalecer lo que ya funciona en el territorio`, author: 'Ana' });
  for (const s of listSections(doc)) {
    const paragraph = { type: 'paragraph' as const, content: [text('Fortalecer la articulación entre actores del territorio y sus redes. ')] };
    doc.transact(() => writeRichText(sectionBody(doc, s.id)!, Array.from({ length: PARAGRAPHS }, () => paragraph)));
  }
  return doc;
}

/** Microseconds per call of `work` over `n` calls. */
function perCall(n: number, work: (i: number) => void): number {
  const began = performance.now();
  for (let i = 0; i < n; i++) work(i);
  return ((performance.now() - began) * 1000) / n;
}

export const removalCheck: Scenario = {
  name: 'removal-check',
  title: `7. The large-removal check: keystrokes and a wipe on a board of ${CARDS} cards and ${SECTIONS} sections`,
  async run({ quick }) {
    const server = largeBoard();
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const id = listCards(client)[0]!.id;
    // What a client sends for each transaction (y-websocket relays the doc's `update` events).
    const sent: Uint8Array[] = [];
    client.on('update', (u: Uint8Array) => sent.push(u));
    for (let i = 0; i < 40; i++) cardText(client, id)!.insert(0, 'a');
    const typing = sent.splice(0);
    for (let i = 0; i < 40; i++) setTextByDiff(cardText(client, id)!, cardText(client, id)!.toString().slice(1));
    const backspaces = sent.splice(0);
    const deletesOf = (updates: Uint8Array[]) => updates.map((u) => Y.decodeUpdate(u).ds);
    const check1 = (ds: ReturnType<typeof Y.decodeUpdate>['ds']) => {
      if (ds.clients.size === 0) return;
      isLargeRemoval(measureRemoval(server, ds), () => boardTextLength(server));
    };
    const n = quick ? 20_000 : 200_000;
    const typingDs = deletesOf(typing);
    const backspaceDs = deletesOf(backspaces);
    const typingUs = perCall(n, (i) => check1(typingDs[i % typingDs.length]!));
    const backspaceUs = perCall(n, (i) => check1(backspaceDs[i % backspaceDs.length]!));
    const decodeUs = perCall(n, (i) => Y.decodeUpdate(backspaces[i % backspaces.length]!));

    const before = Y.encodeStateVector(client);
    client.transact(() => {
      const { cards, sections } = boardTypes(client);
      cards.delete(0, cards.length);
      sections.delete(0, sections.length);
    });
    const wipe = Y.decodeUpdate(sent.at(-1) ?? Y.encodeStateAsUpdate(client, before)).ds;
    const runs = quick ? 5 : 30;
    const wipeMs = perCall(runs, () => {
      if (isLargeRemoval(measureRemoval(server, wipe), () => boardTextLength(server))) Y.encodeStateAsUpdate(server);
    }) / 1000;
    const boardBytes = Y.encodeStateAsUpdate(server).length;

    const figures = table([
        ['what', 'cost'],
        ['board', `${CARDS} cards, ${SECTIONS} sections of ${PARAGRAPHS} paragraphs, ${boardTextLength(server)} characters, ${kb(boardBytes)}`],
        ['check of a typing update (deletes nothing)', `${typingUs.toFixed(2)} µs`],
        ['check of a backspace update', `${backspaceUs.toFixed(2)} µs`],
        ['decoding that backspace update (done anyway)', `${decodeUs.toFixed(2)} µs`],
        ['a wipe: measure, count the board, encode the snapshot', `${wipeMs.toFixed(1)} ms`],
    ]);
    return {
      figures,
      checks: [
        check('a keystroke’s check costs about what decoding it does (≤ 3×, or ≤ 10 µs)', `${backspaceUs.toFixed(2)} µs vs ${decodeUs.toFixed(2)} µs`, backspaceUs <= Math.max(decodeUs * 3, 10)),
        check('a wipe of a large board is measured and kept in < 50 ms', `${wipeMs.toFixed(1)} ms`, wipeMs < 50),
      ],
      failures: [],
    };
  },
};
