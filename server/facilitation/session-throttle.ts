// What goes to every socket of a workshop costs n messages per change; sent once per
// change, a room of 1,000 arriving (or voting) would send n² of them. A throttle
// announces a change at once, then at most once per interval — an interval that grows
// with the people online — so the bytes sent grow with the room, not with its square.
// What it announces is read when it fires: always the latest state, never a stale one.
import type { WorkshopSession } from './workshop-session.js';

export interface ThrottleInterval {
  /** The shortest interval between two announcements. */
  everyMs: number;
  /** Added per person online: a large room hears less often. */
  msPerOnline: number;
}

/** Presence and roster: at once, then at most every 500 ms, or 5 ms per person online (5 s for 1,000). */
export const PRESENCE_INTERVAL: ThrottleInterval = { everyMs: 500, msPerOnline: 5 };
/** Vote progress and the live ranking: a few times a second, once a second for 1,000 online. */
export const VOTES_INTERVAL: ThrottleInterval = { everyMs: 250, msPerOnline: 1 };

export class SessionThrottle {
  readonly #announce: (session: WorkshopSession) => void;
  readonly #interval: ThrottleInterval;
  readonly #last = new Map<string, { at: number; due: NodeJS.Timeout | null }>();

  constructor(interval: ThrottleInterval, announce: (session: WorkshopSession) => void) {
    this.#interval = interval;
    this.#announce = announce;
  }

  /** Announces now, or once the interval since the last announcement has passed. */
  changed(session: WorkshopSession): void {
    const w = session.workshopId;
    const last = this.#last.get(w) ?? { at: -Infinity, due: null };
    this.#last.set(w, last);
    if (last.due) return;
    const announce = () => {
      last.at = performance.now();
      last.due = null;
      this.#announce(session);
    };
    const every = Math.max(this.#interval.everyMs, session.onlineCount * this.#interval.msPerOnline);
    const wait = last.at + every - performance.now();
    if (wait <= 0) return announce();
    last.due = setTimeout(announce, wait);
    last.due.unref();
  }

  /** Drops what it keeps of a workshop (its session left memory). */
  forget(workshopId: string): void {
    const last = this.#last.get(workshopId);
    if (last?.due) clearTimeout(last.due);
    this.#last.delete(workshopId);
  }

  close(): void {
    for (const w of [...this.#last.keys()]) this.forget(w);
  }
}
