// The board's undo in the client: which keys undo and redo, and that it takes back this
// person's own changes only — never what arrived from someone else.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, cardText, initBoard, listCards, listTrash, setTextByDiff, trashCard } from '../../shared/board.js';
import { BoardUndo, undoKey } from '../../client/lib/board/board-undo.svelte.js';

const keys = (key: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) =>
  undoKey({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('undoKey', () => {
  it.each([
    ['Ctrl+Z', keys('z', { ctrlKey: true }), 'undo'],
    ['Cmd+Z', keys('z', { metaKey: true }), 'undo'],
    ['Ctrl+Shift+Z', keys('Z', { ctrlKey: true, shiftKey: true }), 'redo'],
    ['Cmd+Shift+Z', keys('Z', { metaKey: true, shiftKey: true }), 'redo'],
    ['Ctrl+Y', keys('y', { ctrlKey: true }), 'redo'],
    ['Z alone', keys('z'), null],
    ['Ctrl+Alt+Z', keys('z', { ctrlKey: true, altKey: true }), null],
    ['Ctrl+Shift+Y', keys('Y', { ctrlKey: true, shiftKey: true }), null],
  ] as const)('%s', (_name, got, expected) => expect(got).toBe(expected));
});

describe('BoardUndo', () => {
  it('undoes and redoes my changes, and leaves what arrived from others', () => {
    const mine = new Y.Doc();
    initBoard(mine, { title: 'Grupo B', question: '', language: 'es' });
    const theirs = new Y.Doc();
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine));
    const undo = new BoardUndo(mine);
    const relay = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'provider');

    const id = undo.change(() => addCard(mine, { text: 'Mía', author: 'Ana' }));
    const bruno = addCard(theirs, { text: 'De Bruno', author: 'Bruno' });
    relay(theirs, mine);
    setTextByDiff(cardText(theirs, bruno)!, 'De Bruno, editada por Bruno');
    relay(theirs, mine);
    expect(undo.canUndo).toBe(true);

    undo.undo();
    expect(listCards(mine).map((c) => c.text)).toEqual(['De Bruno, editada por Bruno']);
    expect(undo.canUndo).toBe(false);
    undo.redo();
    expect(listCards(mine).map((c) => c.text).sort()).toEqual(['De Bruno, editada por Bruno', 'Mía']);

    // Deleting to the trash is one step: undo puts the card back and empties the trash.
    undo.change(() => trashCard(mine, id, 'Ana'));
    expect(listTrash(mine)).toHaveLength(1);
    undo.undo();
    expect(listTrash(mine)).toEqual([]);
    expect(listCards(mine).map((c) => c.id)).toContain(id);
    undo.destroy();
  });
});
