// Who is online goes to every socket of the workshop: n sockets × a list of n. Sent once
// per connection, a room of 1,000 arriving would send gigabytes. It is announced at once,
// then at most every 500 ms, or 5 ms per person online in a large room (5 s for 1,000),
// so the bytes sent grow with the room, not with its square; always the latest state.
import type { WorkshopSession } from './workshop-session.js';

const PRESENCE_EVERY_MS = 500;
const PRESENCE_MS_PER_ONLINE = 5;

export class PresenceAnnouncer {
  readonly #announce: (session: WorkshopSession) => void;
  readonly #last = new Map<string, { at: number; due: NodeJS.Timeout | null }>();

  constructor(announce: (session: WorkshopSession) => void) {
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
    const every = Math.max(PRESENCE_EVERY_MS, session.onlineCount * PRESENCE_MS_PER_ONLINE);
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
