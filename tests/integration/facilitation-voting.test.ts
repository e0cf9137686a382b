// Dot voting on real cards (written to the boards by y-websocket clients): the
// budget and the per-card maximum hold; a participant never hears another's ballot;
// with results 'on-close' only the facilitator sees the ranking before the close, with
// 'live' everyone does; progress counts who voted and who finished; the close freezes
// the ranking into the session and refuses later votes.
import { describe, expect, it } from 'vitest';
import { addCard, cardText, removeCard } from '../../shared/board.js';
import type { RankedCard } from '../../shared/session.js';
import { LIVE_ROOM_TOP, byRank } from '../../shared/voting.js';
import { LIVE_PREVIEW } from '../../server/facilitation/votables.js';
import { ROOM_SHARDS } from '../../server/facilitation/room-shards.js';
import { api, joinWorkshop, setupWorkshop } from '../helpers/api.js';
import { connectSocket, flush, tokenOfLink, workshopView, type FacilitationClient } from '../helpers/facilitation.js';
import { startServer } from '../helpers/server.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';

/** Groups A and B; Ana and Alba in A, Beto in B; cards 1–3 on A's board, one on B's; everyone connected, a projector too. */
async function setup() {
  const t = await startServer();
  const w = await setupWorkshop(t.url);
  const A = w.boardA.groupId;
  const ana = await joinWorkshop(t.url, w.workshop, A, 'Ana');
  const alba = await joinWorkshop(t.url, w.workshop, A, 'Alba');
  const beto = await joinWorkshop(t.url, w.workshop, w.boardB.groupId, 'Beto');
  const boardA = await syncedClient(t.wsUrl, w.boardA, ana.token);
  const cards = [addCard(boardA.doc, { text: 'Uno', author: 'Ana' }), addCard(boardA.doc, { text: 'Dos', author: 'Ana' }), addCard(boardA.doc, { text: 'Tres', author: 'Ana' })] as const;
  await roundTrip(boardA);
  const boardB = await syncedClient(t.wsUrl, w.boardB, beto.token);
  const cardB = addCard(boardB.doc, { text: 'De B', author: 'Beto' });
  await roundTrip(boardB);

  const facilitator = await connectSocket(t.url, w.facilitatorToken);
  const link = await facilitator.command({ type: 'link:create', role: 'projector' });
  const sockets = {
    facilitator,
    ana: await connectSocket(t.url, ana.token),
    alba: await connectSocket(t.url, alba.token),
    beto: await connectSocket(t.url, beto.token),
    projector: await connectSocket(t.url, tokenOfLink(link.ok ? link.link : undefined)),
  };
  const vote = (who: FacilitationClient, cardId: string, dots: number, groupId = A) => who.command({ type: 'vote:set', groupId, cardId, dots });
  return { t, w, A, ana, alba, beto, boardA, cards, cardB, sockets, vote };
}

const key = (groupId: string, cardId: string) => `${groupId}/${cardId}`;

describe('dot voting, results on close', () => {
  it('enforces budget and maxPerCard, keeps ballots and the ranking secret until the close, counts progress, and freezes the ranking', async () => {
    const { t, w, A, alba, cards, cardB, sockets, vote, boardA } = await setup();
    const [c1, c2, c3] = cards;
    const { facilitator, ana: anaS, alba: albaS, beto: betoS, projector } = sockets;
    const participants = [anaS, albaS, betoS, projector];

    expect(await facilitator.command({ type: 'vote:open', groupIds: [A], budget: 3, maxPerCard: 2, results: 'on-close' })).toEqual({ ok: true });
    for (const s of [...participants, facilitator]) expect((await s.next('vote:progress'))[0]).toEqual({ eligible: 3, voted: 0, finished: 0 });

    // Ana: 2 on card 1; 2 more on card 2 would make 4 > 3; 3 on card 1 is above the per-card 2.
    expect(await vote(anaS, c1, 2)).toEqual({ ok: true });
    expect(await vote(anaS, c2, 2)).toMatchObject({ ok: false, error: 'bad_request' });
    expect(await vote(anaS, c1, 3)).toMatchObject({ ok: false, error: 'bad_request' });
    expect(await vote(anaS, c2, 1)).toEqual({ ok: true });
    expect(await vote(anaS, c3, 1)).toMatchObject({ ok: false, error: 'bad_request' }); // the budget is spent
    // Outside the round, and a card that is not on the board.
    expect(await vote(betoS, cardB, 1, w.boardB.groupId)).toMatchObject({ ok: false, error: 'bad_request' });
    expect(await vote(betoS, 'nocard', 1)).toMatchObject({ ok: false, error: 'not_found' });
    // Alba: 1 on card 1, then says she is done; Beto (of group B) may vote on A's cards.
    expect(await vote(albaS, c1, 1)).toEqual({ ok: true });
    expect(await albaS.command({ type: 'vote:done', done: true })).toEqual({ ok: true });
    expect(await vote(betoS, c2, 1)).toEqual({ ok: true });

    const expected: RankedCard[] = [
      { groupId: A, cardId: c1, dots: 3, voters: 2, text: 'Uno' },
      { groupId: A, cardId: c2, dots: 2, voters: 2, text: 'Dos' },
    ];
    // Progress: three voted; Ana spent her budget and Alba said done.
    for (const s of [...participants, facilitator]) {
      await s.next('vote:progress', (p) => p.voted === 3);
      expect(s.all('vote:progress').at(-1)![0]).toEqual({ eligible: 3, voted: 3, finished: 2 });
    }
    // The facilitator follows the ranking live; nobody else hears of it.
    await facilitator.nextRanking((r) => JSON.stringify(r) === JSON.stringify(expected));
    for (const s of participants) await flush(s);
    for (const s of participants) expect(s.all('vote:ranking')).toEqual([]);
    // Each participant hears its own ballot, and only its own.
    expect(albaS.all('vote:ballot')).toEqual([[{ [key(A, c1)]: 1 }, false], [{ [key(A, c1)]: 1 }, true]]);
    expect(anaS.all('vote:ballot').map(([b]) => b)).toEqual([{ [key(A, c1)]: 2 }, { [key(A, c1)]: 2, [key(A, c2)]: 1 }]);
    expect(betoS.all('vote:ballot')).toEqual([[{ [key(A, c2)]: 1 }, false]]);
    expect(projector.all('vote:ballot')).toEqual([]);
    for (const s of participants) expect(s.all('session:state').every(([state]) => state.round?.ranking === null)).toBe(true);
    // Nor does a reconnecting participant, nor the API: only the facilitator's snapshot has the ranking.
    const albaAgain = await connectSocket(t.url, alba.token);
    expect(albaAgain.snapshot.ranking).toBeNull();
    expect(albaAgain.snapshot.you).toMatchObject({ ballot: { [key(A, c1)]: 1 }, votingDone: true });
    expect(albaAgain.snapshot.voteProgress).toEqual({ eligible: 3, voted: 3, finished: 2 });
    expect((await connectSocket(t.url, w.facilitatorToken)).snapshot.ranking).toEqual(expected);
    const albaView = await api(t.url, 'GET', `/api/workshops/${w.workshop.id}`, { token: alba.token });
    expect(albaView.body.session.round).toMatchObject({ status: 'open', ranking: null });
    expect(JSON.stringify(albaView.body)).not.toContain(c1);

    // The close: the ranking is frozen into the session, and everyone gets it.
    const since = anaS.events.length;
    expect(await facilitator.command({ type: 'vote:close' })).toEqual({ ok: true });
    const [closed] = await anaS.next('session:state', (s) => s.round?.status === 'closed', since);
    expect(closed.round).toMatchObject({ status: 'closed', ranking: expected });
    expect(closed.round!.closedAt).toBeGreaterThanOrEqual(closed.round!.openedAt);
    for (const s of participants) expect((await s.next('vote:ranking'))[0]).toEqual({ whole: true, entries: expected, gone: [] });

    // Later votes are refused, and the frozen ranking does not move — not even when a ranked card is deleted.
    expect(await vote(betoS, c3, 1)).toMatchObject({ ok: false, error: 'bad_request' });
    expect(await betoS.command({ type: 'vote:done', done: true })).toMatchObject({ ok: false, error: 'bad_request' });
    removeCard(boardA.doc, c1);
    await roundTrip(boardA);
    const view = await workshopView(t.url, w.workshop.id, w.facilitatorToken);
    expect((view.session as { round: unknown }).round).toMatchObject({ status: 'closed', ranking: expected });
    expect((await connectSocket(t.url, alba.token)).snapshot.ranking).toEqual(expected);
  });

  it('a card deleted from its board before the close is left out of the frozen ranking', async () => {
    const { A, cards, sockets, vote, boardA } = await setup();
    const [c1, c2] = cards;
    expect(await sockets.facilitator.command({ type: 'vote:open', groupIds: [A], budget: 3, maxPerCard: 2, results: 'on-close' })).toEqual({ ok: true });
    expect(await vote(sockets.ana, c1, 2)).toEqual({ ok: true });
    expect(await vote(sockets.alba, c2, 1)).toEqual({ ok: true });
    removeCard(boardA.doc, c1);
    await roundTrip(boardA);
    const since = sockets.beto.events.length;
    expect(await sockets.facilitator.command({ type: 'vote:close' })).toEqual({ ok: true });
    const [ranking] = await sockets.beto.next('vote:ranking', () => true, since);
    expect(ranking).toEqual({ whole: true, entries: [{ groupId: A, cardId: c2, dots: 1, voters: 1, text: 'Dos' }], gone: [] });
  });

  it('a new round starts with empty ballots', async () => {
    const { t, A, ana, cards, sockets, vote } = await setup();
    const open = () => sockets.facilitator.command({ type: 'vote:open', groupIds: [A], budget: 2, maxPerCard: 2, results: 'on-close' });
    expect(await open()).toEqual({ ok: true });
    expect(await vote(sockets.ana, cards[0], 2)).toEqual({ ok: true });
    expect(await sockets.facilitator.command({ type: 'vote:close' })).toEqual({ ok: true });
    expect(await open()).toEqual({ ok: true });
    const again = await connectSocket(t.url, ana.token);
    expect(again.snapshot.you.ballot).toEqual({});
    expect(again.snapshot.ranking).toBeNull();
    expect(again.snapshot.voteProgress).toEqual({ eligible: 3, voted: 0, finished: 0 });
    expect(await vote(sockets.ana, cards[1], 2)).toEqual({ ok: true }); // the whole budget again
  });
});

describe('dot voting, live results', () => {
  it('everyone, projector included, gets the ranking after every vote', async () => {
    const { t, A, beto, cards, sockets, vote } = await setup();
    const [c1, c2] = cards;
    expect(await sockets.facilitator.command({ type: 'vote:open', groupIds: [A], budget: 3, maxPerCard: 2, results: 'live' })).toEqual({ ok: true });
    expect(await vote(sockets.ana, c1, 2)).toEqual({ ok: true });
    expect(await vote(sockets.alba, c2, 1)).toEqual({ ok: true });
    const expected: RankedCard[] = [
      { groupId: A, cardId: c1, dots: 2, voters: 1, text: 'Uno' },
      { groupId: A, cardId: c2, dots: 1, voters: 1, text: 'Dos' },
    ];
    for (const s of Object.values(sockets)) await s.nextRanking((r) => JSON.stringify(r) === JSON.stringify(expected));
    expect((await connectSocket(t.url, beto.token)).snapshot.ranking).toEqual(expected);
    // Ballots stay private even with live results.
    await flush(sockets.beto);
    await flush(sockets.alba);
    expect(sockets.beto.all('vote:ballot')).toEqual([]);
    expect(sockets.alba.all('vote:ballot').map(([b]) => b)).toEqual([{ [key(A, c2)]: 1 }]);
  });
});

describe('dot voting from two tabs at once', () => {
  it("one participant's concurrent votes from two sockets never exceed the budget", async () => {
    const { t, A, ana, cards, sockets, vote } = await setup();
    const tab2 = await connectSocket(t.url, ana.token);
    expect(await sockets.facilitator.command({ type: 'vote:open', groupIds: [A], budget: 3, maxPerCard: 2, results: 'on-close' })).toEqual({ ok: true });
    const replies = await Promise.all([
      vote(sockets.ana, cards[0], 2), vote(tab2, cards[1], 2), vote(sockets.ana, cards[2], 2),
      vote(tab2, cards[0], 1), vote(sockets.ana, cards[1], 1), vote(tab2, cards[2], 1),
    ]);
    expect(replies.some((r) => !r.ok)).toBe(true);
    const ballot = (await connectSocket(t.url, ana.token)).snapshot.you.ballot;
    expect(Object.values(ballot).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3);
    // Both tabs were told the same final ballot.
    await flush(sockets.ana);
    await flush(tab2);
    expect(sockets.ana.all('vote:ballot').at(-1)![0]).toEqual(ballot);
    expect(tab2.all('vote:ballot').at(-1)![0]).toEqual(ballot);
  });

  it('a card’s text goes to the room once a round, and again only when it changed; every screen still shows every text', async () => {
    const { t, A, beto, cards, sockets, vote, boardA } = await setup();
    const [c1, c2] = cards;
    const { ana, alba, beto: betoS, projector } = sockets;
    expect(await sockets.facilitator.command({ type: 'vote:open', groupIds: [A], budget: 3, maxPerCard: 2, results: 'live' })).toEqual({ ok: true });
    const entry = (cardId: string, dots: number, voters: number, text: string) => ({ groupId: A, cardId, dots, voters, text });
    const rankings = () => betoS.all('vote:ranking').map(([r]) => r.entries);
    /** Votes, then waits for Beto's screen to show `expected`; returns the ranking messages sent since the vote. */
    const shows = async (dot: () => Promise<unknown>, expected: RankedCard[]) => {
      const since = rankings().length;
      expect(await dot()).toEqual({ ok: true });
      await betoS.nextRanking((r) => JSON.stringify(r) === JSON.stringify(expected));
      await flush(betoS);
      return rankings().slice(since);
    };
    const texts = (messages: RankingEntryLike[][]) => messages.flatMap((m) => m.filter((e) => 'text' in e || 'cards' in e).map((e) => [e.cardId, e.text]));
    type RankingEntryLike = { cardId: string; text?: string | null; cards?: string[] };

    const first = await shows(() => vote(ana, c1, 1), [entry(c1, 1, 1, 'Uno')]);
    expect(texts(first)).toEqual([[c1, 'Uno']]);

    // A second dot on the same card: the message carries counts only; the screen still has the text.
    const second = await shows(() => vote(alba, c1, 1), [entry(c1, 2, 2, 'Uno')]);
    expect(second.at(-1)).toEqual([{ groupId: A, cardId: c1, dots: 2, voters: 2 }]);
    expect(texts(second)).toEqual([]);
    expect(JSON.stringify(second.at(-1))).not.toContain('Uno');

    // A new card on the ranking: its text alone.
    expect(texts(await shows(() => vote(ana, c2, 1), [entry(c1, 2, 2, 'Uno'), entry(c2, 1, 1, 'Dos')]))).toEqual([[c2, 'Dos']]);

    // The card's text changed on its board and a dot reads it again: the new text goes out, the other does not.
    const text = cardText(boardA.doc, c1)!;
    text.insert(text.length, ' bis');
    await roundTrip(boardA);
    expect(texts(await shows(() => vote(alba, c1, 2), [entry(c1, 3, 2, 'Uno bis'), entry(c2, 1, 1, 'Dos')]))).toEqual([[c1, 'Uno bis']]);

    // Every screen shows the same, whenever it connected: the projector since the start, Beto again now.
    const now = [entry(c1, 3, 2, 'Uno bis'), entry(c2, 1, 1, 'Dos')];
    await projector.nextRanking((r) => JSON.stringify(r) === JSON.stringify(now));
    const late = await connectSocket(t.url, beto.token);
    expect(late.ranking()).toEqual(now);
    expect(await vote(ana, c2, 2)).toEqual({ ok: true });
    const after = [entry(c1, 3, 2, 'Uno bis'), entry(c2, 2, 1, 'Dos')];
    for (const s of [late, betoS, projector, sockets.facilitator]) await s.nextRanking((r) => JSON.stringify(r) === JSON.stringify(after));
    expect(texts(late.all('vote:ranking').map(([r]) => r.entries))).toEqual([]);
  });

  it('a removed participant’s dots no longer count in the ranking', async () => {
    const { A, alba, cards, sockets, vote } = await setup();
    expect(await sockets.facilitator.command({ type: 'vote:open', groupIds: [A], budget: 3, maxPerCard: 3, results: 'live' })).toEqual({ ok: true });
    expect(await vote(sockets.ana, cards[0], 1)).toEqual({ ok: true });
    expect(await vote(sockets.alba, cards[1], 3)).toEqual({ ok: true });
    await sockets.facilitator.nextRanking((r) => r?.[0]?.cardId === cards[1]);
    expect(await sockets.facilitator.command({ type: 'participant:remove', participantId: alba.participantId })).toEqual({ ok: true });
    expect(await sockets.facilitator.command({ type: 'vote:close' })).toEqual({ ok: true });
    const [ranking] = await sockets.facilitator.next('vote:ranking', (r) => r.whole && r.entries.length === 1);
    expect(ranking.entries).toEqual([{ groupId: A, cardId: cards[0], dots: 1, voters: 1, text: 'Uno' }]);
  });

  it('the ranking carries each card’s text, so another group’s participant reads it; the close freezes the text as it is then', async () => {
    const { A, cards, sockets, vote, boardA } = await setup();
    const [c1] = cards;
    expect(await sockets.facilitator.command({ type: 'vote:open', groupIds: [A], budget: 3, maxPerCard: 2, results: 'live' })).toEqual({ ok: true });
    expect(await vote(sockets.ana, c1, 1)).toEqual({ ok: true });
    // Beto is in group B: he never opened A's board, yet his ranking names the card.
    const [live] = await sockets.beto.next('vote:ranking', (r) => r.entries.length === 1);
    expect(live).toEqual({ whole: false, entries: [{ groupId: A, cardId: c1, dots: 1, voters: 1, text: 'Uno' }], gone: [] });
    // Edited on its board before the close: the frozen ranking has the words as they are then.
    const text = cardText(boardA.doc, c1)!;
    text.insert(text.length, ' y medio');
    await roundTrip(boardA);
    const since = sockets.beto.events.length;
    expect(await sockets.facilitator.command({ type: 'vote:close' })).toEqual({ ok: true });
    const [frozen] = await sockets.beto.next('vote:ranking', () => true, since);
    expect(frozen).toEqual({ whole: true, entries: [{ groupId: A, cardId: c1, dots: 1, voters: 1, text: 'Uno y medio' }], gone: [] });
  });
});

describe('the live ranking shows the start of a long card', () => {
  it('carries a preview of it, sent again only when the preview changes; the close freezes the whole text', async () => {
    const { A, boardA, sockets, vote } = await setup();
    const long = `${'Fortalecer las capacidades locales de gestión. '.repeat(12)}Fin.`;
    const card = addCard(boardA.doc, { text: long, author: 'Ana' });
    await roundTrip(boardA);
    expect(await sockets.facilitator.command({ type: 'vote:open', groupIds: [A], budget: 3, maxPerCard: 3, results: 'live' })).toEqual({ ok: true });
    expect(await vote(sockets.ana, card, 1)).toEqual({ ok: true });
    const [live] = await sockets.beto.next('vote:ranking', (r) => r.entries.some((e) => e.cardId === card));
    const preview = live.entries.find((e) => e.cardId === card)!.text!;
    expect(Array.from(preview).length).toBeLessThanOrEqual(LIVE_PREVIEW.text);
    expect(preview.endsWith('…')).toBe(true);
    expect(long.startsWith(preview.slice(0, -1))).toBe(true);

    // Written on at its end while it gets dots: the preview is the same, so only the counts go out.
    const text = cardText(boardA.doc, card)!;
    text.insert(text.length, ' Y algo más al final.');
    await roundTrip(boardA);
    const since = sockets.beto.events.length;
    expect(await vote(sockets.alba, card, 1)).toEqual({ ok: true });
    const [counts] = await sockets.beto.next('vote:ranking', (r) => r.entries.some((e) => e.cardId === card && e.voters === 2), since);
    expect(counts.entries).toEqual([{ groupId: A, cardId: card, dots: 2, voters: 2 }]);
    expect(sockets.beto.ranking()?.find((r) => r.cardId === card)?.text).toBe(preview);

    // Written on at its start: the preview changed, and goes out.
    text.insert(0, 'Urgente: ');
    await roundTrip(boardA);
    expect(await vote(sockets.ana, card, 2)).toEqual({ ok: true });
    await sockets.beto.nextRanking((r) => r?.find((e) => e.cardId === card)?.text?.startsWith('Urgente: Fortalecer') === true);

    const closedSince = sockets.beto.events.length;
    expect(await sockets.facilitator.command({ type: 'vote:close' })).toEqual({ ok: true });
    const [frozen] = await sockets.beto.next('vote:ranking', (r) => r.whole, closedSince);
    expect(frozen.entries.find((e) => e.cardId === card)!.text).toBe(`Urgente: ${long} Y algo más al final.`);
  });
});

describe('the live ranking says what changed', () => {
  it('a dot among many ranked cards sends that entry alone; a late joiner and the facilitator converge to the server’s tally', async () => {
    const { t, A, ana, beto, cards, sockets, vote } = await setup();
    const [c1, c2, c3] = cards;
    const { facilitator, alba, projector } = sockets;
    expect(await facilitator.command({ type: 'vote:open', groupIds: [A], budget: 3, maxPerCard: 3, results: 'live' })).toEqual({ ok: true });
    const entry = (cardId: string, dots: number, voters: number, text: string): RankedCard => ({ groupId: A, cardId, dots, voters, text });
    const same = (expected: RankedCard[]) => (r: RankedCard[] | null) => JSON.stringify(r) === JSON.stringify(expected);
    expect(await vote(sockets.ana, c1, 1)).toEqual({ ok: true });
    expect(await vote(sockets.ana, c2, 1)).toEqual({ ok: true });
    expect(await vote(sockets.ana, c3, 1)).toEqual({ ok: true });
    // Tied: in key order, as the server sorts.
    await projector.nextRanking(same([entry(c1, 1, 1, 'Uno'), entry(c2, 1, 1, 'Dos'), entry(c3, 1, 1, 'Tres')].sort(byRank)));
    await flush(projector);

    // One dot more, on a card already ranked: the change names that card alone, counts only.
    const since = projector.events.length;
    expect(await vote(alba, c2, 2)).toEqual({ ok: true });
    const [change] = await projector.next('vote:ranking', (u) => u.entries.length > 0 || u.gone.length > 0, since);
    expect(change).toEqual({ whole: false, entries: [{ groupId: A, cardId: c2, dots: 3, voters: 2 }], gone: [] });
    const announced = [entry(c2, 3, 2, 'Dos'), ...[entry(c1, 1, 1, 'Uno'), entry(c3, 1, 1, 'Tres')].sort(byRank)];
    await projector.nextRanking(same(announced));

    // A socket joining mid-round (another tab of Beto's) gets the ranking as announced.
    const late = await connectSocket(t.url, beto.token);
    expect(late.ranking()).toEqual(announced);
    // More votes: a card leaves the ranking, ties re-sort, a third voter comes in.
    expect(await vote(sockets.ana, c3, 0)).toEqual({ ok: true });
    expect(await vote(sockets.beto, c1, 2)).toEqual({ ok: true });
    expect(await vote(sockets.ana, c2, 2)).toEqual({ ok: true });
    const tally = [entry(c2, 4, 2, 'Dos'), entry(c1, 3, 2, 'Uno')];
    for (const s of [late, facilitator, projector, alba]) await s.nextRanking(same(tally));
    // Exactly the server's: a snapshot now (nothing pending) says the same.
    await flush(late);
    expect((await connectSocket(t.url, ana.token)).snapshot.ranking).toEqual(tally);
    expect(late.all('vote:ranking').some(([u]) => u.gone.includes(`${A}/${c3}`))).toBe(true);
    expect(late.all('vote:ranking').every(([u]) => !u.whole)).toBe(true);
  });
});

describe('the live ranking to the room', () => {
  it(`holds its first ${LIVE_ROOM_TOP} entries for participants, told as cards come in and go; the facilitator and the projector get it whole`, async () => {
    const { t, A, beto, boardA, cards, sockets, vote } = await setup();
    const { facilitator, projector, ana, alba } = sockets;
    const more = Array.from({ length: LIVE_ROOM_TOP }, (_, i) => addCard(boardA.doc, { text: `Más ${i}`, author: 'Ana' }));
    await roundTrip(boardA);
    const all = [...cards, ...more];
    expect(await facilitator.command({ type: 'vote:open', groupIds: [A], budget: all.length, maxPerCard: 2, results: 'live' })).toEqual({ ok: true });
    for (const card of all) expect(await vote(ana, card, 1)).toEqual({ ok: true });
    for (const card of more.slice(-3)) expect(await vote(alba, card, 1)).toEqual({ ok: true });
    const same = (expected: RankedCard[]) => (r: RankedCard[] | null) => JSON.stringify(r) === JSON.stringify(expected);
    const ranked = (await facilitator.nextRanking((r) => r?.length === all.length && r.filter((e) => e.dots === 2).length === 3))!;
    await projector.nextRanking(same(ranked));
    await sockets.beto.nextRanking(same(ranked.slice(0, LIVE_ROOM_TOP)));

    // A card from past the first entries moves into them: the room hears it come in (with its
    // text) and the one it pushed out go.
    const outside = ranked[LIVE_ROOM_TOP]!;
    const pushed = ranked[LIVE_ROOM_TOP - 1]!;
    const since = sockets.beto.events.length;
    expect(await vote(alba, outside.cardId, 1)).toEqual({ ok: true });
    const [change] = await sockets.beto.next('vote:ranking', (u) => u.gone.length > 0, since);
    expect(change.gone).toEqual([key(A, pushed.cardId)]);
    expect(change.entries).toContainEqual({ ...outside, dots: 2, voters: 2 });
    const after = (await facilitator.nextRanking((r) => r?.find((e) => e.cardId === outside.cardId)?.dots === 2))!;
    expect(after).toHaveLength(all.length);
    await sockets.beto.nextRanking(same(after.slice(0, LIVE_ROOM_TOP)));
    await projector.nextRanking(same(after));

    // A participant joining now gets the first entries; no announcement to the room named more.
    expect((await connectSocket(t.url, beto.token)).snapshot.ranking).toEqual(after.slice(0, LIVE_ROOM_TOP));
    await flush(sockets.beto);
    expect(sockets.beto.all('vote:ranking').every(([u]) => u.entries.length <= LIVE_ROOM_TOP)).toBe(true);
    // Each announcement is one packet a socket: every live ranking came with a progress.
    for (const s of [sockets.beto, facilitator, projector]) {
      const rankings = s.events.filter((e) => e.event === 'vote:ranking');
      expect(rankings.length).toBeGreaterThan(1);
      expect(rankings.every((e) => e.carriedBy === 'vote:progress')).toBe(true);
    }
  });
});

describe('the vote announcement to a large room', () => {
  it('is sent shard by shard (room-shards.ts), and every socket hears each announcement exactly once', async () => {
    const { t, w, A, cards, sockets, vote } = await setup();
    // More sockets than shards, several in one shard.
    const crowd = await Promise.all(Array.from({ length: 2 * ROOM_SHARDS + 3 }, async (_, i) =>
      connectSocket(t.url, (await joinWorkshop(t.url, w.workshop, w.boardB.groupId, `Persona ${i}`)).token)));
    expect(await sockets.facilitator.command({ type: 'vote:open', groupIds: [A], budget: 3, maxPerCard: 3, results: 'live' })).toEqual({ ok: true });
    for (const dots of [1, 2, 3]) {
      expect(await vote(sockets.ana, cards[0], dots)).toEqual({ ok: true });
      for (const s of crowd) await s.nextRanking((r) => r?.[0]?.dots === dots);
    }
    for (const s of [...crowd, sockets.beto, sockets.projector]) await flush(s);
    const heard = (s: FacilitationClient) => s.all('vote:ranking').map(([u]) => u.entries.map((e) => e.dots).join());
    const progress = (s: FacilitationClient) => s.all('vote:progress').length;
    // The same announcements, in the same order, once each, for everyone in the room.
    for (const s of crowd) {
      expect(heard(s)).toEqual(heard(sockets.beto));
      expect(progress(s)).toBe(progress(sockets.beto));
    }
    expect(heard(sockets.beto)).toEqual(expect.arrayContaining(['1', '2', '3']));
    expect(new Set(heard(sockets.beto)).size).toBe(heard(sockets.beto).length);
  });
});
