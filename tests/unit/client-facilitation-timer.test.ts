import { describe, expect, it } from 'vitest';
import { estimateOffset } from '../../shared/clock.js';
import { initialSession, type Phase, type SessionState } from '../../shared/session.js';
import { measureOffset } from '../../client/lib/facilitation/clock-sync.js';
import { formatClock, timerView } from '../../client/lib/facilitation/timer-view.js';

const agenda: Phase[] = [
  { id: 'a', name: 'Bienvenida', durationSec: 600, kind: 'welcome' },
  { id: 'b', name: 'Trabajo en grupos', durationSec: 2700, kind: 'groupwork' },
];
const running = (endsAt: number, durationMs = 600_000): SessionState => ({
  ...initialSession(agenda),
  phaseIndex: 0,
  timer: { status: 'running', durationMs, endsAt },
});

describe('the phase timer as everyone shows it', () => {
  it.each([
    [0, '00:00'],
    [1, '00:01'], // rounded up: 00:00 only once time is up
    [999, '00:01'],
    [1000, '00:01'],
    [59_001, '01:00'],
    [600_000, '10:00'],
    [3_599_000, '59:59'],
    [3_600_000, '1:00:00'],
    [5_025_000, '1:23:45'],
    [-5, '00:00'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatClock(ms)).toBe(text);
  });

  it('reads the same remaining time for the same server moment, whatever the client clock', () => {
    const s = running(1_000_000 + 125_000);
    const view = timerView(s, 1_000_000);
    expect(view).toMatchObject({ index: 0, count: 2, status: 'running', remainingMs: 125_000, warning: false, timeUp: false });
    expect(view.phase?.name).toBe('Bienvenida');
    expect(view.left).toBeCloseTo(125 / 600);
  });

  it('warns in the last minute, and says when time is up (running past the end, or stopped at zero)', () => {
    expect(timerView(running(60_000), 0)).toMatchObject({ warning: true, timeUp: false });
    expect(timerView(running(60_001), 0)).toMatchObject({ warning: false });
    expect(timerView(running(1000), 5000)).toMatchObject({ remainingMs: 0, warning: false, timeUp: true, left: 0 });
    const stopped: SessionState = { ...running(0), timer: { status: 'paused', durationMs: 600_000, remainingMs: 0 } };
    expect(timerView(stopped, 0)).toMatchObject({ status: 'paused', timeUp: true });
    const paused: SessionState = { ...running(0), timer: { status: 'paused', durationMs: 600_000, remainingMs: 30_000 } };
    expect(timerView(paused, 99_999_999)).toMatchObject({ remainingMs: 30_000, warning: true, timeUp: false });
  });

  it('before the first phase: no phase, nothing up', () => {
    expect(timerView(initialSession(agenda), 0)).toMatchObject({ phase: null, index: -1, status: 'idle', timeUp: false, warning: false, left: 1 });
  });
});

describe('measuring the server clock', () => {
  it('pings one after another and trusts the fastest round trip', async () => {
    let clientNow = 1000;
    const trips = [80, 20, 200, 40, 60];
    const skew = 5_000; // the server's clock is 5 s ahead
    const sent: number[] = [];
    const offset = await measureOffset(
      async (clientTime) => {
        sent.push(clientTime);
        const trip = trips.shift() ?? 10;
        clientNow += trip / 2;
        const server = clientNow + skew;
        clientNow += trip / 2;
        return server;
      },
      () => clientNow,
    );
    expect(sent).toHaveLength(5);
    expect(offset).toBe(skew);
  });

  it('ignores lost pings, and gives null when none came back', async () => {
    let n = 0;
    const flaky = async (t: number) => {
      if (n++ % 2 === 0) throw new Error('timeout');
      return t + 300;
    };
    expect(await measureOffset(flaky, () => 0)).toBe(300);
    expect(await measureOffset(async () => Promise.reject(new Error('x')), () => 0)).toBeNull();
    expect(estimateOffset([])).toBe(0);
  });
});
