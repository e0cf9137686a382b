// The live ranking goes to every socket of a workshop a few times a second while a round
// is open; its card texts (a cluster's cards too) are most of its bytes and rarely change.
// `vote:ranking` carries an entry's text only when the room has not been told it in this
// round, or it changed since (`null`: the card is no longer known); the client keeps what it
// was told (client/lib/facilitation/live-state.ts). A snapshot gives a socket the texts as
// last sent to the room, so every socket holds the same texts after any announcement.
import type { RankingEntry } from '../../shared/protocol.js';
import type { RankedCard } from '../../shared/session.js';
import { cardKey } from '../../shared/voting.js';

/** What a ranking entry shows of its card: its text and, for a cluster, its cards' texts; null when unknown. */
type Shown = { text: string; cards: string[] | undefined } | null;

const shownOf = (entry: RankedCard): Shown => (entry.text === undefined ? null : { text: entry.text, cards: entry.cards });

const sameCards = (a: string[] | undefined, b: string[] | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.length === b.length && a.every((text, i) => text === b[i]);

const sameShown = (a: Shown, b: Shown): boolean => (a === null || b === null ? a === b : a.text === b.text && sameCards(a.cards, b.cards));

const withShown = (entry: RankedCard, shown: Shown): RankedCard => {
  const { groupId, cardId, dots, voters } = entry;
  if (!shown) return { groupId, cardId, dots, voters };
  return { groupId, cardId, dots, voters, text: shown.text, ...(shown.cards ? { cards: shown.cards } : {}) };
};

export class RankingTexts {
  /** The round and audience (everyone, or the facilitators) the texts below were sent to. */
  #round: string | null = null;
  #everyone = false;
  /** What the audience was last told of each card it was told of, by `groupId/cardId`. */
  readonly #sent = new Map<string, Shown>();

  /**
   * The entries of `ranking` (with the texts known now) to announce: each with its text
   * when the audience was not told it yet in this round or it changed, else without.
   */
  announce(roundId: string, everyone: boolean, ranking: readonly RankedCard[]): RankingEntry[] {
    if (roundId !== this.#round || everyone !== this.#everyone) {
      this.#round = roundId;
      this.#everyone = everyone;
      this.#sent.clear();
    }
    return ranking.map((entry) => {
      const key = cardKey(entry.groupId, entry.cardId);
      const shown = shownOf(entry);
      const { groupId, cardId, dots, voters } = entry;
      if (this.#sent.has(key) && sameShown(this.#sent.get(key)!, shown)) return { groupId, cardId, dots, voters };
      this.#sent.set(key, shown);
      return shown ? withShown(entry, shown) : { groupId, cardId, dots, voters, text: null };
    });
  }

  /**
   * The whole ranking for a socket's snapshot: the texts the room was last told where it
   * was told any (the next announcement says what changed since), the texts known now for
   * the others (the next announcement tells them to the room, this socket included).
   */
  forSnapshot(roundId: string, ranking: readonly RankedCard[]): RankedCard[] {
    if (roundId !== this.#round) return [...ranking];
    return ranking.map((entry) => {
      const key = cardKey(entry.groupId, entry.cardId);
      return this.#sent.has(key) ? withShown(entry, this.#sent.get(key)!) : entry;
    });
  }
}
