// The board's trash: a deleted card keeps everything it had, anyone restores it where it
// was, concurrent deletes and restores converge, and nothing reads the trash as content.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard, boardTypes, listCards, listTrash, moveCard, readBoardContent, replaceBoardWith, restoreCard, setCardColor, trashCard,
} from '../../shared/board.js';
import { copyOf, newBoard, sync } from '../helpers/local-board.js';

describe('the trash', () => {
  it('takes a deleted card with its text, author, colour, position and time, and who deleted it when', () => {
    const doc = newBoard();
    const ids = ['uno', 'dos', 'tres'].map((text) => addCard(doc, { text, author: 'Ana', createdAt: 1000 }));
    setCardColor(doc, ids[1]!, 'pink');
    moveCard(doc, ids[1]!, 0);
    const before = listCards(doc).find((c) => c.id === ids[1])!;
    let changes = 0;
    doc.on('update', () => changes++);
    expect(trashCard(doc, ids[1]!, 'Bruno', 5000)).toBe(true);
    expect(changes).toBe(1); // one change: deleted and trashed together
    expect(listCards(doc).map((c) => c.text)).toEqual(['uno', 'tres']);
    expect(listTrash(doc)).toEqual([{ ...before, deletedBy: 'Bruno', deletedAt: 5000 }]);
    expect(trashCard(doc, 'nope', 'Bruno')).toBe(false);
  });

  it('gives a restored card back where it was, as it was', () => {
    const doc = newBoard();
    const ids = ['uno', 'dos', 'tres'].map((text) => addCard(doc, { text, author: 'Ana', color: 'green' }));
    const before = listCards(doc);
    trashCard(doc, ids[1]!, 'Bruno');
    expect(restoreCard(doc, ids[1]!)).toBe(true);
    expect(listCards(doc)).toEqual(before);
    expect(listTrash(doc)).toEqual([]);
    expect(restoreCard(doc, ids[1]!)).toBe(false);
  });

  it('converges when two people delete one card at once, and when one restores while the other undoes', () => {
    const a = newBoard();
    const id = addCard(a, { text: 'Liderazgo local', author: 'Ana' });
    const b = copyOf(a);
    trashCard(a, id, 'Ana');
    trashCard(b, id, 'Bruno');
    sync(a, b);
    expect(listTrash(a)).toHaveLength(1);
    expect(listTrash(b)).toEqual(listTrash(a));
    expect(listCards(a)).toEqual([]);

    // Ana undoes her delete while Bruno restores from the trash: the card comes back, the trash empties.
    const c = newBoard();
    const cid = addCard(c, { text: 'Otra', author: 'Ana' });
    const d = copyOf(c);
    const undoC = new Y.UndoManager([boardTypes(c).cards, boardTypes(c).trash]);
    trashCard(c, cid, 'Ana');
    sync(c, d);
    undoC.undo();
    restoreCard(d, cid);
    sync(c, d);
    expect(listTrash(c)).toEqual([]);
    expect(new Set(listCards(c).map((x) => x.id))).toEqual(new Set([cid]));
    undoC.destroy();
  });

  it('is no content: the board as exports read it leaves trashed cards out', () => {
    const doc = newBoard();
    const id = addCard(doc, { text: 'Borrada', author: 'Ana' });
    addCard(doc, { text: 'Queda', author: 'Ana' });
    trashCard(doc, id, 'Ana');
    expect(readBoardContent(doc).cards.map((c) => c.text)).toEqual(['Queda']);
  });

  it('loses nothing to a version restore: it keeps its cards, less those the version puts back, plus the version’s own', () => {
    const doc = newBoard();
    const [one, two, three] = ['uno', 'dos', 'tres'].map((text) => addCard(doc, { text, author: 'Ana' }));
    trashCard(doc, three!, 'Ana');
    const version = copyOf(doc); // uno, dos on the board; tres in the trash
    trashCard(doc, one!, 'Bruno');
    trashCard(doc, two!, 'Bruno');
    restoreCard(doc, three!); // now: tres on the board; uno, dos in the trash
    replaceBoardWith(doc, version);
    expect(listCards(doc).map((c) => c.text)).toEqual(['uno', 'dos']);
    expect(listTrash(doc).map((c) => c.text)).toEqual(['tres']);
  });
});
