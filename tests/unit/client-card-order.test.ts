import { describe, expect, it } from 'vitest';
import type { CardView } from '../../shared/board.js';
import { arrangeCards } from '../../client/lib/board/card-order.js';

const card = (id: string, position: number): CardView => ({ id, text: id, author: 'x', color: 'yellow', position, createdAt: 0 });
const cards = [card('a', 1), card('b', 2), card('c', 3), card('d', 4)];
const ana = { id: 'p1', name: 'Ana', color: '#1971c2' };
const ids = (shown: ReturnType<typeof arrangeCards>) => shown.map((s) => s.card.id);

describe('arranging the card grid while cards are dragged', () => {
  it('shows the stored order when nobody drags', () => {
    expect(ids(arrangeCards(cards, [], null))).toEqual(['a', 'b', 'c', 'd']);
  });

  it.each([
    [{ cardId: 'a', toIndex: 2 }, ['b', 'c', 'a', 'd']],
    [{ cardId: 'd', toIndex: 0 }, ['d', 'a', 'b', 'c']],
    [{ cardId: 'b', toIndex: 99 }, ['a', 'c', 'd', 'b']],
    [{ cardId: 'gone', toIndex: 0 }, ['a', 'b', 'c', 'd']],
  ])('shows my dragged card where it would land: %o', (drag, expected) => {
    const shown = arrangeCards(cards, [], drag);
    expect(ids(shown)).toEqual(expected);
    expect(shown.filter((s) => s.dragging).map((s) => s.card.id)).toEqual(drag.cardId === 'gone' ? [] : [drag.cardId]);
  });

  it('shows who is moving a card, and lets the first drag of a card win', () => {
    const bruno = { id: 'p2', name: 'Bruno', color: '#2b8a3e' };
    const shown = arrangeCards(cards, [{ cardId: 'c', toIndex: 0, by: ana }, { cardId: 'c', toIndex: 3, by: bruno }], { cardId: 'c', toIndex: 1 });
    expect(ids(shown)).toEqual(['c', 'a', 'b', 'd']);
    expect(shown[0]?.movedBy).toEqual(ana);
    expect(shown[0]?.dragging).toBe(false);
  });
});
