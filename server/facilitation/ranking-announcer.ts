// The live ranking goes to every socket of a workshop up to once a second while a round is
// open (1,000 online); at full length it is tens of KB. So each announcement says only what
// changed since the audience (everyone, or the facilitators) was last told in this round:
// the entries whose dots, voters or shown text changed — the text only when it changed
// (`null`: the card is no longer known) — and the keys of entries that left. The first
// announcement of a round or audience is whole. The client merges and re-sorts
// (client/lib/facilitation/live-state.ts).
//
// A socket's snapshot is the ranking exactly as last announced to its audience, not the
// tally now: the next change, computed against what was announced, then brings it exactly up
// to date (a count that changed after the snapshot and back before the next announcement is
// in neither, so a snapshot of the tally would stay wrong).
//
// The room's announcer (`top`) tells only the first entries: an entry that drops out of them
// is `gone` for the room, and one that enters is told as new (with its text).
//
// Cluster mode (`changes: false`): several nodes announce to the same sockets, each
// remembering only what it announced itself, so a change computed here could skip what
// another node told meanwhile. Every announcement is then whole (texts still only when new
// to this node's memory, as before), and a snapshot is the tally now, which the next whole
// announcement replaces — sound on every node, at the old cost. See docs/ARCHITECTURE.md.
import type { RankingEntry, RankingUpdate } from '../../shared/protocol.js';
import type { RankedCard } from '../../shared/session.js';
import { byRank, cardKey } from '../../shared/voting.js';

/** What a ranking entry shows of its card: its text and, for a cluster, its cards' texts; null when unknown. */
type Shown = { text: string; cards: string[] | undefined } | null;

/** What the audience was last told of one entry. */
interface Told {
  groupId: string;
  cardId: string;
  dots: number;
  voters: number;
  shown: Shown;
}

const shownOf = (entry: RankedCard): Shown => (entry.text === undefined ? null : { text: entry.text, cards: entry.cards });

const sameCards = (a: string[] | undefined, b: string[] | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.length === b.length && a.every((text, i) => text === b[i]);

const sameShown = (a: Shown, b: Shown): boolean => (a === null || b === null ? a === b : a.text === b.text && sameCards(a.cards, b.cards));

const withShown = (entry: Omit<Told, 'shown'>, shown: Shown): RankedCard => {
  const { groupId, cardId, dots, voters } = entry;
  if (!shown) return { groupId, cardId, dots, voters };
  return { groupId, cardId, dots, voters, text: shown.text, ...(shown.cards ? { cards: shown.cards } : {}) };
};

export class RankingAnnouncer {
  /** False in cluster mode: every announcement is whole (see above). */
  readonly #changes: boolean;
  /** Tells only this many first entries (the room's announcer); all of them without it. */
  readonly #top: number;
  /** The round and audience (everyone, or the facilitators) last told. */
  #round: string | null = null;
  #everyone = false;
  /** What that audience was last told of each ranked entry, by `groupId/cardId`. */
  readonly #told = new Map<string, Told>();

  constructor({ changes = true, top = Infinity }: { changes?: boolean; top?: number } = {}) {
    this.#changes = changes;
    this.#top = top;
  }

  /** What to tell the audience of `ranking` (the tally now, with the texts known now); remembered as told. */
  announce(roundId: string, everyone: boolean, ranking: readonly RankedCard[]): RankingUpdate {
    const fresh = roundId !== this.#round || everyone !== this.#everyone;
    if (fresh) {
      this.#round = roundId;
      this.#everyone = everyone;
      this.#told.clear();
    }
    const whole = fresh || !this.#changes;
    const entries: RankingEntry[] = [];
    const ranked = new Set<string>();
    for (const entry of ranking.slice(0, this.#top)) {
      const key = cardKey(entry.groupId, entry.cardId);
      ranked.add(key);
      const { groupId, cardId, dots, voters } = entry;
      const before = this.#told.get(key);
      const shown = shownOf(entry);
      const newText = !before || !sameShown(before.shown, shown);
      if (!whole && !newText && before.dots === dots && before.voters === voters) continue;
      this.#told.set(key, { groupId, cardId, dots, voters, shown });
      if (!newText) entries.push({ groupId, cardId, dots, voters });
      else entries.push(shown ? withShown(entry, shown) : { groupId, cardId, dots, voters, text: null });
    }
    const gone: string[] = [];
    for (const key of this.#told.keys()) {
      if (ranked.has(key)) continue;
      this.#told.delete(key);
      gone.push(key);
    }
    return { whole, entries, gone: whole ? [] : gone };
  }

  /**
   * The ranking for a socket's snapshot (of the audience `everyone` in round `roundId`):
   * as last announced to that audience, texts included; the tally now when nothing was
   * announced to it in this round yet (the next announcement is then whole). In cluster
   * mode the tally now, with the texts this node told where it told any.
   */
  forSnapshot(roundId: string, everyone: boolean, tally: readonly RankedCard[]): RankedCard[] {
    if (roundId !== this.#round || everyone !== this.#everyone) return tally.slice(0, this.#top);
    if (this.#changes) return [...this.#told.values()].sort(byRank).map((told) => withShown(told, told.shown));
    return tally.slice(0, this.#top).map((entry) => {
      const told = this.#told.get(cardKey(entry.groupId, entry.cardId));
      return told ? withShown(entry, told.shown) : entry;
    });
  }
}
