// When each board last changed, and how many changes per minute over the last half
// hour: the figures that make a stalled group stand out on the facilitator's console.

const BUCKET_MS = 60_000;
const BUCKETS = 30;

interface BoardActivity {
  last: number;
  /** Counts per minute, keyed by minute number since the epoch. */
  perMinute: Map<number, number>;
}

export class ActivityTracker {
  readonly #boards = new Map<string, BoardActivity>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  record(board: string, updates = 1): void {
    const now = this.#now();
    const minute = Math.floor(now / BUCKET_MS);
    let a = this.#boards.get(board);
    if (!a) this.#boards.set(board, (a = { last: now, perMinute: new Map() }));
    a.last = now;
    a.perMinute.set(minute, (a.perMinute.get(minute) ?? 0) + updates);
    for (const m of a.perMinute.keys()) if (m <= minute - BUCKETS) a.perMinute.delete(m);
  }

  /** Drops the figures of a workshop's boards (its session left memory, or it was deleted). */
  forgetWorkshop(workshopId: string): void {
    const prefix = `${workshopId}/`;
    for (const board of this.#boards.keys()) if (board.startsWith(prefix)) this.#boards.delete(board);
  }

  /** How many boards it keeps figures of. */
  get size(): number {
    return this.#boards.size;
  }

  lastActivity(board: string): number | null {
    return this.#boards.get(board)?.last ?? null;
  }

  /** Changes per minute, oldest first, ending with the current minute. */
  contributions(board: string): number[] {
    const minute = Math.floor(this.#now() / BUCKET_MS);
    const counts = this.#boards.get(board)?.perMinute;
    return Array.from({ length: BUCKETS }, (_, i) => counts?.get(minute - BUCKETS + 1 + i) ?? 0);
  }
}
