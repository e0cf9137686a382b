// Which workshops' sessions are in memory. A session is loaded once (concurrent opens
// share the load), kept while it is used, and leaves memory after `idleMs` with nobody
// on it — no socket, no command, and nothing else that still needs it (`mayEvict`) — to
// load again, whole, from the store when someone comes back. A deleted workshop's never
// loads again.
import type { Logger } from '../lib/logger.js';
import { WorkshopDeletedError, type ErasedWorkshops } from '../workshops/erased-workshops.js';
import { SessionRecordError } from './session-record.js';
import type { WorkshopSession } from './workshop-session.js';

/** How long a workshop whose stored session cannot be read answers with that failure before reading it again. */
const FAILED_RECORD_RETRY_MS = 10_000;

export interface SessionCacheDeps {
  load(workshopId: string): Promise<WorkshopSession>;
  /** Besides being quiet, may this session leave memory now? */
  mayEvict(session: WorkshopSession): boolean;
  /** A session left memory: drop what is kept beside it (timers, presence, figures). */
  forgotten(workshopId: string): void;
  idleMs: number;
  now: () => number;
  log: Logger;
  erased?: ErasedWorkshops;
}

export class SessionCache {
  readonly #deps: SessionCacheDeps;
  readonly #sessions = new Map<string, Promise<WorkshopSession>>();
  readonly #loaded = new Map<string, WorkshopSession>();
  readonly #sweep: NodeJS.Timeout;

  constructor(deps: SessionCacheDeps) {
    this.#deps = deps;
    // Checked at half the idle time: a quiet session leaves between 1 and 1.5 idle times after its last use.
    this.#sweep = setInterval(() => this.#evictIdle(), Math.min(Math.max(deps.idleMs / 2, 10), 60_000));
    this.#sweep.unref();
  }

  open(workshopId: string): Promise<WorkshopSession> {
    if (this.#deps.erased?.has(workshopId)) return Promise.reject(new WorkshopDeletedError(workshopId));
    this.used(this.#loaded.get(workshopId));
    const loading = this.#sessions.get(workshopId);
    if (loading) return loading;
    const load = this.#deps.load(workshopId).then((session) => {
      this.used(session);
      this.#loaded.set(workshopId, session);
      return session;
    });
    this.#sessions.set(workshopId, load);
    // An unreadable record is not read (and reported) again at every reconnect of a room:
    // the failure stands for a while; anything else may be tried again at once.
    const forget = () => this.#sessions.get(workshopId) === load && this.#sessions.delete(workshopId);
    load.catch((err: unknown) => (err instanceof SessionRecordError ? setTimeout(forget, FAILED_RECORD_RETRY_MS).unref() : forget()));
    return load;
  }

  /** Whatever is loaded or loading: to wait for it (a deletion), never to load it. */
  pending(workshopId: string): Promise<WorkshopSession> | undefined {
    return this.#sessions.get(workshopId);
  }

  peek(workshopId: string): WorkshopSession | undefined {
    return this.#loaded.get(workshopId);
  }

  loaded(): IterableIterator<WorkshopSession> {
    return this.#loaded.values();
  }

  get loadedCount(): number {
    return this.#loaded.size;
  }

  /** Someone connected, left or sent a command. */
  used(session: WorkshopSession | undefined): void {
    if (session) session.lastUsedAt = this.#deps.now();
  }

  forget(workshopId: string): void {
    this.#sessions.delete(workshopId);
    this.#loaded.delete(workshopId);
    this.#deps.forgotten(workshopId);
  }

  #evictIdle(): void {
    const now = this.#deps.now();
    for (const [w, session] of this.#loaded) {
      if (session.localOnlineCount > 0 || !session.idle || now - session.lastUsedAt < this.#deps.idleMs) continue;
      if (!this.#deps.mayEvict(session)) continue;
      this.forget(w);
      this.#deps.log.debug('session left memory', { workshop: w });
    }
  }

  close(): void {
    clearInterval(this.#sweep);
  }
}
