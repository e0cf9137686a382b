// The board's shape check (server/docsync/shape-check.ts): what a write adds that does not
// fit BOARD_SHAPE is removed, what fits is kept, and ordinary edits are left alone.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard, addSection, boardTypes, cardText, describeBoardShape, initBoard, listCards, listSections, promoteCard, readMeta, restoreCard, sectionBody, setMeta,
  trashCard, writeSections,
} from '../../shared/board.js';
import { conformToShape, type ShapeReport } from '../../server/docsync/shape-check.js';
import { POISONS, shapeProblems, writePoison } from '../support/board-poison.js';

/** A server's copy of a board and a client synced with it. */
function pair() {
  const server = new Y.Doc();
  initBoard(server, { title: 'Grupo B', question: '¿Qué?', language: 'es' });
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return { server, client };
}

/** What the board does with a client's update: apply it, then check the transactions it made. */
function receive(server: Y.Doc, client: Y.Doc): ShapeReport {
  const update = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
  const transactions: Y.Transaction[] = [];
  const record = (tr: Y.Transaction) => transactions.push(tr);
  server.on('afterTransaction', record);
  Y.applyUpdate(server, update, 'peer');
  server.off('afterTransaction', record);
  const report = conformToShape(server, transactions, 'server');
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
  return report;
}

describe('the board shape check', () => {
  it.each(POISONS.map((p) => [p.name, p] as const))('removes %s and keeps the good card written with it', (_name, poison) => {
    const { server, client } = pair();
    const good = writePoison(client, poison);
    expect(shapeProblems(client)).not.toEqual([]);
    const report = receive(server, client);
    expect(report.removed).toBeGreaterThan(0);
    expect(report.reasons.length).toBeGreaterThan(0);
    expect(shapeProblems(server)).toEqual([]);
    expect(shapeProblems(client)).toEqual([]); // the removal reaches the writer too
    expect(listCards(server).map((c) => c.text)).toContain(good);
    expect(readMeta(server).title).toBe('Grupo B');
  });

  it('finds every poison on a board it checked before (it names the roots once, at the first check)', () => {
    const { server, client } = pair();
    addCard(client, { text: 'primera', author: 'Ana' });
    expect(receive(server, client).removed).toBe(0);
    for (const poison of POISONS) {
      writePoison(client, poison);
      expect(receive(server, client).removed, poison.name).toBeGreaterThan(0);
      expect(shapeProblems(server), poison.name).toEqual([]);
    }
    expect(listCards(server).map((c) => c.text)).toContain('primera');
  });

  it('leaves every ordinary edit alone', () => {
    const { server, client } = pair();
    const edits: Array<(doc: Y.Doc) => void> = [
      (doc) => addCard(doc, { text: 'una idea', author: 'Ana', color: 'pink' }),
      (doc) => cardText(doc, listCards(doc)[0]!.id)!.insert(0, 'otra: '),
      (doc) => addSection(doc, 'Hallazgos'),
      (doc) => writeSections(doc, [{ heading: 'Tabla', body: [
        { type: 'paragraph', content: [{ type: 'text', text: 'con ', marks: { bold: true, link: 'https://ejemplo.org' } }, { type: 'footnote', content: 'nota' }, { type: 'hardBreak' }] },
        { type: 'list', ordered: true, start: 3, items: [[{ type: 'paragraph', content: [{ type: 'text', text: 'uno' }] }, { type: 'quote', content: [{ type: 'rule' }] }]] },
        { type: 'table', rows: [[{ header: true, colspan: 1, rowspan: 1, align: 'center', content: [{ type: 'heading', level: 2, content: [] }] }]] },
      ] }], 'append'),
      (doc) => promoteCard(doc, listCards(doc)[0]!.id, listSections(doc)[0]!.id),
      (doc) => setMeta(doc, { title: 'Grupo B2', question: '¿Y ahora?' }),
      (doc) => trashCard(doc, listCards(doc)[0]!.id, 'Bruno'),
    ];
    for (const edit of edits) {
      edit(client);
      expect(receive(server, client).removed).toBe(0);
    }
    const trashed = boardTypes(client).trash.toArray()[0] as Y.Map<unknown>;
    restoreCard(client, String(trashed.get('id')));
    expect(receive(server, client).removed).toBe(0);
    expect(shapeProblems(server)).toEqual([]);
    expect(Y.encodeStateAsUpdate(server)).toEqual(Y.encodeStateAsUpdate(client));
  });

  it('cuts the text of an existing card that grows past the limit, and removes a field of the wrong type', () => {
    const { server, client } = pair();
    const id = addCard(client, { text: 'corta', author: 'Ana' });
    receive(server, client);
    cardText(client, id)!.insert(5, 'x'.repeat(5000));
    const card = boardTypes(client).cards.get(0) as Y.Map<unknown>;
    card.set('color', { rojo: true });
    const report = receive(server, client);
    expect(report.removed).toBe(2);
    expect(listCards(server)).toMatchObject([{ id, text: `corta${'x'.repeat(1995)}`, color: 'yellow', author: 'Ana' }]);
    expect(shapeProblems(server)).toEqual([]);
  });

  it('removes an existing card whose required field is deleted or overwritten', () => {
    const { server, client } = pair();
    addCard(client, { text: 'uno', author: 'Ana' });
    addCard(client, { text: 'dos', author: 'Ana' });
    receive(server, client);
    const [first, second] = boardTypes(client).cards.toArray() as Array<Y.Map<unknown>>;
    first!.delete('id');
    second!.set('text', 7);
    expect(receive(server, client).removed).toBe(2);
    expect(boardTypes(server).cards.length).toBe(0);
  });

  it('judges an existing card on what the write did: one held from an earlier shape keeps what it had while people type in it', () => {
    const { server, client } = pair();
    // As the store may hold a card written under an earlier shape: no id (now required), a
    // colour of another type, a key the shape no longer names. Loaded, not received: trusted.
    const legacy = new Y.Map<unknown>();
    boardTypes(server).cards.push([legacy]);
    legacy.set('text', new Y.Text('vieja'));
    legacy.set('color', 3);
    legacy.set('votes', 'legado');
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const card = () => boardTypes(client).cards.get(0) as Y.Map<unknown>;
    (card().get('text') as Y.Text).insert(5, ' idea');
    (card().get('text') as Y.Text).insert(0, 'x'.repeat(3000));
    const typed = receive(server, client);
    expect(typed.removed).toBe(1); // only the text cut back to its limit
    expect(card().toJSON()).toEqual({ text: 'x'.repeat(2000), color: 3, votes: 'legado' });
    // What the write itself sets is judged as before: a key the shape does not name, a colour of another type.
    card().set('votes', 'otra vez');
    card().set('color', { rojo: true });
    expect(receive(server, client).removed).toBe(2);
    expect(card().toJSON()).toEqual({ text: 'x'.repeat(2000) });
    // And deleting a required field still removes the card.
    card().set('id', 'ya-tiene');
    expect(receive(server, client).removed).toBe(0);
    card().delete('id');
    expect(receive(server, client).removed).toBe(1);
    expect(boardTypes(server).cards.length).toBe(0);
  });

  it('cuts a meta string over its limit and keeps a body with every node the editor writes', () => {
    const { server, client } = pair();
    boardTypes(client).meta.set('title', 'T'.repeat(5000));
    receive(server, client);
    expect(readMeta(server).title).toBe('T'.repeat(200));
    const body = sectionBody(client, listSections(client)[0]!.id)!;
    const table = new Y.XmlElement('table');
    const row = new Y.XmlElement('tableRow');
    const cell = new Y.XmlElement('tableCell');
    cell.setAttribute('colspan', '1');
    cell.insert(0, [new Y.XmlElement('paragraph')]);
    row.insert(0, [cell]);
    table.insert(0, [row]);
    body.push([table, new Y.XmlElement('horizontalRule'), new Y.XmlElement('codeBlock')]);
    expect(receive(server, client).removed).toBe(0);
  });
});

describe('the documented shape', () => {
  it('is what the README shows, printed from BOARD_SHAPE', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`text\n${describeBoardShape()}\n\`\`\``);
  });
});
