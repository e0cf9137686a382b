// What the page says aloud (live regions) when the session changes under someone who
// cannot see it: the timer's last minute and its end, a lock, an announcement. Pure:
// each cue is a text that changes only when there is something new to say, since a
// screen reader reads a live region when its text changes.
import type { Announcement } from '../../../shared/protocol.js';
import type { MessageKey } from '../i18n/es.js';
import type { TimerView } from './timer-view.js';

/** The timer's cue: its last minute, then its end; nothing otherwise. */
export function timerCue(view: TimerView | null): MessageKey | null {
  if (!view?.phase || view.status === 'idle') return null;
  if (view.timeUp) return 'session.timer.up';
  if (view.warning && view.status === 'running') return 'session.timer.lastMinute';
  return null;
}

/** The lock's cue: said when the board is locked (its end shows as the notice going away). */
export const lockCue = (locked: boolean): MessageKey | null => (locked ? 'session.locked.notice' : null);

/** The announcement to read out: the newest not yet dismissed, with who it is from. */
export const announcementCue = (a: Announcement | null): { from: MessageKey; text: string } | null =>
  a ? { from: 'session.announce.from', text: a.text } : null;
