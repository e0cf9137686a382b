// A cluster voted on as one, through a real server: its ballot key is
// `groupId/cluster:<id>`; the ranking (live, frozen at the close, and in the export's
// annex) shows the cluster's title and its cards; a cluster that is not on the board
// gets no dots, and one deleted before the close leaves the frozen ranking.
import { describe, expect, it } from 'vitest';
import { addCard, clusterTitle, createCluster, removeCluster } from '../../shared/board.js';
import { clusterKey } from '../../shared/voting.js';
import { joinWorkshop, setupWorkshop } from '../helpers/api.js';
import { connectSocket } from '../helpers/facilitation.js';
import { startServer } from '../helpers/server.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';

describe('voting on a cluster', () => {
  it('ranks it as one, with its title and cards, live, frozen and exported', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const A = w.boardA.groupId;
    const ana = await joinWorkshop(t.url, w.workshop, A, 'Ana');
    const board = await syncedClient(t.wsUrl, w.boardA, ana.token);
    const [c1, c2, c3, c4] = ['Fondo rotatorio', 'Microcréditos', 'Ferias', 'Otra'].map((text) => addCard(board.doc, { text, author: 'Ana' }));
    const money = createCluster(board.doc, [c1!, c2!], 'Financiamiento')!;
    const gone = createCluster(board.doc, [c4!], 'Se borrará')!;
    await roundTrip(board);

    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    const anaS = await connectSocket(t.url, ana.token);
    expect(await facilitator.command({ type: 'vote:open', groupIds: [A], budget: 5, maxPerCard: 3, results: 'live' })).toEqual({ ok: true });
    const vote = (cardId: string, dots: number) => anaS.command({ type: 'vote:set', groupId: A, cardId, dots });
    expect(await vote(clusterKey('no-such-cluster'), 1)).toMatchObject({ ok: false, error: 'not_found' });
    expect(await vote(clusterKey(money), 3)).toEqual({ ok: true });
    expect(await vote(c3!, 1)).toEqual({ ok: true });
    expect(await vote(clusterKey(gone), 1)).toEqual({ ok: true });

    const live = (await anaS.nextRanking((r) => r?.length === 3))!;
    expect(live[0]).toEqual({ groupId: A, cardId: clusterKey(money), dots: 3, voters: 1, text: 'Financiamiento', cards: ['Fondo rotatorio', 'Microcréditos'] });
    const card = live.find((r) => r.cardId === c3);
    expect(card).toMatchObject({ text: 'Ferias' });
    expect(card).not.toHaveProperty('cards');

    // Renamed and one cluster removed before the close: the frozen ranking reads them as they are then.
    clusterTitle(board.doc, money)!.insert(0, 'Más ');
    removeCluster(board.doc, gone);
    await roundTrip(board);
    expect(await facilitator.command({ type: 'vote:close' })).toEqual({ ok: true });
    const frozen = (await anaS.nextRanking((r) => r?.length === 2 && r[0]!.text === 'Más Financiamiento'))!;
    expect(frozen.map((r) => [r.text, r.dots, r.cards ?? null])).toEqual([
      ['Más Financiamiento', 3, ['Fondo rotatorio', 'Microcréditos']],
      ['Ferias', 1, null],
    ]);

    const res = await fetch(`${t.url}/api/workshops/${w.workshop.id}/export?format=md&annex=1`, { headers: { authorization: `Bearer ${w.facilitatorToken}` } });
    const md = await res.text();
    expect(md).toContain('**Más Financiamiento** — Puntos: 3 · Votantes: 1');
    expect(md).toMatch(/[*-] Fondo rotatorio \(Ana\)\n[*-] Microcréditos \(Ana\)/);
    board.destroy();
    facilitator.close();
    anaS.close();
    await t.close();
  });
});
