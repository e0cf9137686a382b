// The pure rules behind the room's layout and voice: where the editor's toolbar docks and
// how far the page scrolls to keep the caret clear of it; how the projector pages a long
// board; what the live regions say; which message the join page shows for each refusal;
// which text colour reads on a person's colour.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/lib/api.js';
import { keyboardInset, scrollToClear } from '../../client/lib/editor/toolbar-dock.svelte.js';
import { pageTops } from '../../client/lib/facilitation/auto-page.js';
import { announcementCue, lockCue, timerCue } from '../../client/lib/facilitation/live-cues.js';
import type { TimerView } from '../../client/lib/facilitation/timer-view.js';
import { joinError, lookupError } from '../../client/lib/join-errors.js';
import { colorFor, textOn } from '../../client/lib/people.js';

describe('the editor toolbar', () => {
  it('knows the keyboard’s height from the visual viewport', () => {
    expect(keyboardInset(844, null)).toBe(0);
    expect(keyboardInset(844, { offsetTop: 0, height: 844 })).toBe(0);
    expect(keyboardInset(844, { offsetTop: 0, height: 500 })).toBe(344);
    // Scrolled within the visual viewport: its bottom is what counts.
    expect(keyboardInset(844, { offsetTop: 100, height: 500 })).toBe(244);
    expect(keyboardInset(844, { offsetTop: 0, height: 900 })).toBe(0);
  });

  it.each([
    // caret, toolbar, placement → scroll
    [{ top: 700, bottom: 720 }, { top: 801, bottom: 844 }, 'bottom', 0], // clear above a docked bar
    [{ top: 790, bottom: 810 }, { top: 801, bottom: 844 }, 'bottom', 17], // under it
    [{ top: 852, bottom: 871 }, { top: 801, bottom: 844 }, 'bottom', 78], // past the screen's bottom
    [{ top: 200, bottom: 220 }, { top: 64, bottom: 104 }, 'top', 0], // clear below a stuck bar
    [{ top: 90, bottom: 110 }, { top: 64, bottom: 104 }, 'top', -22], // under it
    [{ top: -40, bottom: -20 }, { top: 64, bottom: 104 }, 'top', -152], // scrolled above it
  ] as const)('caret %o, toolbar %o at the %s → scroll %d', (caret, toolbar, placement, scroll) => {
    expect(scrollToClear(caret, toolbar, placement)).toBe(scroll);
  });
});

describe('the projector’s pages', () => {
  it('is one page when the board fits, else screenfuls that overlap a little and end at the bottom', () => {
    expect(pageTops(900, 1000)).toEqual([0]);
    expect(pageTops(1000, 1000)).toEqual([0]);
    expect(pageTops(2500, 1000)).toEqual([0, 900, 1500]);
    expect(pageTops(1900, 1000)).toEqual([0, 900]);
  });
});

const view = (patch: Partial<TimerView>): TimerView => ({
  phase: { id: 'p', name: 'Trabajo en grupos', durationSec: 600, kind: 'groupwork' },
  index: 0, count: 3, status: 'running', remainingMs: 300_000, left: 0.5, warning: false, timeUp: false, ...patch,
});

describe('what the live regions say', () => {
  it('the timer: nothing, then its last minute, then time up; nothing before a phase or while idle', () => {
    expect(timerCue(null)).toBeNull();
    expect(timerCue(view({ phase: null }))).toBeNull();
    expect(timerCue(view({}))).toBeNull();
    expect(timerCue(view({ remainingMs: 50_000, warning: true }))).toBe('session.timer.lastMinute');
    expect(timerCue(view({ status: 'paused', remainingMs: 50_000, warning: true }))).toBeNull();
    expect(timerCue(view({ remainingMs: 0, timeUp: true }))).toBe('session.timer.up');
    expect(timerCue(view({ status: 'idle' }))).toBeNull();
  });

  it('a lock and an announcement', () => {
    expect(lockCue(true)).toBe('session.locked.notice');
    expect(lockCue(false)).toBeNull();
    expect(announcementCue(null)).toBeNull();
    expect(announcementCue({ text: 'Diez minutos', groupId: null, at: 1 })).toEqual({ from: 'session.announce.from', text: 'Diez minutos' });
  });
});

describe('the join page’s messages', () => {
  const refused = (status: number, code: string) => new ApiError(status, code, 'an English sentence from the server');

  it('maps every refusal to a message of the catalogue, never the server’s words', () => {
    expect(lookupError(refused(404, 'not_found'))).toEqual({ title: 'join.error.unknownCode', detail: '' });
    expect(lookupError(refused(429, 'rate_limited')).title).toBe('join.error.busy');
    expect(lookupError(refused(0, 'network')).title).toBe('error.network');
    expect(joinError(refused(403, 'forbidden')).title).toBe('join.error.codeChanged');
    expect(joinError(refused(403, 'removed')).title).toBe('join.error.removed');
    expect(joinError(refused(423, 'join_closed')).title).toBe('join.error.closed');
    expect(lookupError(refused(423, 'join_closed')).title).toBe('join.error.closed');
    expect(joinError(refused(400, 'bad_request')).title).toBe('join.error.badInput');
    for (const e of [refused(500, 'internal'), refused(409, 'something_new'), new Error('boom')]) {
      expect(joinError(e)).toEqual({ title: 'join.error.other', detail: '' });
    }
  });
});

describe('a person’s colour', () => {
  it('every colour we hand out carries white text; a light colour sent by another client gets dark text', () => {
    for (let i = 0; i < 200; i++) expect(textOn(colorFor(`person-${i}`))).toBe('#ffffff');
    expect(textOn('#ffe066')).toBe('#1d2130');
    expect(textOn('#1864ab')).toBe('#ffffff');
    expect(textOn('not a colour')).toBe('#ffffff');
  });
});
