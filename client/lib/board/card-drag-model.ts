// Dragging a grid item (an ungrouped card, a cluster, or a card inside a cluster), as
// plain state (tested without Svelte; CardDrag makes it reactive). While the pointer
// moves, where the item would land is published through awareness only (others see it
// move); the doc is written once, on drop.
// A card held over the middle of another card (or over a cluster) groups with it on drop;
// over a card's edge, it takes that card's place. After taking a card's place, that card
// (now beside the pointer) is not swapped back until the pointer has been over another:
// so one can still reach its middle to group, instead of chasing it across the grid.
import type { CardDragState } from './awareness-state.js';

export interface CardDragDeps {
  /** Publishes (or clears) the drag in awareness. */
  publish(drag: CardDragState | null): void;
  /** Writes the move to the doc. */
  commit(itemId: string, toIndex: number): void;
  /** Groups the dragged card with a card or a cluster (`cluster:<id>`). */
  group(cardId: string, targetId: string): void;
  /** A card from inside a cluster dropped on the grid's free space: it leaves its cluster. */
  leave(cardId: string): void;
}

type Drag = CardDragState & { fromIndex: number | null };

export class DragModel {
  #drag: Drag | null = null;
  #target: string | null = null;
  #lastSwapped: string | null = null;
  /** Over the grid's free space, not over an item. */
  #overFree = false;
  readonly #deps: CardDragDeps;

  constructor(deps: CardDragDeps) {
    this.#deps = deps;
  }

  /** The local drag of a grid item, as `arrangeBoard` takes it (none for a card inside a cluster). */
  get current(): CardDragState | null {
    return this.#drag && this.#drag.fromIndex !== null ? { cardId: this.#drag.cardId, toIndex: this.#drag.toIndex } : null;
  }

  get active(): boolean {
    return this.#drag !== null;
  }

  /** What the dragged card would group with if dropped now. */
  get groupTarget(): string | null {
    return this.#target;
  }

  /** `fromIndex`: the item's place in the grid; null for a card inside a cluster. */
  start(itemId: string, fromIndex: number | null): void {
    this.#drag = { cardId: itemId, toIndex: fromIndex ?? 0, fromIndex };
    this.#lastSwapped = null;
    this.#deps.publish(this.current);
  }

  /**
   * The pointer is over `targetId`, shown at `shownIndex` of the grid (null: inside a
   * cluster), in its middle or not.
   */
  over(targetId: string, shownIndex: number | null, middle: boolean): void {
    const drag = this.#drag;
    if (!drag || targetId === drag.cardId) return;
    this.#overFree = false;
    const isCard = !drag.cardId.startsWith('cluster:');
    if (isCard && (middle || targetId.startsWith('cluster:'))) {
      this.#target = targetId;
      return;
    }
    this.#target = null;
    if (shownIndex === null || drag.fromIndex === null || shownIndex === drag.toIndex) return;
    if (this.#lastSwapped === targetId) return;
    this.#lastSwapped = targetId;
    // Index among the other items of the one under the pointer: the dragged item takes its place.
    const other = shownIndex < drag.toIndex ? shownIndex : shownIndex - 1;
    this.#moveTo(other < drag.toIndex ? other : other + 1);
  }

  /** Over the empty space after the last item. */
  overEnd(itemCount: number): void {
    this.#target = null;
    this.#overFree = true;
    if (this.#drag && this.#drag.fromIndex !== null) this.#moveTo(itemCount - 1);
  }

  #moveTo(toIndex: number): void {
    const drag = this.#drag;
    if (!drag || toIndex === drag.toIndex) return;
    this.#drag = { ...drag, toIndex };
    this.#deps.publish(this.current);
  }

  drop(): void {
    const drag = this.#drag;
    const target = this.#target;
    const free = this.#overFree;
    this.#end();
    if (!drag) return;
    if (target) this.#deps.group(drag.cardId, target);
    else if (drag.fromIndex === null) {
      if (free) this.#deps.leave(drag.cardId);
    }
    else if (drag.toIndex !== drag.fromIndex) this.#deps.commit(drag.cardId, drag.toIndex);
  }

  cancel(): void {
    this.#end();
  }

  #end(): void {
    this.#target = null;
    this.#lastSwapped = null;
    this.#overFree = false;
    if (!this.#drag) return;
    this.#drag = null;
    this.#deps.publish(null);
  }
}
