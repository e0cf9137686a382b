// What the live ranking tells its audience (server/facilitation/ranking-announcer.ts): the
// whole ranking first in a round or audience, then only what changed — counts, texts, entries
// gone — and a snapshot that is the ranking exactly as last announced.
import { describe, expect, it } from 'vitest';
import type { RankedCard } from '../../shared/session.js';
import { RankingAnnouncer } from '../../server/facilitation/ranking-announcer.js';
import { previewText } from '../../server/facilitation/votables.js';

const e = (cardId: string, dots: number, text?: string, cards?: string[], voters = 1): RankedCard => ({
  groupId: 'g', cardId, dots, voters, ...(text === undefined ? {} : { text }), ...(cards ? { cards } : {}),
});

describe('RankingAnnouncer: what changed', () => {
  it('is whole first, then carries only the entries whose counts or text changed, and the keys gone', () => {
    const r = new RankingAnnouncer();
    expect(r.announce('r1', true, [e('a', 2, 'Uno'), e('b', 1, 'Dos')])).toEqual({ whole: true, entries: [e('a', 2, 'Uno'), e('b', 1, 'Dos')], gone: [] });
    // Nothing changed: an empty change.
    expect(r.announce('r1', true, [e('a', 2, 'Uno'), e('b', 1, 'Dos')])).toEqual({ whole: false, entries: [], gone: [] });
    // One dot more on b: b alone, counts only.
    expect(r.announce('r1', true, [e('a', 2, 'Uno'), e('b', 2, 'Dos')])).toEqual({ whole: false, entries: [e('b', 2)], gone: [] });
    // Same dots, one more voter: a change too.
    expect(r.announce('r1', true, [e('a', 2, 'Uno', undefined, 2), e('b', 2, 'Dos')])).toEqual({ whole: false, entries: [e('a', 2, undefined, undefined, 2)], gone: [] });
    // A new entry with its text; b gone.
    expect(r.announce('r1', true, [e('a', 2, 'Uno', undefined, 2), e('c', 1, 'Tres')])).toEqual({ whole: false, entries: [e('c', 1, 'Tres')], gone: ['g/b'] });
    // b back: new to the audience again, text included.
    expect(r.announce('r1', true, [e('a', 2, 'Uno', undefined, 2), e('c', 1, 'Tres'), e('b', 1, 'Dos')])).toEqual({ whole: false, entries: [e('b', 1, 'Dos')], gone: [] });
  });

  it('sends a text again when it changes, null when it is no longer known', () => {
    const r = new RankingAnnouncer();
    r.announce('r1', true, [e('a', 1, 'Uno'), e('k', 1, 'T', ['x'])]);
    expect(r.announce('r1', true, [e('k', 1, 'T', ['x', 'y']), e('a', 1, 'Uno')]).entries).toEqual([e('k', 1, 'T', ['x', 'y'])]);
    expect(r.announce('r1', true, [e('a', 1), e('k', 1, 'T', ['x', 'y'])]).entries).toEqual([{ ...e('a', 1), text: null }]);
    expect(r.announce('r1', true, [e('a', 1), e('k', 1, 'T', ['x', 'y'])]).entries).toEqual([]);
    expect(r.announce('r1', true, [e('a', 1, ''), e('k', 1, 'T', ['x', 'y'])]).entries).toEqual([e('a', 1, '')]);
  });

  it('starts whole again for a new round or audience', () => {
    const r = new RankingAnnouncer();
    r.announce('r1', false, [e('a', 1, 'Uno')]);
    expect(r.announce('r1', true, [e('a', 1, 'Uno')])).toEqual({ whole: true, entries: [e('a', 1, 'Uno')], gone: [] });
    expect(r.announce('r2', true, [e('a', 1, 'Uno')])).toEqual({ whole: true, entries: [e('a', 1, 'Uno')], gone: [] });
    expect(r.announce('r2', true, [])).toEqual({ whole: false, entries: [], gone: ['g/a'] });
  });
});

describe('RankingAnnouncer: a snapshot', () => {
  it('is the tally now before anything was announced to its audience in the round (the next announcement is whole)', () => {
    const r = new RankingAnnouncer();
    expect(r.forSnapshot('r1', true, [e('a', 1, 'Uno')])).toEqual([e('a', 1, 'Uno')]);
    r.announce('r1', false, [e('a', 1, 'Uno')]);
    expect(r.forSnapshot('r1', true, [e('a', 2, 'Uno')])).toEqual([e('a', 2, 'Uno')]);
    expect(r.announce('r1', true, [e('a', 2, 'Uno')]).whole).toBe(true);
    expect(r.forSnapshot('r2', true, [e('b', 1, 'Dos')])).toEqual([e('b', 1, 'Dos')]);
  });

  it('is the ranking as last announced — counts, order, texts, entries gone since — so the next change brings it up to date', () => {
    const r = new RankingAnnouncer();
    r.announce('r1', true, [e('a', 2, 'Uno'), e('b', 1, 'Dos')]);
    // Since then: b overtook a, a's text changed, c arrived. The snapshot does not show it yet…
    const now = [e('b', 3, 'Dos'), e('a', 2, 'Uno bis'), e('c', 1, 'Tres')];
    expect(r.forSnapshot('r1', true, now)).toEqual([e('a', 2, 'Uno'), e('b', 1, 'Dos')]);
    // …the next change says all of it.
    expect(r.announce('r1', true, now)).toEqual({ whole: false, entries: [e('b', 3), e('a', 2, 'Uno bis'), e('c', 1, 'Tres')], gone: [] });
    // Gone since the last announcement: still in the snapshot, and in the next change's `gone`.
    expect(r.forSnapshot('r1', true, [e('b', 3, 'Dos')])).toEqual(now);
    expect(r.announce('r1', true, [e('b', 3, 'Dos')]).gone).toEqual(['g/a', 'g/c']);
  });

  it('a count that changed and changed back between two announcements: the snapshot has what was told, which the next change leaves alone', () => {
    const r = new RankingAnnouncer();
    r.announce('r1', true, [e('a', 2, 'Uno'), e('b', 1, 'Dos')]);
    // a went to 3 and back to 2 before the next announcement; a socket joined while it was 3.
    const snapshot = r.forSnapshot('r1', true, [e('a', 3, 'Uno'), e('b', 1, 'Dos')]);
    expect(snapshot).toEqual([e('a', 2, 'Uno'), e('b', 1, 'Dos')]);
    expect(r.announce('r1', true, [e('a', 2, 'Uno'), e('b', 1, 'Dos')])).toEqual({ whole: false, entries: [], gone: [] });
  });

  it('sorts an announced ranking as `rank` does, ties included', () => {
    const r = new RankingAnnouncer();
    r.announce('r1', true, [e('b', 1), e('a', 1), e('c', 1, undefined, undefined, 2)]);
    expect(r.forSnapshot('r1', true, []).map((x) => x.cardId)).toEqual(['c', 'a', 'b']);
  });
});

describe('RankingAnnouncer in cluster mode (changes: false)', () => {
  it('announces the whole ranking every time, texts only when new to this node, and gives a snapshot the tally now', () => {
    const r = new RankingAnnouncer({ changes: false });
    expect(r.announce('r1', true, [e('a', 1, 'Uno'), e('b', 1, 'Dos')])).toEqual({ whole: true, entries: [e('a', 1, 'Uno'), e('b', 1, 'Dos')], gone: [] });
    expect(r.announce('r1', true, [e('a', 2, 'Uno'), e('b', 1, 'Dos')])).toEqual({ whole: true, entries: [e('a', 2), e('b', 1)], gone: [] });
    expect(r.forSnapshot('r1', true, [e('a', 3, 'Uno bis')])).toEqual([e('a', 3, 'Uno')]);
  });
});

describe('previewText', () => {
  it('keeps a short text, cuts a long one to the limit with an ellipsis, never splitting a character', () => {
    expect(previewText('Corto', 10)).toBe('Corto');
    expect(previewText('0123456789', 10)).toBe('0123456789');
    expect(previewText('0123456789A', 10)).toBe('012345678…');
    expect(previewText('uno dos tres', 9)).toBe('uno dos…'); // the space before the cut is not kept
    const emoji = '🌱'.repeat(12); // 24 UTF-16 units, 12 characters
    expect(previewText(emoji, 12)).toBe(emoji);
    expect(previewText(emoji, 5)).toBe('🌱🌱🌱🌱…');
  });
});
