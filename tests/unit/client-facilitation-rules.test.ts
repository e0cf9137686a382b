import { describe, expect, it } from 'vitest';
import { PHASE_KINDS, SESSION_LIMITS, type Phase } from '../../shared/session.js';
import { formatRelative, isStalled, relativeParts, sparklinePath, STALLED_AFTER_MS } from '../../client/lib/facilitation/activity-view.js';
import { agendaCommand, agendaProblems, moveRow, rowsOf, sameAgenda } from '../../client/lib/facilitation/agenda.js';
import { dotsLeft, dotsOn, stepDots, withDots } from '../../client/lib/facilitation/dots.js';
import { followTarget, latestUnseen } from '../../client/lib/facilitation/follow.js';
import { fragmentParam, matchRoute, paths } from '../../client/lib/routes.js';

describe('dot voting controls', () => {
  const round = { budget: 3, maxPerCard: 2, status: 'open' as const };
  it.each([
    ['raise an empty card', {}, 'c1', 1, 1],
    ['up to the per-card maximum', { 'g/c1': 1 }, 'c1', 1, 2],
    ['not past it', { 'g/c1': 2 }, 'c1', 1, null],
    ['not past the budget', { 'g/c1': 2, 'g/c2': 1 }, 'c3', 1, null],
    ['lower a card to free a dot', { 'g/c1': 2, 'g/c2': 1 }, 'c1', -1, 1],
    ['nothing to lower', {}, 'c1', -1, null],
  ] as const)('%s', (_name, ballot, cardId, delta, expected) => {
    expect(stepDots(round, ballot, 'g', cardId, delta)).toBe(expected);
  });

  it('moves dots by lowering one card and raising another', () => {
    let ballot: Record<string, number> = { 'g/c1': 2, 'g/c2': 1 };
    expect(dotsLeft(round, ballot)).toBe(0);
    ballot = withDots(ballot, 'g', 'c1', stepDots(round, ballot, 'g', 'c1', -1)!);
    expect(dotsLeft(round, ballot)).toBe(1);
    ballot = withDots(ballot, 'g', 'c3', stepDots(round, ballot, 'g', 'c3', 1)!);
    expect(ballot).toEqual({ 'g/c1': 1, 'g/c2': 1, 'g/c3': 1 });
    expect(withDots(ballot, 'g', 'c3', 0)).toEqual({ 'g/c1': 1, 'g/c2': 1 });
    expect(dotsOn(ballot, 'g', 'c9')).toBe(0);
  });

  it('a closed round takes no dots', () => {
    expect(stepDots({ ...round, status: 'closed' }, {}, 'g', 'c1', 1)).toBeNull();
  });
});

describe('follow mode and announcements', () => {
  const spot = (groupId: string | null, follow: boolean) => ({ groupId, follow });
  it.each([
    ['follow on: go to the spotlighted board', spot('B', true), 'A', 'A', false, { groupId: 'B', following: true }],
    ['already there', spot('B', true), 'B', 'A', true, null],
    ['own board spotlighted, seen from elsewhere', spot('A', true), 'C', 'A', false, { groupId: 'A', following: true }],
    ['released: back to the own board', spot('B', false), 'B', 'A', true, { groupId: 'A', following: false }],
    ['released while home', spot('A', false), 'A', 'A', true, null],
    ['browsing another board by choice stays there', spot('B', false), 'C', 'A', false, null],
    ['spotlight off', spot(null, false), 'C', 'A', true, { groupId: 'A', following: false }],
  ] as const)('%s', (_name, spotlight, groupId, ownGroupId, following, expected) => {
    expect(followTarget({ spotlight, groupId, ownGroupId, following })).toEqual(expected);
  });

  it('shows the newest announcement until it is dismissed', () => {
    const list = [{ text: 'a', groupId: null, at: 10 }, { text: 'b', groupId: 'g', at: 20 }];
    expect(latestUnseen(list, 0)?.text).toBe('b');
    expect(latestUnseen(list, 20)).toBeNull();
    expect(latestUnseen([], 0)).toBeNull();
  });
});

describe('the agenda editor', () => {
  const agenda: Phase[] = [
    { id: 'a', name: 'Bienvenida', durationSec: 600, kind: 'welcome' },
    { id: 'b', name: 'Plenaria', durationSec: 90, kind: 'plenary' },
  ];
  it('edits rows in minutes and sends seconds, keeping ids', () => {
    const rows = rowsOf(agenda);
    expect(rows.map((r) => r.minutes)).toEqual([10, 1.5]);
    expect(sameAgenda(rows, agenda)).toBe(true);
    const moved = moveRow([...rows, { key: 'new', name: '  Cierre ', minutes: 5, kind: 'closing' as const }], 2, 0);
    expect(agendaCommand(moved)).toEqual({
      type: 'agenda:set',
      agenda: [
        { name: 'Cierre', durationSec: 300, kind: 'closing' },
        { id: 'a', name: 'Bienvenida', durationSec: 600, kind: 'welcome' },
        { id: 'b', name: 'Plenaria', durationSec: 90, kind: 'plenary' },
      ],
    });
    expect(sameAgenda(moved, agenda)).toBe(false);
    expect(moveRow(rows, 0, 5)).toEqual(rows);
  });

  it('says what is wrong before saving', () => {
    const rows = [...rowsOf(agenda), { key: 'x', name: ' ', minutes: 5, kind: PHASE_KINDS[0] }, { key: 'y', name: 'Y', minutes: Number.NaN, kind: PHASE_KINDS[0] }];
    expect(agendaProblems(rows)).toEqual({ list: null, rows: [null, null, 'empty-name', 'bad-minutes'] });
    const many = Array.from({ length: SESSION_LIMITS.phases + 1 }, (_, i) => ({ key: `${i}`, name: 'x', minutes: 1, kind: PHASE_KINDS[0] }));
    expect(agendaProblems(many).list).toBe('too-many');
  });
});

describe('group activity at a glance', () => {
  it.each([
    [-10_000, { value: 0, unit: 'second' }],
    [-120_000, { value: -2, unit: 'minute' }],
    [-3 * 3600_000, { value: -3, unit: 'hour' }],
    [-2 * 86_400_000, { value: -2, unit: 'day' }],
  ] as const)('%i ms ago', (delta, parts) => {
    expect(relativeParts(1_000_000_000 + delta, 1_000_000_000)).toEqual(parts);
  });

  it('says it in the chosen language', () => {
    expect(formatRelative(0, 120_000, 'en')).toBe('2 min. ago');
    expect(formatRelative(0, 120_000, 'es')).toBe('hace 2 min');
    expect(formatRelative(0, 5_000, 'es')).toBe('ahora');
  });

  it('draws contributions oldest to newest, scaled to the busiest minute', () => {
    expect(sparklinePath([0, 2, 4], 10, 10, 1)).toBe('M1.0 9.0 L5.0 5.0 L9.0 1.0');
    expect(sparklinePath([0, 0], 10, 10, 1)).toBe('M1.0 9.0 L9.0 9.0');
    expect(sparklinePath([], 10, 10)).toBe('');
  });

  it('a group with people online and no change for five minutes (or since the phase began) is stalled', () => {
    expect(isStalled({ online: 3, lastActivityAt: 0 }, STALLED_AFTER_MS)).toBe(true);
    expect(isStalled({ online: 3, lastActivityAt: 1 }, STALLED_AFTER_MS)).toBe(false);
    expect(isStalled({ online: 3, lastActivityAt: null }, 0)).toBe(true);
    expect(isStalled({ online: 0, lastActivityAt: null }, 0)).toBe(false);
    // A phase that began a minute ago: not stalled yet, whatever happened before it.
    expect(isStalled({ online: 3, lastActivityAt: null }, 10 * 60_000, 9 * 60_000)).toBe(false);
    expect(isStalled({ online: 3, lastActivityAt: 0 }, 10 * 60_000, 4 * 60_000)).toBe(true);
  });
});

describe('the projector route', () => {
  it('is /w/:id/present, with its token and the join code in the fragment', () => {
    expect(matchRoute('/w/w1/present')).toEqual({ name: 'present', workshopId: 'w1' });
    expect(matchRoute(paths.present('w1'))).toEqual({ name: 'present', workshopId: 'w1' });
    expect(matchRoute('/w/w1/present/x')).toEqual({ name: 'notFound' });
    expect(fragmentParam('#k=a.b-c&c=ANXE3W', 'k')).toBe('a.b-c');
    expect(fragmentParam('#k=a.b-c&c=ANXE3W', 'c')).toBe('ANXE3W');
  });
});
