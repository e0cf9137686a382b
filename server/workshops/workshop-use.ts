// When each workshop was last used — a board update, a command, a join — kept in the
// store for retention. Written at most once per workshop every few minutes: retention
// counts in days, and a board update must not cost a write of its own.

const DEFAULT_EVERY_MS = 5 * 60_000;

export interface WorkshopUseDeps {
  touch(workshopId: string, at: number): Promise<void>;
  onError(err: unknown, workshopId: string): void;
  /** At most one write per workshop this often (default 5 minutes). */
  everyMs?: number;
  now?: () => number;
}

export class WorkshopUse {
  readonly #deps: WorkshopUseDeps;
  readonly #everyMs: number;
  readonly #now: () => number;
  /** When each workshop's use was last written. */
  readonly #written = new Map<string, number>();

  constructor(deps: WorkshopUseDeps) {
    this.#deps = deps;
    this.#everyMs = deps.everyMs ?? DEFAULT_EVERY_MS;
    this.#now = deps.now ?? Date.now;
  }

  used(workshopId: string): void {
    const now = this.#now();
    const last = this.#written.get(workshopId);
    if (last !== undefined && now - last < this.#everyMs) return;
    if (last === undefined && this.#written.size >= 1_000) this.#prune(now);
    this.#written.set(workshopId, now);
    this.#deps.touch(workshopId, now).catch((err: unknown) => this.#deps.onError(err, workshopId));
  }

  forget(workshopId: string): void {
    this.#written.delete(workshopId);
  }

  /** Entries past the interval say nothing any more: the next use writes anyway. */
  #prune(now: number): void {
    for (const [id, at] of this.#written) if (now - at >= this.#everyMs) this.#written.delete(id);
  }
}
