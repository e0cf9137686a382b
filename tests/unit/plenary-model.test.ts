// The plenary board's model (shared/plenary.ts): its readers never throw on what a board
// may hold, merging keeps every source once, refreshing follows the source's new text,
// and a ranking orders the items.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addCard, cardText, setTextByDiff } from '../../shared/board.js';
import { addItem, listItems, mergeItems, parseSources, passageOccurs, rankItems, readPlenary, refreshSource, sourceNow, type PlenarySource } from '../../shared/plenary.js';

const source = (groupId: string, cardId: string, pulledText: string): PlenarySource => ({ groupId, cardId, authors: ['Ana'], pulledText, pulledAt: 1 });

describe('plenary readers', () => {
  it.each([
    ['not JSON', '{'],
    ['not a list', '{"groupId":"g"}'],
    ['a number', 7],
    ['a source with both a card and a section', JSON.stringify([{ groupId: 'g', cardId: 'c', sectionId: 's' }])],
    ['a source with neither', JSON.stringify([{ groupId: 'g' }])],
    ['a source with a bad group id', JSON.stringify([{ groupId: 3, cardId: 'c' }])],
  ])('sources that are %s read as none', (_name, raw) => {
    expect(parseSources(raw)).toEqual([]);
  });

  it('keeps the good sources of a list and reads odd fields leniently', () => {
    const raw = JSON.stringify([null, { groupId: 'g', cardId: 'c', authors: ['A', 4], pulledText: 9, pulledAt: 'x' }]);
    expect(parseSources(raw)).toEqual([{ groupId: 'g', cardId: 'c', authors: ['A'], pulledText: '', pulledAt: 0 }]);
  });

  it('readPlenary skips what is not an item and never throws', () => {
    const doc = new Y.Doc();
    const items = doc.getArray<unknown>('items');
    const noId = new Y.Map<unknown>();
    noId.set('text', new Y.Text('x'));
    const textAsNumber = new Y.Map<unknown>();
    textAsNumber.set('id', 'n');
    textAsNumber.set('text', 5);
    items.push(['string', 3, noId, textAsNumber]);
    addItem(doc, { text: 'bien', sources: [source('g', 'c', 'bien')], createdAt: 2 });
    const read = readPlenary(doc);
    expect(read.items.map((i) => [i.id === 'n' ? 'n' : 'new', i.text, i.sources.length])).toEqual([['n', '', 0], ['new', 'bien', 1]]);
    expect(read.sections).toEqual([]);
  });
});

describe('passages', () => {
  it.each([
    ['the same words', 'agua potable para todas', 'agua potable', true],
    ['across a line break, joined another way', 'Primero.\nDespués, más.', 'Primero. \n\n Después', true],
    ['words not there', 'agua potable', 'agua corriente', false],
    ['only spaces', 'agua potable', '  \n ', false],
    ['a different case', 'Agua potable', 'agua potable', false],
  ])('%s: occurs is %s', (_name, text, passage, occurs) => {
    expect(passageOccurs(text, passage)).toBe(occurs);
  });

  it('a stored passage reads back; one too long or not text is dropped, the source kept whole', () => {
    const raw = (passage: unknown) => JSON.stringify([{ groupId: 'g', cardId: 'c', authors: [], pulledText: 'x', pulledAt: 1, passage }]);
    expect(parseSources(raw('agua'))[0]?.passage).toBe('agua');
    expect(parseSources(raw('a'.repeat(4001)))[0]).not.toHaveProperty('passage');
    expect(parseSources(raw(7))[0]).not.toHaveProperty('passage');
  });

  it("a passage source's text now is the passage while it occurs, else the whole source's text", () => {
    const group = new Y.Doc();
    const cardId = addCard(group, { text: 'Agua potable y baños dignos', author: 'Ana' });
    const passage: PlenarySource = { groupId: 'g', cardId, authors: [], pulledText: 'baños dignos', pulledAt: 1, passage: 'baños dignos' };
    expect(sourceNow(group, passage)).toBe('baños dignos');
    setTextByDiff(cardText(group, cardId)!, 'Agua potable en la escuela y baños dignos');
    expect(sourceNow(group, passage)).toBe('baños dignos');
    setTextByDiff(cardText(group, cardId)!, 'Agua potable y baños accesibles');
    expect(sourceNow(group, passage)).toBe('Agua potable y baños accesibles');
    expect(sourceNow(group, { ...passage, cardId: 'gone' })).toBeNull();
  });

  it('merging keeps two passages of one card as two sources', () => {
    const doc = new Y.Doc();
    const a = addItem(doc, { text: 'uno', sources: [{ ...source('g', 'c', 'uno'), passage: 'uno' }], createdAt: 1 });
    const b = addItem(doc, { text: 'dos', sources: [{ ...source('g', 'c', 'dos'), passage: 'dos' }], createdAt: 2 });
    mergeItems(doc, [a, b]);
    expect(listItems(doc)[0]?.sources.map((s) => s.passage)).toEqual(['uno', 'dos']);
  });
});

describe('plenary changes', () => {
  it('merging keeps the first item, joins the texts and keeps each source once', () => {
    const doc = new Y.Doc();
    const a = addItem(doc, { text: 'Uno', sources: [source('g1', 'c1', 'Uno')], createdAt: 1 });
    const b = addItem(doc, { text: 'Dos', sources: [source('g2', 'c2', 'Dos'), source('g1', 'c1', 'Uno')], createdAt: 1 });
    expect(mergeItems(doc, [a, b])).toBe(a);
    const [only, ...rest] = listItems(doc);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ id: a, text: 'Uno\n\nDos' });
    expect(only!.sources.map((s) => s.groupId)).toEqual(['g1', 'g2']);
    expect(mergeItems(doc, [a, 'missing'])).toBeNull();
  });

  it('refreshing replaces the old passage where the item still holds it, or appends the new text', () => {
    const doc = new Y.Doc();
    const id = addItem(doc, { text: 'Uno', sources: [source('g1', 'c1', 'Uno'), source('g2', 'c2', 'Dos')], createdAt: 1 });
    refreshSource(doc, id, { groupId: 'g1', cardId: 'c1' }, 'Uno más', 5);
    expect(listItems(doc)[0]).toMatchObject({ text: 'Uno más' });
    refreshSource(doc, id, { groupId: 'g2', cardId: 'c2' }, 'Dos más', 5);
    expect(listItems(doc)[0]!.text).toBe('Uno más\n\nDos más');
    expect(listItems(doc)[0]!.sources.map((s) => s.pulledText)).toEqual(['Uno más', 'Dos más']);
  });

  it('ranks items by a round over the plenary board; the unvoted follow in board order', () => {
    const doc = new Y.Doc();
    const ids = ['a', 'b', 'c'].map((t) => addItem(doc, { text: t, sources: [], createdAt: 1 }));
    const ranked = rankItems(listItems(doc), [
      { groupId: 'plenary', cardId: ids[2]!, dots: 4, voters: 2 },
      { groupId: 'g1', cardId: ids[0]!, dots: 9, voters: 9 },
    ]);
    expect(ranked.map((i) => [i.text, i.dots])).toEqual([['c', 4], ['a', 0], ['b', 0]]);
  });
});
