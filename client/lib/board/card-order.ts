// The order the card grid shows: the stored order, with items someone is dragging
// shown where they would land. An item is an ungrouped card or a cluster (its id
// `cluster:<id>`). Pure: tested without a browser.
import { itemId, type BoardItem, type CardView } from '../../../shared/board.js';
import type { BoardUser, CardDragState } from './awareness-state.js';

export interface Shown<T> {
  item: T;
  /** Someone else is moving this item right now. */
  movedBy: BoardUser | null;
  /** This is the item being dragged here. */
  dragging: boolean;
}

export interface ShownCard {
  card: CardView;
  movedBy: BoardUser | null;
  dragging: boolean;
}

/** `items` in stored order, each drag (`cardId` is the item's id) applied: the first of two drags of one item wins. */
export function arrangeItems<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  remote: ReadonlyArray<CardDragState & { by: BoardUser }>,
  local: CardDragState | null,
): Array<Shown<T>> {
  let shown: Array<Shown<T>> = items.map((item) => ({ item, movedBy: null, dragging: false }));
  const moves: Array<CardDragState & { by: BoardUser | null }> = remote.map((d) => ({ ...d }));
  if (local) moves.push({ ...local, by: null });
  const moved = new Set<string>();
  for (const move of moves) {
    if (moved.has(move.cardId)) continue; // two people dragging one item: the first wins on screen
    const from = shown.findIndex((s) => idOf(s.item) === move.cardId);
    if (from < 0) continue;
    moved.add(move.cardId);
    const entry = { ...(shown[from] as Shown<T>), movedBy: move.by, dragging: move.by === null };
    shown = shown.filter((_, i) => i !== from);
    shown.splice(Math.min(move.toIndex, shown.length), 0, entry);
  }
  return shown;
}

export function arrangeCards(
  cards: readonly CardView[],
  remote: ReadonlyArray<CardDragState & { by: BoardUser }>,
  local: CardDragState | null,
): ShownCard[] {
  return arrangeItems(cards, (c) => c.id, remote, local).map(({ item, movedBy, dragging }) => ({ card: item, movedBy, dragging }));
}

export const arrangeBoard = (
  items: readonly BoardItem[],
  remote: ReadonlyArray<CardDragState & { by: BoardUser }>,
  local: CardDragState | null,
): Array<Shown<BoardItem>> => arrangeItems(items, itemId, remote, local);
