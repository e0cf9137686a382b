// The drag of a grid item as reactive state for the components: DragModel
// (card-drag-model.ts) holds the rules; every change bumps a version the getters read.
import type { CardDragState } from './awareness-state.js';
import { DragModel, type CardDragDeps } from './card-drag-model.js';

export type { CardDragDeps } from './card-drag-model.js';

export class CardDrag {
  readonly #model: DragModel;
  #version = $state(0);

  constructor(deps: CardDragDeps) {
    this.#model = new DragModel(deps);
  }

  #changed<T>(result: T): T {
    this.#version++;
    return result;
  }

  get current(): CardDragState | null {
    void this.#version;
    return this.#model.current;
  }

  get active(): boolean {
    void this.#version;
    return this.#model.active;
  }

  get groupTarget(): string | null {
    void this.#version;
    return this.#model.groupTarget;
  }

  start(itemId: string, fromIndex: number | null): void {
    this.#changed(this.#model.start(itemId, fromIndex));
  }

  over(targetId: string, shownIndex: number | null, middle: boolean): void {
    const before = [this.#model.groupTarget, this.#model.current?.toIndex];
    this.#model.over(targetId, shownIndex, middle);
    // dragover fires many times a second: re-render only when something changed.
    if (before[0] !== this.#model.groupTarget || before[1] !== this.#model.current?.toIndex) this.#version++;
  }

  /** A grid item's dragover (a card, a cluster): it takes the drag from the list under it. */
  overItem(e: DragEvent, targetId: string, shownIndex: number | null, middle: boolean): void {
    if (!this.active) return;
    e.preventDefault();
    e.stopPropagation();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
    this.over(targetId, shownIndex, middle);
  }

  /** A drop on a grid item, kept from the list under it. */
  dropOnItem(e: DragEvent): void {
    e.preventDefault();
    e.stopPropagation();
    this.drop();
  }

  overEnd(itemCount: number): void {
    this.#changed(this.#model.overEnd(itemCount));
  }

  drop(): void {
    this.#changed(this.#model.drop());
  }

  cancel(): void {
    this.#changed(this.#model.cancel());
  }
}
