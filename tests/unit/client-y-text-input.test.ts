import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mapIndexThroughDelta } from '../../client/lib/board/y-text-input.js';

/** The delta a remote edit produces, and where a caret at `pos` ends up. */
function caretAfter(initial: string, edit: (t: Y.Text) => void, pos: number): number {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, initial);
  let delta: Array<{ insert?: unknown; retain?: number; delete?: number }> = [];
  text.observe((e) => (delta = e.delta as typeof delta));
  edit(text);
  return mapIndexThroughDelta(delta, pos);
}

describe('keeping the caret through a remote edit of a text field', () => {
  it.each([
    ['insert before the caret shifts it', (t: Y.Text) => t.insert(0, '¡'), 5, 6],
    ['insert after the caret leaves it', (t: Y.Text) => t.insert(8, '!'), 5, 5],
    ['insert right at the caret goes after it', (t: Y.Text) => t.insert(5, 'XY'), 5, 5],
    ['delete before the caret pulls it back', (t: Y.Text) => t.delete(0, 2), 5, 3],
    ['delete around the caret puts it at the cut', (t: Y.Text) => t.delete(3, 4), 5, 3],
    ['delete after the caret leaves it', (t: Y.Text) => t.delete(6, 2), 5, 5],
  ])('%s', (_name, edit, pos, expected) => {
    expect(caretAfter('Año de señales', edit, pos)).toBe(expected);
  });
});
