import { describe, expect, it } from 'vitest';
import type { WorkshopSnapshot } from '../../shared/protocol.js';
import { initialSession, type SessionState, type VotingRound } from '../../shared/session.js';
import { applyEvent, fromSnapshot, shownRanking, type LiveState } from '../../client/lib/facilitation/live-state.js';

const round = (over: Partial<VotingRound> = {}): VotingRound => ({
  id: 'r1', groupIds: ['g1'], budget: 3, maxPerCard: 2, results: 'on-close', status: 'open', openedAt: 1, closedAt: null, ranking: null, ...over,
});

function snapshot(session: SessionState = initialSession([])): WorkshopSnapshot {
  return {
    workshopId: 'w',
    serverTime: 123,
    session,
    presence: [],
    you: { role: 'participant', participantId: 'p1', groupId: 'g1', ballot: {}, votingDone: false, privateCards: [] },
    voteProgress: null,
    ranking: null,
    announcements: [],
    joinCode: null,
  };
}

const live = (session?: SessionState): LiveState => fromSnapshot(snapshot(session), null);

describe('the client’s picture of the session, event by event', () => {
  it('keeps the facilitator-only lists across a new snapshot (a reconnect), and forgets a removal', () => {
    let s = live();
    s = applyEvent(s, { type: 'roster:update', args: [[{ participantId: 'p1', name: 'Ana', groupId: 'g1', online: true, joinedAt: 1 }]] });
    s = applyEvent(s, { type: 'private:counts', args: [{ g1: 2 }] });
    s = applyEvent(s, { type: 'you:removed', args: [] });
    expect(s.removed).toBe(true);
    const again = applyEvent(s, { type: 'workshop:snapshot', args: [snapshot()] });
    expect(again.roster).toHaveLength(1);
    expect(again.heldCounts).toEqual({ g1: 2 });
    expect(again.removed).toBe(false);
  });

  it('a ranking that rides with the progress is merged as a vote:ranking would be', () => {
    const open = { ...initialSession([]), round: round() };
    const entry = (cardId: string, dots: number) => ({ groupId: 'g1', cardId, dots, voters: 1, text: cardId });
    let s = live(open);
    s = applyEvent(s, { type: 'vote:progress', args: [{ eligible: 3, voted: 1, finished: 0 }, { whole: true, entries: [entry('c1', 1), entry('c2', 2)], gone: [] }] });
    s = applyEvent(s, { type: 'vote:progress', args: [{ eligible: 3, voted: 2, finished: 1 }, { whole: false, entries: [{ groupId: 'g1', cardId: 'c1', dots: 3, voters: 2 }], gone: ['g1/c2'] }] });
    expect(s.snapshot.voteProgress).toEqual({ eligible: 3, voted: 2, finished: 1 });
    expect(shownRanking(s)).toEqual([{ ...entry('c1', 3), voters: 2 }]);
    // Progress alone leaves the ranking as it was.
    s = applyEvent(s, { type: 'vote:progress', args: [{ eligible: 3, voted: 3, finished: 1 }] });
    expect(shownRanking(s)).toEqual([{ ...entry('c1', 3), voters: 2 }]);
  });

  it('a ballot and done flag come with vote:ballot; a new round clears them, the ranking and the progress', () => {
    const open = { ...initialSession([]), round: round() };
    let s = live(open);
    s = applyEvent(s, { type: 'vote:ballot', args: [{ 'g1/c1': 2 }, true] });
    s = applyEvent(s, { type: 'vote:progress', args: [{ eligible: 3, voted: 1, finished: 1 }] });
    s = applyEvent(s, { type: 'vote:ranking', args: [{ whole: true, entries: [{ groupId: 'g1', cardId: 'c1', dots: 2, voters: 1 }], gone: [] }] });
    expect(s.snapshot.you).toMatchObject({ ballot: { 'g1/c1': 2 }, votingDone: true });
    // The same round changing (closed) keeps the ballot.
    const closed = { ...open, round: round({ status: 'closed', closedAt: 2, ranking: [{ groupId: 'g1', cardId: 'c1', dots: 2, voters: 1 }] }) };
    s = applyEvent(s, { type: 'session:state', args: [closed, 0] });
    expect(s.snapshot.you.ballot).toEqual({ 'g1/c1': 2 });
    expect(shownRanking(s)).toEqual(closed.round.ranking);
    // A new round does not.
    s = applyEvent(s, { type: 'session:state', args: [{ ...open, round: round({ id: 'r2' }) }, 0] });
    expect(s.snapshot.you).toMatchObject({ ballot: {}, votingDone: false });
    expect(s.snapshot.ranking).toBeNull();
    expect(shownRanking(s)).toBeNull();
  });

  it('a live ranking keeps each card’s text from the announcement (or snapshot) that told it, until a new round', () => {
    const open = { ...initialSession([]), round: round({ results: 'live' }) };
    let s = fromSnapshot({ ...snapshot(open), ranking: [{ groupId: 'g1', cardId: 'c1', dots: 1, voters: 1, text: 'Uno' }] }, null);
    const rank = (...entries: Array<{ cardId: string; dots: number; text?: string | null; cards?: string[] }>) =>
      applyEvent(s, { type: 'vote:ranking', args: [{ whole: true, entries: entries.map((e) => ({ groupId: 'g1', voters: 1, ...e })), gone: [] }] });
    s = rank({ cardId: 'c1', dots: 2 }, { cardId: 'cluster:k', dots: 1, text: 'Juntas', cards: ['a', 'b'] });
    expect(shownRanking(s)).toEqual([
      { groupId: 'g1', cardId: 'c1', dots: 2, voters: 1, text: 'Uno' },
      { groupId: 'g1', cardId: 'cluster:k', dots: 1, voters: 1, text: 'Juntas', cards: ['a', 'b'] },
    ]);
    // Off the ranking and back: still known. A new text replaces it; null forgets it.
    s = rank({ cardId: 'cluster:k', dots: 1 });
    s = rank({ cardId: 'cluster:k', dots: 2 }, { cardId: 'c1', dots: 1, text: 'Uno bis' });
    expect(shownRanking(s)?.map((r) => r.text)).toEqual(['Juntas', 'Uno bis']);
    s = rank({ cardId: 'c1', dots: 1, text: null }, { cardId: 'cluster:k', dots: 1 });
    expect(shownRanking(s)).toEqual([
      { groupId: 'g1', cardId: 'c1', dots: 1, voters: 1 },
      { groupId: 'g1', cardId: 'cluster:k', dots: 1, voters: 1, text: 'Juntas', cards: ['a', 'b'] },
    ]);
    // A new round forgets every text.
    s = applyEvent(s, { type: 'session:state', args: [{ ...open, round: round({ id: 'r2', results: 'live' }) }, 0] });
    s = rank({ cardId: 'cluster:k', dots: 1 });
    expect(shownRanking(s)).toEqual([{ groupId: 'g1', cardId: 'cluster:k', dots: 1, voters: 1 }]);
  });

  it('a change sets the counts of the entries it names, drops those gone, keeps the rest, and re-sorts as the server does', () => {
    const open = { ...initialSession([]), round: round({ results: 'live' }) };
    const entry = (cardId: string, dots: number, voters: number, text?: string) => ({ groupId: 'g1', cardId, dots, voters, ...(text ? { text } : {}) });
    let s = fromSnapshot({ ...snapshot(open), ranking: [entry('a', 3, 2, 'A'), entry('b', 2, 1, 'B'), entry('c', 1, 1, 'C')] }, null);
    const change = (entries: Array<ReturnType<typeof entry>>, gone: string[] = []) => applyEvent(s, { type: 'vote:ranking', args: [{ whole: false, entries, gone }] });
    // c overtakes a on dots; b is gone; d arrives with its text.
    s = change([entry('c', 4, 2), entry('d', 1, 1, 'D')], ['g1/b']);
    expect(shownRanking(s)).toEqual([entry('c', 4, 2, 'C'), entry('a', 3, 2, 'A'), entry('d', 1, 1, 'D')]);
    // Applied twice, the same (absolute counts).
    expect(shownRanking(change([entry('c', 4, 2), entry('d', 1, 1, 'D')], ['g1/b']))).toEqual(shownRanking(s));
    // Ties: more voters first, then the key in code-unit order (uppercase before lowercase, unlike localeCompare).
    s = change([entry('a', 4, 2), entry('Z', 4, 2, 'Zeta'), entry('d', 4, 3)]);
    expect(shownRanking(s)?.map((r) => r.cardId)).toEqual(['d', 'Z', 'a', 'c']);
    // A whole one replaces everything.
    s = applyEvent(s, { type: 'vote:ranking', args: [{ whole: true, entries: [entry('a', 1, 1)], gone: [] }] });
    expect(shownRanking(s)).toEqual([entry('a', 1, 1, 'A')]);
  });

  it('keeps the latest 20 announcements, moves and private cards', () => {
    let s = live();
    for (let i = 0; i < 25; i++) s = applyEvent(s, { type: 'announcement', args: [{ text: `a${i}`, groupId: null, at: i }] });
    expect(s.snapshot.announcements.map((a) => a.text)).toEqual(Array.from({ length: 20 }, (_, i) => `a${i + 5}`));
    s = applyEvent(s, { type: 'you:moved', args: ['g2'] });
    expect(s.snapshot.you.groupId).toBe('g2');
    s = applyEvent(s, { type: 'private:cards', args: [[{ id: 'h', groupId: 'g2', text: 'x', color: 'pink', createdAt: 1 }]] });
    expect(s.snapshot.you.privateCards).toHaveLength(1);
  });

  it('no round, no ranking', () => {
    expect(shownRanking(live())).toBeNull();
  });
});
