import { describe, expect, it } from 'vitest';
import {
  applyFacilitatorCommand, defaultAgenda, initialSession, isTimeUp, onTimeUp, remainingMs,
  type FacilitatorCommand, type SessionState,
} from '../../shared/session.js';
import { estimateOffset } from '../../shared/clock.js';

let n = 0;
const id = () => `p${++n}`;
const groups = ['gB', 'gD'];
const T0 = 1_800_000_000_000;

function run(state: SessionState, ...commands: Array<[FacilitatorCommand, number]>): SessionState {
  for (const [c, now] of commands) {
    const r = applyFacilitatorCommand(state, c, { now, groupIds: groups });
    if (!r.ok) throw new Error(`${c.type}: ${r.message}`);
    state = r.state;
  }
  return state;
}

const fresh = () => initialSession(defaultAgenda('es', id));

describe('agenda', () => {
  it('has a sensible default in each language', () => {
    expect(defaultAgenda('es', id).map((p) => p.name)).toEqual(['Bienvenida', 'Trabajo en grupos', 'Votación', 'Plenaria', 'Cierre']);
    expect(defaultAgenda('en', id).map((p) => p.name)).toEqual(['Welcome', 'Group work', 'Voting', 'Plenary', 'Closing']);
    expect(defaultAgenda('pt', id).map((p) => p.name)).toEqual(['Boas-vindas', 'Trabalho em grupos', 'Votação', 'Plenária', 'Encerramento']);
  });

  it('keeps the current phase current when the agenda is reordered', () => {
    const s = run(fresh(), [{ type: 'phase:start', index: 1 }, T0]);
    const current = s.agenda[1]!;
    const reordered = [current, ...s.agenda.filter((p) => p !== current)];
    const after = run(s, [{ type: 'agenda:set', agenda: reordered }, T0 + 1]);
    expect(after.phaseIndex).toBe(0);
    expect(after.timer.status).toBe('running');
  });
});

describe('timer', () => {
  it('runs, pauses, resumes and takes added time', () => {
    let s = run(fresh(), [{ type: 'phase:start', index: 1 }, T0]);
    expect(remainingMs(s.timer, T0 + 60_000)).toBe(45 * 60_000 - 60_000);
    s = run(s, [{ type: 'timer:pause' }, T0 + 60_000]);
    expect(remainingMs(s.timer, T0 + 10 * 60_000)).toBe(44 * 60_000);
    s = run(s, [{ type: 'timer:resume' }, T0 + 10 * 60_000], [{ type: 'timer:add', seconds: 120 }, T0 + 10 * 60_000]);
    expect(remainingMs(s.timer, T0 + 10 * 60_000)).toBe(46 * 60_000);
    s = run(s, [{ type: 'timer:add', seconds: -3600 }, T0 + 10 * 60_000]);
    expect(remainingMs(s.timer, T0 + 10 * 60_000)).toBe(0);
  });

  it('next phase restarts the timer with that phase’s duration', () => {
    const s = run(fresh(), [{ type: 'phase:start', index: 0 }, T0], [{ type: 'phase:next' }, T0 + 5000]);
    expect(s.phaseIndex).toBe(1);
    expect(s.timer).toEqual({ status: 'running', durationMs: 45 * 60_000, endsAt: T0 + 5000 + 45 * 60_000 });
  });

  it('time up stops the timer and, with auto-lock, locks every board', () => {
    let s = run(fresh(), [{ type: 'autolock:set', enabled: true }, T0], [{ type: 'phase:start', index: 0 }, T0]);
    expect(isTimeUp(s.timer, T0 + 10 * 60_000 - 1)).toBe(false);
    expect(isTimeUp(s.timer, T0 + 10 * 60_000)).toBe(true);
    s = onTimeUp(s, groups);
    expect(s.timer).toMatchObject({ status: 'paused', remainingMs: 0 });
    expect(s.lockedGroups).toEqual(groups);
    const noAuto = onTimeUp(run(fresh(), [{ type: 'phase:start', index: 0 }, T0]), groups);
    expect(noAuto.lockedGroups).toEqual([]);
  });

  it('the next phase opens what time-up locked, but not what the facilitator locked', () => {
    let s = run(fresh(), [{ type: 'autolock:set', enabled: true }, T0], [{ type: 'lock:set', groupId: 'gD', locked: true }, T0], [{ type: 'phase:start', index: 0 }, T0]);
    s = onTimeUp(s, groups);
    expect(s.lockedGroups).toEqual(['gB', 'gD']);
    s = run(s, [{ type: 'phase:next' }, T0 + 700_000]);
    expect(s.lockedGroups).toEqual(['gD']);
    expect(s.timeUpLocked).toEqual([]);
  });

  it('more time after time-up runs the countdown again and opens what time-up locked', () => {
    let s = onTimeUp(run(fresh(), [{ type: 'autolock:set', enabled: true }, T0], [{ type: 'phase:start', index: 0 }, T0]), groups);
    s = run(s, [{ type: 'timer:add', seconds: 60 }, T0 + 700_000]);
    expect(s.timer).toMatchObject({ status: 'running', endsAt: T0 + 760_000 });
    expect(s.lockedGroups).toEqual([]);
  });

  it('a board the facilitator unlocks or relocks after time-up is theirs: the next phase leaves it as they set it', () => {
    let s = onTimeUp(run(fresh(), [{ type: 'autolock:set', enabled: true }, T0], [{ type: 'phase:start', index: 0 }, T0]), groups);
    s = run(s, [{ type: 'lock:set', groupId: 'gB', locked: true }, T0 + 1]);
    s = run(s, [{ type: 'phase:next' }, T0 + 2]);
    expect(s.lockedGroups).toEqual(['gB']);
  });
});

describe('rules refuse what makes no sense, changing nothing', () => {
  const running = () => run(fresh(), [{ type: 'phase:start', index: 0 }, T0]);
  const cases: Array<[string, () => SessionState, FacilitatorCommand, string]> = [
    ['unknown phase', fresh, { type: 'phase:start', index: 9 }, 'not_found'],
    ['next after the last', () => run(fresh(), [{ type: 'phase:start', index: 4 }, T0]), { type: 'phase:next' }, 'bad_request'],
    ['pause when idle', fresh, { type: 'timer:pause' }, 'bad_request'],
    ['resume when running', running, { type: 'timer:resume' }, 'bad_request'],
    ['add time when idle', fresh, { type: 'timer:add', seconds: 60 }, 'bad_request'],
    ['lock an unknown group', fresh, { type: 'lock:set', groupId: 'gZ', locked: true }, 'not_found'],
    ['spotlight an unknown group', fresh, { type: 'spotlight:set', groupId: 'gZ' }, 'not_found'],
    ['follow without a spotlight', fresh, { type: 'follow:set', follow: true }, 'bad_request'],
    ['vote on an unknown group', fresh, { type: 'vote:open', round: { id: 'r', groupIds: ['gZ'], budget: 3, maxPerCard: 1, results: 'live' } }, 'not_found'],
    ['per-card max over budget', fresh, { type: 'vote:open', round: { id: 'r', groupIds: ['gB'], budget: 3, maxPerCard: 5, results: 'live' } }, 'bad_request'],
    ['close with no round', fresh, { type: 'vote:close', ranking: [] }, 'bad_request'],
  ];
  it.each(cases)('%s', (_name, make, command, error) => {
    const before = make();
    const snapshot = JSON.stringify(before);
    const r = applyFacilitatorCommand(before, command, { now: T0, groupIds: groups });
    expect(r).toMatchObject({ ok: false, error });
    expect(JSON.stringify(before)).toBe(snapshot);
  });
});

describe('locks, spotlight, rounds', () => {
  it('locks one or all, unlocks one', () => {
    let s = run(fresh(), [{ type: 'lock:set', groupId: 'all', locked: true }, T0]);
    expect(s.lockedGroups).toEqual(['gB', 'gD']);
    s = run(s, [{ type: 'lock:set', groupId: 'gB', locked: false }, T0]);
    expect(s.lockedGroups).toEqual(['gD']);
  });

  it('clearing the spotlight releases followers', () => {
    const s = run(fresh(), [{ type: 'spotlight:set', groupId: 'gD' }, T0], [{ type: 'follow:set', follow: true }, T0], [{ type: 'spotlight:set', groupId: null }, T0]);
    expect(s.spotlight).toEqual({ groupId: null, follow: false });
  });

  it('a round opens once and closes with its frozen ranking', () => {
    const open = run(fresh(), [{ type: 'vote:open', round: { id: 'r1', groupIds: ['gB'], budget: 3, maxPerCard: 2, results: 'on-close' } }, T0]);
    expect(applyFacilitatorCommand(open, { type: 'vote:open', round: { id: 'r2', groupIds: ['gB'], budget: 3, maxPerCard: 2, results: 'live' } }, { now: T0, groupIds: groups }).ok).toBe(false);
    const ranking = [{ groupId: 'gB', cardId: 'c1', dots: 4, voters: 2 }];
    const closed = run(open, [{ type: 'vote:close', ranking }, T0 + 1000]);
    expect(closed.round).toMatchObject({ id: 'r1', status: 'closed', closedAt: T0 + 1000, ranking });
  });
});

describe('clock offset', () => {
  it('takes the fastest round trip and its midpoint', () => {
    expect(estimateOffset([])).toBe(0);
    expect(estimateOffset([
      { sent: 1000, server: 6100, received: 1300 }, // slow: 300 ms
      { sent: 2000, server: 7020, received: 2040 }, // fast: the server read at 2020 local
    ])).toBe(5000);
  });
});
