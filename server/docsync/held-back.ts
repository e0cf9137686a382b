// Other nodes' stored updates that arrived past a hole (cluster mode): numbered n+2 while
// n+1 is still on its way (another node's publish overtaken, or this node's own append not
// yet answered). They wait here, not in the doc, until the hole closes: every copy applies
// stored updates in number order (docs/ARCHITECTURE.md, "Boards across nodes").
import type { DocSequence } from './doc-sequence.js';

/** How long a hole another node left may stay open before it is read from the store (its message may be overtaken, not lost). */
export const DEFAULT_HOLE_GRACE_MS = 30;

export class HeldBack {
  readonly #updates = new Map<number, Uint8Array>();

  get size(): number {
    return this.#updates.size;
  }

  has(seq: number): boolean {
    return this.#updates.has(seq);
  }

  hold(seq: number, update: Uint8Array): void {
    this.#updates.set(seq, update);
  }

  /** Takes the update numbered `seq`, if held. */
  take(seq: number): Uint8Array | undefined {
    const update = this.#updates.get(seq);
    this.#updates.delete(seq);
    return update;
  }

  /** Forgets what the doc now holds from the store. */
  dropThrough(seq: number): void {
    for (const s of this.#updates.keys()) if (s <= seq) this.#updates.delete(s);
  }

  /**
   * How many numbers before the highest held one are neither in the doc nor held here:
   * what is still to come (over Redis, from this node's own appends) or to read from the store.
   */
  missing(sequence: DocSequence): number {
    let highest = 0;
    for (const s of this.#updates.keys()) highest = Math.max(highest, s);
    if (highest <= sequence.head) return 0;
    let held = sequence.heldBetween(sequence.head, highest);
    for (const s of this.#updates.keys()) if (s > sequence.head && s < highest) held++;
    return highest - sequence.head - 1 - held;
  }
}
