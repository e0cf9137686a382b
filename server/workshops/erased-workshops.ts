// Workshops deleted while this process runs. Nothing of them may be loaded or written
// again: a board socket, a command or a version already under way when the deletion
// began meets this list and stops. After an hour nothing from before the deletion is
// still in flight, and the store itself no longer knows the workshop (its tokens fail).

const KEPT_MS = 60 * 60_000;

/** The workshop was deleted (or is being deleted): nothing of it opens again. */
export class WorkshopDeletedError extends Error {
  override readonly name = 'WorkshopDeletedError';
  readonly code = 'workshop_deleted';

  constructor(workshopId: string) {
    super(`workshop ${workshopId} was deleted`);
  }
}

export class ErasedWorkshops {
  readonly #since = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  add(workshopId: string): void {
    const now = this.#now();
    for (const [id, at] of this.#since) if (now - at > KEPT_MS) this.#since.delete(id);
    this.#since.set(workshopId, now);
  }

  /** A deletion that failed before anything was erased: the workshop may be used again. */
  remove(workshopId: string): void {
    this.#since.delete(workshopId);
  }

  has(workshopId: string): boolean {
    return this.#since.has(workshopId);
  }

  /** Throws `WorkshopDeletedError` for a deleted workshop. */
  check(workshopId: string): void {
    if (this.has(workshopId)) throw new WorkshopDeletedError(workshopId);
  }
}
