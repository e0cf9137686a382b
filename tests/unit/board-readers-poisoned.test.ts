// Every reader of a board on a board of the wrong shape, built directly (no server, so
// nothing was removed — as a board stored before the server checked shapes): none throws,
// each skips what it cannot read, and the good content is read as usual.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard, cardText, countWords, initBoard, listCards, listFootnotes, listSections, listTrash, promoteCard, readBoardContent, readMeta,
  replaceBoardWith, restoreCard, sectionBody, sectionHeading, trashCard, xmlPlainText,
} from '../../shared/board.js';
import { consolidate } from '../../server/export/consolidate.js';
import { renderMarkdown } from '../../server/export/markdown.js';
import { renderHtml } from '../../server/export/html.js';
import { renderDocx } from '../../server/export/docx.js';
import { renderPdf } from '../../server/export/pdf.js';
import { renderArchive } from '../../server/export/json-archive.js';
import { diffContents } from '../../server/history/history-service.js';
import { conformToShape } from '../../server/docsync/shape-check.js';
import { WORKSHOP } from '../support/export-fixtures.js';
import { POISONS, shapeProblems, writeAllPoisons, writePoison } from '../support/board-poison.js';

/** Words of poison no reader may show: what sits where nothing is read (bad types, unknown roots, meta's junk, the trash, too deep). */
const UNREAD = ['oops-cadena', 'SINID', 'SECRETO', 'BASURA', 'PAPELERA', 'HONDO'];

function poisonedBoard(): { doc: Y.Doc; good: string } {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Grupo B', question: '¿Qué?', language: 'es' });
  const good = writePoison(doc, POISONS[0]!);
  writeAllPoisons(doc);
  // Poison inside what readers do read: a card's and a section's fields of the wrong types.
  const card = new Y.Map<unknown>([['id', 'rara'], ['text', new Y.Map()], ['color', 5], ['position', 'x'], ['author', ['x']]]);
  const section = new Y.Map<unknown>([['id', 'sec'], ['heading', 9], ['body', new Y.Text('no es xml')], ['position', null]]);
  doc.transact(() => {
    doc.getArray('cards').push([card]);
    doc.getArray('sections').push([section, new Y.Array()]);
    doc.getMap('meta').set('title', new Y.Map());
  });
  expect(shapeProblems(doc).length).toBeGreaterThan(10);
  return { doc, good };
}

describe('the board readers on a board of the wrong shape', () => {
  it('read what fits and skip the rest, without throwing', () => {
    const { doc, good } = poisonedBoard();
    expect(readMeta(doc)).toEqual({ title: '', question: '' });
    expect(listCards(doc).map((c) => c.text)).toContain(good);
    expect(listCards(doc).find((c) => c.id === 'rara')).toMatchObject({ text: '', color: 'yellow', position: 0, author: '' });
    expect(listCards(doc).find((c) => c.id === 'mega1')?.text).toHaveLength(2000); // read no longer than the shape allows
    expect(listCards(doc).find((c) => c.id === 'mega2')?.text).toHaveLength(2000);
    expect(listSections(doc).map((s) => s.id)).toContain('sec');
    expect(listTrash(doc).map((c) => c.id)).toEqual(['t1']);
    const content = readBoardContent(doc);
    expect(content.sections.find((s) => s.id === 'sec')).toEqual({ id: 'sec', heading: '', body: [] });
    expect(countWords(doc)).toBeGreaterThan(0);
    expect(listFootnotes(doc)).toEqual([]);
    for (const s of listSections(doc)) {
      const body = sectionBody(doc, s.id);
      if (body) expect(xmlPlainText(body)).not.toContain('HONDO');
      sectionHeading(doc, s.id);
    }
    const json = JSON.stringify(content);
    for (const word of UNREAD) expect(json).not.toContain(word);
  });

  it('change it without throwing: cards added, promoted, trashed and restored', () => {
    const { doc, good } = poisonedBoard();
    const id = listCards(doc).find((c) => c.text === good)!.id;
    expect(cardText(doc, 'rara')).toBeUndefined();
    expect(promoteCard(doc, id, 'sec')).toBe(false); // its body is no Y.XmlFragment
    const withBody = listSections(doc).find((s) => sectionBody(doc, s.id))!;
    expect(promoteCard(doc, id, withBody.id)).toBe(true);
    expect(trashCard(doc, id, 'Ana')).toBe(true);
    expect(restoreCard(doc, id)).toBe(true);
    addCard(doc, { text: 'otra', author: 'Ana' });
    expect(listCards(doc).map((c) => c.text)).toEqual(expect.arrayContaining([good, 'otra']));
  });

  it('export every format, and restore and diff a version, without throwing', async () => {
    const { doc, good } = poisonedBoard();
    const board = readBoardContent(doc);
    const model = consolidate(WORKSHOP, [{ group: { id: 'g', name: 'Grupo B', question: '', position: 0 }, board }]);
    const md = renderMarkdown(model);
    const html = renderHtml(model);
    const archive = renderArchive(model);
    expect(archive).toContain(good);
    for (const text of [md, html, archive]) {
      expect(text).toContain('Conclusiones');
      for (const word of UNREAD) expect(text).not.toContain(word);
    }
    expect((await renderDocx(model)).length).toBeGreaterThan(0);
    expect((await renderPdf(model)).length).toBeGreaterThan(0);

    const target = new Y.Doc();
    initBoard(target, { title: 'Antes', question: '', language: 'es' });
    addCard(target, { text: 'antes', author: 'Ana' });
    const before = readBoardContent(target);
    // A restore is checked like any write: what the version held that does not fit is removed.
    const transactions: Y.Transaction[] = [];
    target.on('afterTransaction', (tr: Y.Transaction) => transactions.push(tr));
    replaceBoardWith(target, doc);
    conformToShape(target, transactions.splice(0), 'server');
    expect(shapeProblems(target)).toEqual([]);
    expect(listCards(target).map((c) => c.text)).toContain(good);
    expect(diffContents(before, readBoardContent(target)).cards.added).toContain(good);
    expect(() => diffContents(board, before)).not.toThrow();
  });
});
