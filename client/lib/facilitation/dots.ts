// Dot voting as a participant sees it: what is left of the budget, and which +/−
// the rules of shared/voting.ts allow now. The server checks the same again.
import type { VotingRound } from '../../../shared/session.js';
import { cardKey, dotsUsed, type Ballot } from '../../../shared/voting.js';

export const dotsOn = (ballot: Ballot, groupId: string, cardId: string): number => ballot[cardKey(groupId, cardId)] ?? 0;

export const dotsLeft = (round: Pick<VotingRound, 'budget'>, ballot: Ballot): number => Math.max(0, round.budget - dotsUsed(ballot));

/**
 * The dots on a card after one step of `delta` (+1 or −1), or null when the round's
 * rules do not allow it (no budget left, the card's maximum reached, nothing to take).
 */
export function stepDots(round: Pick<VotingRound, 'budget' | 'maxPerCard' | 'status'>, ballot: Ballot, groupId: string, cardId: string, delta: 1 | -1): number | null {
  if (round.status !== 'open') return null;
  const now = dotsOn(ballot, groupId, cardId);
  const next = now + delta;
  if (next < 0 || next > round.maxPerCard) return null;
  if (delta > 0 && dotsLeft(round, ballot) < 1) return null;
  return next;
}

/** The ballot with one card's dots set (0 removes it). */
export function withDots(ballot: Ballot, groupId: string, cardId: string, dots: number): Ballot {
  const next = { ...ballot };
  const key = cardKey(groupId, cardId);
  if (dots <= 0) delete next[key];
  else next[key] = dots;
  return next;
}
