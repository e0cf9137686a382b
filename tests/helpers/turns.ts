// Turns of the event loop, counted while a test's work runs: what is meant to run "one
// piece per turn" is checked by the turn each piece ran in.
export interface TurnCounter {
  /** Turns counted so far. */
  readonly count: number;
  stop(): void;
}

/** Counts turns (one `setImmediate` each) until stopped. */
export function countTurns(): TurnCounter {
  let count = 0;
  let on = true;
  const tick = () => {
    count++;
    if (on) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get count() {
      return count;
    },
    stop: () => void (on = false),
  };
}
