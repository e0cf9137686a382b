// What the live ranking tells the room of each card's text (server/facilitation/ranking-texts.ts):
// once a round, again when it changes, and a snapshot consistent with what the room holds.
import { describe, expect, it } from 'vitest';
import type { RankedCard } from '../../shared/session.js';
import { RankingTexts } from '../../server/facilitation/ranking-texts.js';

const e = (cardId: string, dots: number, text?: string, cards?: string[]): RankedCard => ({
  groupId: 'g', cardId, dots, voters: 1, ...(text === undefined ? {} : { text }), ...(cards ? { cards } : {}),
});

describe('RankingTexts', () => {
  it('sends a text once, again when it changes, null when it is no longer known', () => {
    const r = new RankingTexts();
    expect(r.announce('r1', true, [e('a', 1, 'Uno'), e('k', 1, 'T', ['x'])])).toEqual([e('a', 1, 'Uno'), e('k', 1, 'T', ['x'])]);
    expect(r.announce('r1', true, [e('a', 2, 'Uno'), e('k', 1, 'T', ['x'])])).toEqual([e('a', 2), e('k', 1)]);
    expect(r.announce('r1', true, [e('k', 1, 'T', ['x', 'y']), e('a', 2, 'Uno')])).toEqual([e('k', 1, 'T', ['x', 'y']), e('a', 2)]);
    expect(r.announce('r1', true, [e('a', 2)])).toEqual([{ ...e('a', 2), text: null }]);
    expect(r.announce('r1', true, [e('a', 2)])).toEqual([e('a', 2)]);
    expect(r.announce('r1', true, [e('a', 2, '')])).toEqual([e('a', 2, '')]);
  });

  it('starts again for a new round or audience', () => {
    const r = new RankingTexts();
    r.announce('r1', false, [e('a', 1, 'Uno')]);
    expect(r.announce('r1', true, [e('a', 1, 'Uno')])).toEqual([e('a', 1, 'Uno')]);
    expect(r.announce('r2', true, [e('a', 1, 'Uno')])).toEqual([e('a', 1, 'Uno')]);
  });

  it('gives a snapshot the texts as last sent (the next announcement sends what changed), the known ones for the rest', () => {
    const r = new RankingTexts();
    r.announce('r1', true, [e('a', 1, 'Uno')]);
    // The text changed since the last announcement: the snapshot keeps what the room holds…
    expect(r.forSnapshot('r1', [e('a', 1, 'Uno bis'), e('b', 1, 'Dos')])).toEqual([e('a', 1, 'Uno'), e('b', 1, 'Dos')]);
    // …and the next announcement tells everyone, the new socket included.
    expect(r.announce('r1', true, [e('a', 1, 'Uno bis'), e('b', 1, 'Dos')])).toEqual([e('a', 1, 'Uno bis'), e('b', 1, 'Dos')]);
    expect(r.forSnapshot('r2', [e('a', 1, 'Uno tris')])).toEqual([e('a', 1, 'Uno tris')]);
  });
});
