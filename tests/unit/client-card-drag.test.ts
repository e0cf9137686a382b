// The drag of a grid item (client/lib/board/card-drag-model.ts): over a card's middle a
// dragged card groups with it, over its edge it takes its place; the card it just swapped
// with is not swapped back, so its middle can be reached; a card from inside a cluster
// leaves it only when dropped on the grid's free space.
import { describe, expect, it } from 'vitest';
import { DragModel as CardDrag } from '../../client/lib/board/card-drag-model.js';

function drag() {
  const calls: string[] = [];
  const d = new CardDrag({
    publish: (s) => calls.push(s ? `publish ${s.cardId}→${s.toIndex}` : 'publish none'),
    commit: (id, to) => calls.push(`move ${id}→${to}`),
    group: (id, target) => calls.push(`group ${id}+${target}`),
    leave: (id) => calls.push(`leave ${id}`),
  });
  return { d, calls };
}

describe('dragging a card', () => {
  it('groups with the card whose middle it is dropped on', () => {
    const { d, calls } = drag();
    d.start('c', 2);
    d.over('a', 0, true);
    expect(d.groupTarget).toBe('a');
    d.drop();
    expect(calls.at(-1)).toBe('group c+a');
    expect(d.groupTarget).toBeNull();
  });

  it('takes the place of a card whose edge it is over, and does not chase it back', () => {
    const { d, calls } = drag();
    d.start('c', 2);
    d.over('a', 0, false); // c takes a's place: c at 0, a at 1
    expect(d.current).toEqual({ cardId: 'c', toIndex: 0 });
    d.over('a', 1, false); // a's edge again, now beside the pointer: no swap back
    expect(d.current).toEqual({ cardId: 'c', toIndex: 0 });
    d.over('a', 1, true); // its middle: group
    expect(d.groupTarget).toBe('a');
    d.over('b', 2, false); // another card's edge: c takes b's place (a, b, c)
    expect(d.groupTarget).toBeNull();
    expect(d.current).toEqual({ cardId: 'c', toIndex: 2 });
    d.drop();
    expect(calls.filter((c) => c.startsWith('move'))).toEqual([]); // back where it started: nothing written
  });

  it('joins a cluster it is over, wherever on it', () => {
    const { d, calls } = drag();
    d.start('c', 3);
    d.over('cluster:k', 0, false);
    d.drop();
    expect(calls.at(-1)).toBe('group c+cluster:k');
  });

  it('a cluster being dragged only moves, never groups', () => {
    const { d, calls } = drag();
    d.start('cluster:k', 1);
    d.over('a', 0, true);
    expect(d.groupTarget).toBeNull();
    d.drop();
    expect(calls.at(-1)).toBe('move cluster:k→0');
  });

  it('a card from inside a cluster leaves it on the free space, and nothing happens elsewhere', () => {
    const { d, calls } = drag();
    d.start('x', null);
    expect(d.current).toBeNull(); // no preview in the grid: it is not a grid item
    d.over('a', 0, false);
    d.drop();
    expect(calls.filter((c) => !c.startsWith('publish'))).toEqual([]);
    d.start('x', null);
    d.overEnd(4);
    d.drop();
    expect(calls.at(-1)).toBe('leave x');
  });
});
