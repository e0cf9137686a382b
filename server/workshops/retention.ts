// RETENTION_DAYS: workshops nobody has used for that many days (no board update, command
// or join) are deleted like a facilitator deletes one. Checked at start and then every
// hour; one nobody uses but someone still has open (a projector left on) is kept.
import type { Logger } from '../lib/logger.js';
import type { Store } from '../store/store.js';
import type { WorkshopEraser } from './workshop-eraser.js';

const DAY_MS = 24 * 3_600_000;
/** How many workshops one check deletes at most: the next check goes on. */
const PER_CHECK = 100;

export interface RetentionDeps {
  store: Store;
  eraser: WorkshopEraser;
  /** Someone has the workshop open right now (a socket, a board). */
  inUse(workshopId: string): boolean;
  log: Logger;
  days: number;
  /** How often to check (default: an hour); the first check runs a minute after start. */
  checkEveryMs?: number;
  firstCheckAfterMs?: number;
  now?: () => number;
}

export class Retention {
  readonly #deps: RetentionDeps;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;

  constructor(deps: RetentionDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  start(): void {
    const every = this.#deps.checkEveryMs ?? 3_600_000;
    const check = () => void this.check().catch((err: unknown) => this.#deps.log.error('retention check failed', { err }));
    this.#timer = setTimeout(() => {
      check();
      this.#timer = setInterval(check, every);
      this.#timer.unref();
    }, this.#deps.firstCheckAfterMs ?? 60_000);
    this.#timer.unref();
  }

  /** Deletes the workshops unused for longer than the retention; resolves with how many. One check at a time. */
  check(): Promise<number> {
    this.#running ??= this.#check().finally(() => (this.#running = null));
    return this.#running;
  }

  async #check(): Promise<number> {
    const { store, eraser, log, days } = this.#deps;
    const cutoff = this.#now() - days * DAY_MS;
    let deleted = 0;
    for (const { id, lastActivityAt } of await store.listIdleWorkshops(cutoff, PER_CHECK)) {
      if (this.#deps.inUse(id)) {
        log.debug('retention kept a workshop someone has open', { workshop: id, lastActivityAt });
        continue;
      }
      log.info('retention deletes a workshop', { workshop: id, lastActivityAt: new Date(lastActivityAt).toISOString(), retentionDays: days });
      if (await eraser.erase(id, 'retention').catch(() => false)) deleted++;
    }
    if (deleted > 0) log.info('retention check done', { deleted, retentionDays: days });
    return deleted;
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer); // clearTimeout clears an interval too
    this.#timer = null;
  }
}
