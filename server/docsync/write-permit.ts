// What a server-side write must hand a board: proof that BoardWriter (board-writer.ts)
// asked the write guard, and the check to ask again in the board's queue, right before
// the change is applied. Only board-writer.ts issues permits: ESLint forbids importing
// `issueWritePermit` anywhere else, and the class's private field makes the type nominal
// (an object literal cannot pass for a permit).

class Permit {
  readonly #check: () => void;

  constructor(check: () => void) {
    this.#check = check;
  }

  /** Throws (a `WriteRefused`) when the write may not happen now. */
  assert(): void {
    this.#check();
  }
}

export type WritePermit = Permit;

export const issueWritePermit = (check: () => void): WritePermit => new Permit(check);
