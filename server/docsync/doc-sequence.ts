// Which of a board's stored updates (numbered 1, 2, 3… per board by the store) this copy
// of the board holds. `head` is contiguous: every update through it is in the doc, so a
// snapshot of the doc may replace them (compaction). Updates held beyond a hole — this
// node's own, stored while another node's, numbered before them, are still on their way —
// wait in `ahead` until the hole is filled.
export class DocSequence {
  #head: number;
  readonly #ahead = new Set<number>();

  constructor(head: number) {
    this.#head = head;
  }

  /** Every update through this number is in the doc. */
  get head(): number {
    return this.#head;
  }

  /** The highest number held, past holes too. */
  get latest(): number {
    let latest = this.#head;
    for (const s of this.#ahead) latest = Math.max(latest, s);
    return latest;
  }

  /** Whether some held update lies past a hole. */
  get hasHoles(): boolean {
    return this.#ahead.size > 0;
  }

  has(seq: number): boolean {
    return seq <= this.#head || this.#ahead.has(seq);
  }

  /** How many numbers strictly between `from` and `to` the doc holds past its head. */
  heldBetween(from: number, to: number): number {
    let held = 0;
    for (const s of this.#ahead) if (s > from && s < to) held++;
    return held;
  }

  /** Whether `seq` is the next one, or a hole lies before it. */
  followsHead(seq: number): boolean {
    return seq === this.#head + 1;
  }

  /** The doc now holds update `seq`. */
  add(seq: number): void {
    if (this.has(seq)) return;
    if (seq === this.#head + 1) {
      this.#head = seq;
      this.#advance();
    } else this.#ahead.add(seq);
  }

  /** The doc now holds every update through `seq` (read from the store). */
  addThrough(seq: number): void {
    if (seq <= this.#head) return;
    this.#head = seq;
    for (const s of this.#ahead) if (s <= seq) this.#ahead.delete(s);
    this.#advance();
  }

  #advance(): void {
    while (this.#ahead.delete(this.#head + 1)) this.#head++;
  }
}
