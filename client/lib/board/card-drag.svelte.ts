// Dragging one card across the grid. While the pointer moves, where the card would
// land is published through awareness only (others see it move); the doc is written
// once, on drop.
import type { CardDragState } from './awareness-state.js';

export interface CardDragDeps {
  /** Publishes (or clears) the drag in awareness. */
  publish(drag: CardDragState | null): void;
  /** Writes the move to the doc. */
  commit(cardId: string, toIndex: number): void;
}

export class CardDrag {
  #drag = $state<(CardDragState & { fromIndex: number }) | null>(null);
  readonly #deps: CardDragDeps;

  constructor(deps: CardDragDeps) {
    this.#deps = deps;
  }

  /** The local drag, as `arrangeCards` takes it. */
  get current(): CardDragState | null {
    return this.#drag ? { cardId: this.#drag.cardId, toIndex: this.#drag.toIndex } : null;
  }

  start(cardId: string, fromIndex: number): void {
    this.#drag = { cardId, toIndex: fromIndex, fromIndex };
    this.#deps.publish(this.current);
  }

  /**
   * The pointer is over the card shown at `shownIndex` (the shown order includes the
   * dragged card at its current preview place): the dragged card takes that card's place.
   */
  overCard(shownIndex: number): void {
    const drag = this.#drag;
    if (!drag || shownIndex === drag.toIndex) return;
    // Index among the other cards of the card under the pointer.
    const other = shownIndex < drag.toIndex ? shownIndex : shownIndex - 1;
    this.#moveTo(other < drag.toIndex ? other : other + 1);
  }

  /** Over the empty space after the last card. */
  overEnd(cardCount: number): void {
    if (this.#drag) this.#moveTo(cardCount - 1);
  }

  #moveTo(toIndex: number): void {
    const drag = this.#drag;
    if (!drag || toIndex === drag.toIndex) return;
    this.#drag = { ...drag, toIndex };
    this.#deps.publish(this.current);
  }

  drop(): void {
    const drag = this.#drag;
    this.#end();
    if (drag && drag.toIndex !== drag.fromIndex) this.#deps.commit(drag.cardId, drag.toIndex);
  }

  cancel(): void {
    this.#end();
  }

  #end(): void {
    if (!this.#drag) return;
    this.#drag = null;
    this.#deps.publish(null);
  }
}
