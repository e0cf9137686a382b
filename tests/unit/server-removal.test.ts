// How much of a board an update removes, measured from its delete set before it is
// applied, and when that is "much of a board" (a version is kept right before it).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, boardTypes, cardText, initBoard, listCards, listSections, removeCard, removeSection, sectionBody, setTextByDiff } from '../../shared/board.js';
import { writeRichText } from '../../shared/rich-text-yjs.js';
import { text } from '../../shared/rich-text.js';
import { LARGE_REMOVAL, boardTextLength, isLargeRemoval, measureRemoval, type Removal } from '../../server/docsync/removal.js';

/** A server doc and a client doc in sync, holding `cards` cards and one section with `body`. */
function boards(cards: string[], body = '') {
  const server = new Y.Doc();
  initBoard(server, { title: 'Grupo B', question: '¿Qué?', language: 'es' });
  for (const t of cards) addCard(server, { text: t, author: 'Ana' });
  const section = listSections(server)[0]!.id;
  if (body) server.transact(() => writeRichText(sectionBody(server, section)!, [{ type: 'paragraph', content: [text(body)] }, { type: 'list', ordered: false, start: 1, items: [[{ type: 'paragraph', content: [text(body)] }]] }]));
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return { server, client, section };
}

/** What the server would measure of the update `change` makes on the client. */
function measured(server: Y.Doc, client: Y.Doc, change: (doc: Y.Doc) => void): Removal {
  const before = Y.encodeStateVector(client);
  change(client);
  const { ds } = Y.decodeUpdate(Y.encodeStateAsUpdate(client, before));
  return measureRemoval(server, ds);
}

describe('measureRemoval', () => {
  it('a keystroke, or typing, removes one character or none', () => {
    const { server, client } = boards(['Liderazgo local']);
    const id = listCards(client)[0]!.id;
    expect(measured(server, client, (d) => setTextByDiff(cardText(d, id)!, 'Liderazgo loca'))).toEqual({ cards: 0, sections: 0, chars: 1 });
    const { server: s2, client: c2 } = boards(['x']);
    expect(measured(s2, c2, (d) => addCard(d, { text: 'nueva', author: 'Bea' }))).toEqual({ cards: 0, sections: 0, chars: 0 });
  });

  it('a deleted card counts once, with all its text (the client also names its text among the deletions)', () => {
    const { server, client } = boards(['Primera idea', 'Segunda']);
    const id = listCards(client)[0]!.id;
    expect(measured(server, client, (d) => removeCard(d, id))).toEqual({ cards: 1, sections: 0, chars: 'Primera idea'.length });
  });

  it('all cards and sections deleted in one update: every card, every section, every character', () => {
    const cards = ['uno', 'dos', 'tres', 'cuatro', 'cinco'];
    const { server, client } = boards(cards, 'Liderazgo local.');
    const total = boardTextLength(server);
    const removal = measured(server, client, (d) => d.transact(() => {
      const { cards: c, sections: s } = boardTypes(d);
      c.delete(0, c.length);
      s.delete(0, s.length);
    }));
    expect(removal).toEqual({ cards: 5, sections: 1, chars: total });
    expect(total).toBe(cards.join('').length + 'Conclusiones y Recomendaciones'.length + 2 * 'Liderazgo local.'.length);
  });

  it('a section deleted counts its heading and its body at any depth', () => {
    const { server, client, section } = boards([], 'Texto anidado');
    expect(measured(server, client, (d) => removeSection(d, section))).toEqual({ cards: 0, sections: 1, chars: 'Conclusiones y Recomendaciones'.length + 2 * 'Texto anidado'.length });
  });

  it('what the board no longer has, or never had, counts for nothing', () => {
    const { server, client } = boards(['Primera idea']);
    const id = listCards(client)[0]!.id;
    const before = Y.encodeStateVector(client);
    removeCard(client, id);
    const update = Y.encodeStateAsUpdate(client, before);
    Y.applyUpdate(server, update); // already applied: now a repeat
    expect(measureRemoval(server, Y.decodeUpdate(update).ds)).toEqual({ cards: 0, sections: 0, chars: 0 });
    const stranger = new Y.Doc();
    stranger.getText('t').insert(0, 'hola');
    stranger.getText('t').delete(0, 4);
    expect(measureRemoval(server, Y.decodeUpdate(Y.encodeStateAsUpdate(stranger)).ds)).toEqual({ cards: 0, sections: 0, chars: 0 });
  });
});

describe('isLargeRemoval', () => {
  const never = () => {
    throw new Error('the board was measured');
  };
  it.each([
    ['more than three cards', { cards: LARGE_REMOVAL.cards + 1, sections: 0, chars: 4 }, 10_000, true],
    ['three cards of few words', { cards: 3, sections: 0, chars: 30 }, 30, false],
    ['a fifth of the text', { cards: 0, sections: 1, chars: 200 }, 1000, true],
    ['less than a fifth', { cards: 0, sections: 0, chars: 199 }, 1000, false],
    ['a small board wiped', { cards: 0, sections: 1, chars: LARGE_REMOVAL.minChars }, LARGE_REMOVAL.minChars, true],
  ] as const)('%s', (_what, removal, boardChars, large) => {
    expect(isLargeRemoval(removal, () => boardChars)).toBe(large);
  });

  it('never measures the whole board for a removal of a few characters (a keystroke)', () => {
    expect(isLargeRemoval({ cards: 0, sections: 0, chars: 1 }, never)).toBe(false);
    expect(isLargeRemoval({ cards: 1, sections: 0, chars: LARGE_REMOVAL.minChars - 1 }, never)).toBe(false);
  });
});
