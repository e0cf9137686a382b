// The per-group figures of the facilitator's console (ideas, words, last change, changes
// per minute), kept in step with the boards: pushed to the console within a second of a
// change, and read from the last copy seen when a board is not in memory (an idle board
// is unloaded, and its figures do not become zero because of it).
// Counting walks a whole board (~0.2 ms for 20 cards of 1,200 characters): every board of
// a 50-group event counted in one go held the event loop 10–16 ms, once a second while all
// write (bench/loop-blocks.ts), and every board's relays waited. So boards are counted one
// per turn of the event loop, their relays in between (~1.2 ms held).
import { setImmediate as nextTurn } from 'node:timers/promises';
import { countWords, listCards } from '../../shared/board.js';
import { boardDocName, parseBoardDocName } from '../../shared/doc-name.js';
import type { GroupActivity } from '../../shared/protocol.js';
import type { BoardRegistry } from '../docsync/registry.js';
import type { ActivityTracker } from './activity-tracker.js';
import type { WorkshopSession } from './workshop-session.js';

/** A change reaches the console this soon at the latest (and no more often than this). */
export const ACTIVITY_PUSH_MS = 1000;

interface Figures {
  cards: number;
  words: number;
}
const NO_FIGURES: Figures = { cards: 0, words: 0 };

export interface ActivityFiguresDeps {
  registry: BoardRegistry;
  tracker: ActivityTracker;
  /** The loaded session of a workshop, if any. */
  session(workshopId: string): WorkshopSession | undefined;
  /** Sends fresh figures to the workshop's facilitators. */
  push(workshopId: string, activity: GroupActivity[]): void;
  pushAfterMs?: number;
}

export class ActivityFigures {
  readonly #deps: ActivityFiguresDeps;
  /**
   * The figures of each board as last counted, and the board's version then: they stand in
   * while the board is unchanged, or no longer in memory.
   */
  readonly #last = new Map<string, { version: number; figures: Figures }>();
  readonly #due = new Map<string, NodeJS.Timeout>();

  constructor(deps: ActivityFiguresDeps) {
    this.#deps = deps;
  }

  async activity(session: WorkshopSession): Promise<GroupActivity[]> {
    const { tracker } = this.#deps;
    const online = session.onlineByGroup();
    const activity: GroupActivity[] = [];
    for (const groupId of session.groupIds) {
      const name = boardDocName({ workshopId: session.workshopId, groupId });
      const figures = await this.#figures(name);
      activity.push({
        groupId,
        online: online.get(groupId) ?? 0,
        lastActivityAt: tracker.lastActivity(name),
        cards: figures.cards,
        words: figures.words,
        contributions: tracker.contributions(name),
      });
    }
    return activity;
  }

  async #figures(name: string): Promise<Figures> {
    const loaded = this.#deps.registry.peek(name);
    const known = this.#last.get(name);
    // A board never read here is opened once (it unloads again when idle); after that its last figures stand in.
    const board = loaded ?? (known ? undefined : await this.#deps.registry.open(name).catch(() => undefined));
    if (!board) return known?.figures ?? NO_FIGURES;
    // Counting walks the whole board: one nobody changed since is not counted again.
    if (known?.version === board.version) return known.figures;
    await nextTurn(); // one board counted per turn
    const read = await board
      .read((doc) => {
        const cards = listCards(doc);
        return { version: board.version, figures: { cards: cards.length, words: countWords(doc, cards) } };
      })
      .catch(() => null);
    if (!read) return known?.figures ?? NO_FIGURES;
    this.#last.set(name, read);
    return read.figures;
  }

  /** A board's change was stored: its workshop's console hears of it within `pushAfterMs`. */
  boardChanged(name: string): void {
    const address = parseBoardDocName(name);
    if (!address || this.#due.has(address.workshopId)) return;
    const { workshopId } = address;
    const handle = setTimeout(() => {
      this.#due.delete(workshopId);
      const session = this.#deps.session(workshopId);
      if (!session?.facilitatorOnline()) return;
      void this.activity(session).then((a) => this.#deps.push(workshopId, a), () => undefined);
    }, this.#deps.pushAfterMs ?? ACTIVITY_PUSH_MS);
    handle.unref();
    this.#due.set(workshopId, handle);
  }

  /** Drops what it keeps of a workshop (its session left memory, or it was deleted). */
  forgetWorkshop(workshopId: string): void {
    const prefix = `${workshopId}/`;
    for (const name of [...this.#last.keys()]) if (name.startsWith(prefix)) this.#last.delete(name);
    clearTimeout(this.#due.get(workshopId));
    this.#due.delete(workshopId);
  }

  close(): void {
    for (const h of this.#due.values()) clearTimeout(h);
    this.#due.clear();
  }
}
