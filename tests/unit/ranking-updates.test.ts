// The server's announcements (server/facilitation/ranking-announcer.ts) folded by the client's
// code (client/lib/facilitation/live-state.ts): after every announcement, a socket that has
// been there from the start and one that joined at any point (its snapshot, then the changes)
// show exactly the tally, in `rank`'s order — over random ballots with many ties.
import { describe, expect, it } from 'vitest';
import type { WorkshopSnapshot } from '../../shared/protocol.js';
import { initialSession, type RankedCard, type VotingRound } from '../../shared/session.js';
import { rank, type Ballot } from '../../shared/voting.js';
import { RankingAnnouncer } from '../../server/facilitation/ranking-announcer.js';
import { applyEvent, fromSnapshot, shownRanking, type LiveState } from '../../client/lib/facilitation/live-state.js';
import { prng } from '../helpers/random.js';

const round: VotingRound = { id: 'r1', groupIds: ['g'], budget: 9, maxPerCard: 3, results: 'live', status: 'open', openedAt: 1, closedAt: null, ranking: null };

const joined = (ranking: RankedCard[]): LiveState => {
  const snapshot: WorkshopSnapshot = {
    workshopId: 'w', serverTime: 0, session: { ...initialSession([]), round }, presence: [],
    you: { role: 'participant', participantId: 'p', groupId: 'g', ballot: {}, votingDone: false, privateCards: [] },
    voteProgress: null, ranking, announcements: [], joinCode: null,
  };
  return fromSnapshot(snapshot, null);
};

describe('live ranking announcements, server to client', () => {
  // The room's announcer tells the first `top` entries only: its sockets then show exactly those.
  it.each([
    [1, Infinity], [2, Infinity], [3, Infinity], [4, Infinity], [5, Infinity], [6, 3], [7, 3], [8, 1], [9, 5],
  ])('every socket shows exactly the tally (its first `top`) after each announcement, whenever it joined (seed %i, top %s)', (seed, top) => {
    const next = prng(seed);
    const cards = ['a', 'B', 'c', 'cluster:k', 'D', 'e', 'F', 'g'];
    const texts = new Map(cards.map((c) => [c, `text ${c}`]));
    const ballots = new Map<string, Ballot>();
    const announcer = new RankingAnnouncer({ top });
    const tally = (): RankedCard[] => rank(ballots.values()).map((r) => ({ ...r, text: texts.get(r.cardId)! }));
    let sockets: LiveState[] = [];
    /** Some dots change (set, moved, or taken back — often to what they were), sometimes a text. */
    const votes = (step: number) => {
      for (let n = Math.floor(next() * 3); n >= 0; n--) {
        const voter = `p${Math.floor(next() * 4)}`;
        const ballot = { ...ballots.get(voter) };
        const card = `g/${cards[Math.floor(next() * cards.length)]}`;
        const dots = Math.floor(next() * 3);
        if (dots === 0) delete ballot[card];
        else ballot[card] = dots;
        ballots.set(voter, ballot);
      }
      if (next() < 0.1) texts.set('c', `text c ${step}`);
    };
    for (let step = 0; step < 60; step++) {
      votes(step);
      // A socket joins between two announcements, on the snapshot, and more votes follow before the next.
      if (next() < 0.3) sockets.push(joined(announcer.forSnapshot(round.id, true, tally())));
      votes(step);
      const update = announcer.announce(round.id, true, tally());
      sockets = sockets.map((s) => applyEvent(s, { type: 'vote:ranking', args: [update] }));
      for (const s of sockets) expect(shownRanking(s)).toEqual(tally().slice(0, top));
    }
    expect(sockets.length).toBeGreaterThan(5);
  });
});
