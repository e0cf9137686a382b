import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard, addSection, cardText, countWords, initBoard, listCards, listSections, moveCard, moveSection,
  positionBetween, promoteCard, readMeta, removeCard, removeSection, sectionBody, sectionHeading,
  setCardColor, setMeta, setTextByDiff, xmlPlainText, boardTypes,
} from '../../shared/board.js';

function newBoard(): Y.Doc {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Grupo B: Cambio Sistémico', question: '¿Qué cambio buscamos?', language: 'es' });
  return doc;
}

/** Two docs wired to each other, as two clients behind a relay. */
function pair(): [Y.Doc, Y.Doc] {
  const a = newBoard();
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return [a, b];
}
const sync = (x: Y.Doc, y: Y.Doc) => {
  Y.applyUpdate(y, Y.encodeStateAsUpdate(x, Y.encodeStateVector(y)));
  Y.applyUpdate(x, Y.encodeStateAsUpdate(y, Y.encodeStateVector(x)));
};

describe('a new board', () => {
  it('has its title, question and one localized empty section', () => {
    const doc = newBoard();
    expect(readMeta(doc)).toEqual({ title: 'Grupo B: Cambio Sistémico', question: '¿Qué cambio buscamos?' });
    expect(listSections(doc).map((s) => s.heading)).toEqual(['Conclusiones y Recomendaciones']);
    const en = new Y.Doc();
    initBoard(en, { title: 'x', question: '', language: 'en' });
    expect(listSections(en)[0]?.heading).toBe('Conclusions and Recommendations');
  });

  it('changes meta by field', () => {
    const doc = newBoard();
    setMeta(doc, { question: 'Nueva pregunta' });
    expect(readMeta(doc)).toEqual({ title: 'Grupo B: Cambio Sistémico', question: 'Nueva pregunta' });
  });
});

describe('cards', () => {
  it('are listed in position order with their fields', () => {
    const doc = newBoard();
    const a = addCard(doc, { text: 'Fortalecer espacios existentes', author: 'Ana', color: 'blue' });
    const b = addCard(doc, { text: 'Liderazgo local', author: 'Bruno' });
    const cards = listCards(doc);
    expect(cards.map((c) => c.id)).toEqual([a, b]);
    expect(cards[0]).toMatchObject({ text: 'Fortalecer espacios existentes', author: 'Ana', color: 'blue' });
    expect(cards[1]?.color).toBe('yellow');
  });

  it('move, recolour and delete', () => {
    const doc = newBoard();
    const ids = ['uno', 'dos', 'tres'].map((text) => addCard(doc, { text, author: 'x' }));
    moveCard(doc, ids[2]!, 0);
    expect(listCards(doc).map((c) => c.text)).toEqual(['tres', 'uno', 'dos']);
    moveCard(doc, ids[2]!, 2);
    expect(listCards(doc).map((c) => c.text)).toEqual(['uno', 'dos', 'tres']);
    setCardColor(doc, ids[0]!, 'pink');
    removeCard(doc, ids[1]!);
    expect(listCards(doc).map((c) => [c.text, c.color])).toEqual([['uno', 'pink'], ['tres', 'yellow']]);
  });

  it('two people moving cards at once never lose or duplicate one', () => {
    const [a, b] = pair();
    const ids = ['1', '2', '3', '4'].map((text) => addCard(a, { text, author: 'x' }));
    sync(a, b);
    moveCard(a, ids[0]!, 3);
    moveCard(b, ids[0]!, 1);
    moveCard(b, ids[3]!, 0);
    sync(a, b);
    const order = listCards(a).map((c) => c.text);
    expect(listCards(b).map((c) => c.text)).toEqual(order);
    expect([...order].sort()).toEqual(['1', '2', '3', '4']);
  });

  it('text is a Y.Text that concurrent edits merge into', () => {
    const [a, b] = pair();
    const id = addCard(a, { text: 'escala', author: 'x' });
    sync(a, b);
    setTextByDiff(cardText(a, id)!, 'escalamiento');
    setTextByDiff(cardText(b, id)!, 'La escala');
    sync(a, b);
    expect(cardText(a, id)!.toString()).toBe('La escalamiento');
    expect(cardText(b, id)!.toString()).toBe('La escalamiento');
  });

  it('ignores malformed entries instead of trusting them', () => {
    const doc = newBoard();
    const bad = new Y.Map<unknown>();
    bad.set('text', 'sin id');
    bad.set('__proto__', 'x');
    boardTypes(doc).cards.push([bad]);
    const odd = new Y.Map<unknown>();
    odd.set('id', 'odd');
    odd.set('color', 'chartreuse');
    odd.set('position', 'NaN');
    boardTypes(doc).cards.push([odd]);
    expect(listCards(doc)).toEqual([{ id: 'odd', text: '', author: '', color: 'yellow', position: 0, createdAt: 0 }]);
  });
});

describe('sections', () => {
  it('add after another, move and remove', () => {
    const doc = newBoard();
    const first = listSections(doc)[0]!.id;
    const last = addSection(doc, 'Anexo');
    const middle = addSection(doc, 'Recomendaciones', first);
    expect(listSections(doc).map((s) => s.id)).toEqual([first, middle, last]);
    moveSection(doc, last, 0);
    expect(listSections(doc).map((s) => s.heading)).toEqual(['Anexo', 'Conclusiones y Recomendaciones', 'Recomendaciones']);
    removeSection(doc, middle);
    expect(listSections(doc).map((s) => s.heading)).toEqual(['Anexo', 'Conclusiones y Recomendaciones']);
  });

  it('headings are Y.Text edited by diff', () => {
    const doc = newBoard();
    const id = listSections(doc)[0]!.id;
    setTextByDiff(sectionHeading(doc, id)!, 'Conclusiones');
    expect(listSections(doc)[0]?.heading).toBe('Conclusiones');
  });

  it('a card promoted into a section becomes a bullet of its last list', () => {
    const doc = newBoard();
    const section = listSections(doc)[0]!.id;
    const one = addCard(doc, { text: 'Claridad en la lógica de escalamiento', author: 'x' });
    const two = addCard(doc, { text: 'Apalancamiento de recursos', author: 'y' });
    expect(promoteCard(doc, one, section)).toBe(true);
    expect(promoteCard(doc, two, section)).toBe(true);
    const body = sectionBody(doc, section)!;
    expect(body.length).toBe(1);
    const list = body.get(0) as Y.XmlElement;
    expect(list.nodeName).toBe('bulletList');
    expect(list.toArray().map((item) => (item as Y.XmlElement).nodeName)).toEqual(['listItem', 'listItem']);
    expect(((list.get(0) as Y.XmlElement).get(0) as Y.XmlElement).nodeName).toBe('paragraph');
    expect(xmlPlainText(body)).toBe('Claridad en la lógica de escalamiento\nApalancamiento de recursos');
    expect(promoteCard(doc, 'nope', section)).toBe(false);
  });

  it('counts the words people wrote: cards and bodies, not the headings a template gave', () => {
    const doc = newBoard();
    expect(countWords(doc)).toBe(0); // a new board's headings are nobody's words
    const section = listSections(doc)[0]!.id;
    const card = addCard(doc, { text: 'Liderazgo   local', author: 'x' });
    promoteCard(doc, card, section);
    expect(countWords(doc)).toBe(2 + 2);
  });
});

describe('setTextByDiff', () => {
  const cases: Array<[string, string, string]> = [
    ['same', 'abc', 'abc'],
    ['append', 'abc', 'abcd'],
    ['prepend', 'abc', 'zabc'],
    ['replace middle', 'año bueno', 'año malo'],
    ['clear', 'texto', ''],
    ['from empty', '', '¿Qué?'],
    ['emoji kept whole', 'a😀b', 'a😁b'],
    ['repeated letters', 'aaaa', 'aaa'],
  ];
  it.each(cases)('%s', (_name, before, after) => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, before);
    setTextByDiff(text, after);
    expect(text.toString()).toBe(after);
  });

  it('changes only the spliced range, so a concurrent edit elsewhere survives', () => {
    const a = new Y.Doc();
    a.getText('t').insert(0, 'hola mundo');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    setTextByDiff(a.getText('t'), '¡hola mundo');
    setTextByDiff(b.getText('t'), 'hola mundo!');
    sync(a, b);
    expect(a.getText('t').toString()).toBe('¡hola mundo!');
  });
});

describe('positionBetween', () => {
  it.each([
    [undefined, undefined, 1],
    [undefined, 5, 4],
    [5, undefined, 6],
    [1, 2, 1.5],
  ])('between %s and %s is %s', (a, b, expected) => {
    expect(positionBetween(a, b)).toBe(expected);
  });
});
