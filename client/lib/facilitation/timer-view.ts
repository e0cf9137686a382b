// The phase timer as everyone shows it: one pure reading of the session at a moment
// of server time, so the console, the projector and every board show the same mm:ss.
import { currentPhase, remainingMs, type Phase, type SessionState } from '../../../shared/session.js';

/** The last minute is shown in another colour. */
export const WARNING_MS = 60_000;

export interface TimerView {
  phase: Phase | null;
  /** 0-based; -1 before the first phase. */
  index: number;
  count: number;
  status: 'idle' | 'running' | 'paused';
  remainingMs: number;
  /** Share of the phase left, 0..1 (1 when the phase has no duration). */
  left: number;
  /** Running or paused with a minute or less left. */
  warning: boolean;
  /** A phase ran out of time (it stays at 00:00 until the next command). */
  timeUp: boolean;
}

export function timerView(s: SessionState, serverNow: number): TimerView {
  const phase = currentPhase(s);
  const remaining = remainingMs(s.timer, serverNow);
  const started = phase !== null && s.timer.status !== 'idle';
  return {
    phase,
    index: s.phaseIndex,
    count: s.agenda.length,
    status: s.timer.status,
    remainingMs: remaining,
    left: s.timer.durationMs > 0 ? Math.min(1, remaining / s.timer.durationMs) : started && remaining === 0 ? 0 : 1,
    warning: started && remaining > 0 && remaining <= WARNING_MS,
    timeUp: started && remaining === 0,
  };
}

/** `mm:ss`, or `h:mm:ss` from an hour; seconds are rounded up, so 00:00 means time is up. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}
