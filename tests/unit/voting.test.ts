import { describe, expect, it } from 'vitest';
import { dotsUsed, rank, setDots, type Ballot } from '../../shared/voting.js';
import type { VotingRound } from '../../shared/session.js';

const round: VotingRound = {
  id: 'r1', groupIds: ['gB', 'gD'], budget: 5, maxPerCard: 3, results: 'on-close', status: 'open', openedAt: 0, closedAt: null, ranking: null,
};

describe('setDots', () => {
  const cases: Array<[string, Ballot, string, number, boolean]> = [
    ['first dots', {}, 'gB', 2, true],
    ['up to the per-card maximum', {}, 'gB', 3, true],
    ['over the per-card maximum', {}, 'gB', 4, false],
    ['over the budget in all', { 'gD/x': 3 }, 'gB', 3, false],
    ['exactly the budget', { 'gD/x': 2 }, 'gB', 3, true],
    ['a group outside the round', {}, 'gZ', 1, false],
    ['negative', {}, 'gB', -1, false],
    ['fractional', {}, 'gB', 1.5, false],
  ];
  it.each(cases)('%s', (_name, ballot, groupId, dots, allowed) => {
    const r = setDots(round, ballot, groupId, 'c1', dots);
    expect(r.ok).toBe(allowed);
    if (r.ok) expect(dotsUsed(r.ballot)).toBe(dotsUsed(ballot) + dots);
  });

  it('moving dots: setting 0 removes them, freeing budget', () => {
    const a = setDots(round, {}, 'gB', 'c1', 3);
    if (!a.ok) throw new Error(a.message);
    const b = setDots(round, a.ballot, 'gB', 'c1', 0);
    expect(b).toEqual({ ok: true, ballot: {} });
  });

  it('refuses once the round is closed', () => {
    expect(setDots({ ...round, status: 'closed' }, {}, 'gB', 'c1', 1).ok).toBe(false);
  });
});

describe('rank', () => {
  it('orders by dots, then voters, then key, across ballots', () => {
    const ballots: Ballot[] = [
      { 'gB/a': 2, 'gB/b': 1 },
      { 'gB/b': 1, 'gD/c': 2 },
      { 'gD/c': 0 },
    ];
    expect(rank(ballots)).toEqual([
      { groupId: 'gB', cardId: 'b', dots: 2, voters: 2 },
      { groupId: 'gB', cardId: 'a', dots: 2, voters: 1 },
      { groupId: 'gD', cardId: 'c', dots: 2, voters: 1 },
    ]);
  });
});
