// The order the card grid shows: the stored order, with cards someone is dragging
// shown where they would land. Pure: tested without a browser.
import type { CardView } from '../../../shared/board.js';
import type { BoardUser, CardDragState } from './awareness-state.js';

export interface ShownCard {
  card: CardView;
  /** Someone else is moving this card right now. */
  movedBy: BoardUser | null;
  /** This is the card being dragged here. */
  dragging: boolean;
}

export function arrangeCards(
  cards: readonly CardView[],
  remote: ReadonlyArray<CardDragState & { by: BoardUser }>,
  local: CardDragState | null,
): ShownCard[] {
  let shown: ShownCard[] = cards.map((card) => ({ card, movedBy: null, dragging: false }));
  const moves: Array<CardDragState & { by: BoardUser | null }> = remote.map((d) => ({ ...d }));
  if (local) moves.push({ ...local, by: null });
  const moved = new Set<string>();
  for (const move of moves) {
    if (moved.has(move.cardId)) continue; // two people dragging one card: the first wins on screen
    const from = shown.findIndex((s) => s.card.id === move.cardId);
    if (from < 0) continue;
    moved.add(move.cardId);
    const item = { ...(shown[from] as ShownCard), movedBy: move.by, dragging: move.by === null };
    shown = shown.filter((_, i) => i !== from);
    shown.splice(Math.min(move.toIndex, shown.length), 0, item);
  }
  return shown;
}
