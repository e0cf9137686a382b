// Dot voting ballots, held by the server. Pure functions: the caller owns storage.
import type { RankedCard, VotingRound } from './session.js';

/** A participant's dots: card key (`groupId/cardId`) → number of dots. */
export type Ballot = Record<string, number>;

/**
 * A live ranking told to the room holds its first entries only: a participant's phone shows
 * the first 5 (VoteBar), and the whole list once a second to 1,000 phones was ~6 KB each.
 * The facilitators, and the projectors of a live round, get it whole.
 */
export const LIVE_ROOM_TOP = 10;

export const cardKey = (groupId: string, cardId: string) => `${groupId}/${cardId}`;

/** The group and card a ballot key names (`cardKey` read back; a card id may hold '/', a group id never does). */
export function fromCardKey(key: string): { groupId: string; cardId: string } {
  const slash = key.indexOf('/');
  return { groupId: key.slice(0, slash), cardId: key.slice(slash + 1) };
}

/** A cluster is voted on as one: its ballot key is `groupId/cluster:<clusterId>`. */
export const CLUSTER_PREFIX = 'cluster:';
export const clusterKey = (clusterId: string) => `${CLUSTER_PREFIX}${clusterId}`;
/** The cluster a ranked or voted `cardId` names, or null for a card. */
export const clusterOf = (cardId: string): string | null => (cardId.startsWith(CLUSTER_PREFIX) ? cardId.slice(CLUSTER_PREFIX.length) : null);

export function dotsUsed(ballot: Ballot): number {
  let sum = 0;
  for (const n of Object.values(ballot)) sum += n;
  return sum;
}

export type VoteResult = { ok: true; ballot: Ballot } | { ok: false; message: string };

/** Sets the dots one participant puts on one card, within the round's budget and per-card maximum. */
export function setDots(round: VotingRound, ballot: Ballot, groupId: string, cardId: string, dots: number): VoteResult {
  if (round.status !== 'open') return { ok: false, message: 'voting is closed' };
  if (!round.groupIds.includes(groupId)) return { ok: false, message: 'this card is not in the voting round' };
  if (!Number.isInteger(dots) || dots < 0) return { ok: false, message: 'dots must be a whole number ≥ 0' };
  if (dots > round.maxPerCard) return { ok: false, message: `at most ${round.maxPerCard} dots per card` };
  const key = cardKey(groupId, cardId);
  const next: Ballot = { ...ballot };
  if (dots === 0) delete next[key];
  else next[key] = dots;
  if (dotsUsed(next) > round.budget) return { ok: false, message: `at most ${round.budget} dots in all` };
  return { ok: true, ballot: next };
}

/**
 * The ranking's order: most dots first, then more voters, then by key in code-unit order
 * (not `localeCompare`: a browser in another locale must sort ties as the server does).
 * Clients re-sort a live ranking they merged with it (client/lib/facilitation/live-state.ts).
 */
export function byRank(a: Pick<RankedCard, 'groupId' | 'cardId' | 'dots' | 'voters'>, b: Pick<RankedCard, 'groupId' | 'cardId' | 'dots' | 'voters'>): number {
  if (a.dots !== b.dots) return b.dots - a.dots;
  if (a.voters !== b.voters) return b.voters - a.voters;
  const ka = cardKey(a.groupId, a.cardId);
  const kb = cardKey(b.groupId, b.cardId);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Totals over all ballots in `byRank` order. */
export function rank(ballots: Iterable<Ballot>): RankedCard[] {
  const totals = new Map<string, { dots: number; voters: number }>();
  for (const ballot of ballots) {
    for (const [key, dots] of Object.entries(ballot)) {
      if (dots <= 0) continue;
      const t = totals.get(key) ?? { dots: 0, voters: 0 };
      t.dots += dots;
      t.voters += 1;
      totals.set(key, t);
    }
  }
  return [...totals.entries()]
    .map(([key, t]) => ({ ...fromCardKey(key), dots: t.dots, voters: t.voters }))
    .sort(byRank);
}
