// The timer is an absolute end time on the server clock. Clients with wrong clocks
// correct them with clock:ping (shared/clock.ts) and so agree on the time left; when
// it runs out the server stops the timer at zero and, with auto-lock, locks every board.
import { describe, expect, it } from 'vitest';
import { addCard, listCards } from '../../shared/board.js';
import { DENIED_READ_ONLY } from '../../shared/close-codes.js';
import { estimateOffset } from '../../shared/clock.js';
import { remainingMs, type SessionState } from '../../shared/session.js';
import { joinWorkshop, setupWorkshop } from '../helpers/api.js';
import { storedBoard } from '../helpers/board.js';
import { clockSamples, connectSocket, type FacilitationClient } from '../helpers/facilitation.js';
import { startServer } from '../helpers/server.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';

/** The session as a client last heard it: the snapshot, then every session:state. */
function latestState(client: FacilitationClient): SessionState {
  return client.all('session:state').at(-1)?.[0] ?? client.snapshot.session;
}

describe('timer agreement', () => {
  it('two clients with clocks 5 s fast and 3 s slow agree within 250 ms on the time left, once they correct for the offset', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    expect(await facilitator.command({ type: 'agenda:set', agenda: [{ name: 'Trabajo', durationSec: 600, kind: 'groupwork' }] })).toEqual({ ok: true });

    const fast = { skew: 5_000, client: await connectSocket(t.url, await w.participant('A', 'Ana')) };
    const slow = { skew: -3_000, client: await connectSocket(t.url, await w.participant('B', 'Beto')) };
    const since = { fast: fast.client.events.length, slow: slow.client.events.length };
    expect(await facilitator.command({ type: 'phase:start', index: 0 })).toEqual({ ok: true });
    await fast.client.next('session:state', (s) => s.timer.status === 'running', since.fast);
    await slow.client.next('session:state', (s) => s.timer.status === 'running', since.slow);

    // Each client reads only its own wrong clock.
    const clocks = [fast, slow].map(({ skew, client }) => ({ client, skew, localNow: () => Date.now() + skew }));
    const offsets: number[] = [];
    for (const c of clocks) offsets.push(estimateOffset(await clockSamples(c.client.socket, c.localNow, 5)));
    expect(offsets[0]).toBeCloseTo(-5_000, -2); // within 50 ms on loopback
    expect(offsets[1]).toBeCloseTo(3_000, -2);

    const corrected = clocks.map((c, i) => remainingMs(latestState(c.client).timer, c.localNow() + offsets[i]!));
    const naive = clocks.map((c) => remainingMs(latestState(c.client).timer, c.localNow()));
    const truth = remainingMs(latestState(fast.client).timer, Date.now());
    expect(Math.abs(corrected[0]! - corrected[1]!)).toBeLessThan(250);
    expect(Math.abs(corrected[0]! - truth)).toBeLessThan(250);
    expect(truth).toBeGreaterThan(590_000);
    // Without the correction they would be 8 s apart: the skew is real.
    expect(naive[1]! - naive[0]!).toBeGreaterThan(7_500);
  });

  it('clock:ping answers with the server time and echoes the client time', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const client = await connectSocket(t.url, await w.participant('A'));
    const before = Date.now();
    const reply = await client.socket.timeout(2_000).emitWithAck('clock:ping', 12345);
    expect(reply.clientTime).toBe(12345);
    expect(reply.serverTime).toBeGreaterThanOrEqual(before);
    expect(reply.serverTime).toBeLessThanOrEqual(Date.now());
  });
});

describe('time up', () => {
  it('with auto-lock: the timer stops at 0, every group is locked, everyone is told, and board writes are dropped', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const ana = await joinWorkshop(t.url, w.workshop, w.boardA.groupId, 'Ana');
    const writer = await syncedClient(t.wsUrl, w.boardA, ana.token);
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    const anaSocket = await connectSocket(t.url, ana.token);
    expect(await facilitator.command({ type: 'agenda:set', agenda: [{ name: 'Sprint', durationSec: 1, kind: 'brainstorm' }, { name: 'Cierre', durationSec: 60, kind: 'closing' }] })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'autolock:set', enabled: true })).toEqual({ ok: true });
    const startedAt = Date.now();
    expect(await facilitator.command({ type: 'phase:start', index: 0 })).toEqual({ ok: true });
    // Before the end, the board is writable.
    addCard(writer.doc, { text: 'A tiempo', author: 'Ana' });
    await roundTrip(writer);
    expect(writer.denied).toEqual([]);

    const [state] = await anaSocket.next('session:state', (s) => s.timer.status === 'paused', 0, 4_000);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
    expect(state.timer).toEqual({ status: 'paused', durationMs: 1_000, remainingMs: 0 });
    expect(remainingMs(state.timer, Date.now())).toBe(0);
    expect([...state.lockedGroups].sort()).toEqual([w.boardA.groupId, w.boardB.groupId].sort());
    expect(state.phaseIndex).toBe(0);
    await facilitator.next('session:state', (s) => s.lockedGroups.length === 2);

    addCard(writer.doc, { text: 'Fuera de tiempo', author: 'Ana' });
    await roundTrip(writer);
    expect(writer.denied).toEqual([DENIED_READ_ONLY]);
    expect(listCards(await storedBoard(t.store, w.boardA)).map((c) => c.text)).toEqual(['A tiempo']);
  });

  it('without auto-lock: the timer stops at 0 and the boards stay writable', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    expect(await facilitator.command({ type: 'agenda:set', agenda: [{ name: 'Sprint', durationSec: 1, kind: 'brainstorm' }] })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'phase:start', index: 0 })).toEqual({ ok: true });
    const [state] = await facilitator.next('session:state', (s) => s.timer.status === 'paused', 0, 4_000);
    expect(state.timer).toEqual({ status: 'paused', durationMs: 1_000, remainingMs: 0 });
    expect(state.lockedGroups).toEqual([]);
    const writer = await syncedClient(t.wsUrl, w.boardA, await w.participant('A'));
    addCard(writer.doc, { text: 'Sigue abierto', author: 'Ana' });
    await roundTrip(writer);
    expect(writer.denied).toEqual([]);
  });
});

describe('a very long timer', () => {
  it('more time than a Node timeout can hold (24.8 days) does not turn the time-up check into a 1 ms loop', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    expect(await facilitator.command({ type: 'agenda:set', agenda: [{ name: 'Maratón', durationSec: 86_400, kind: 'groupwork' }] })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'phase:start', index: 0 })).toEqual({ ok: true });
    const overflow: string[] = [];
    const onWarning = (warning: Error) => void (warning.name === 'TimeoutOverflowWarning' && overflow.push(warning.message));
    process.on('warning', onWarning);
    try {
      // 1 day + 600 h = 26 days. Twenty sockets, each inside its burst of 30.
      const senders = await Promise.all(Array.from({ length: 20 }, () => connectSocket(t.url, w.facilitatorToken)));
      const replies = await Promise.all(senders.flatMap((s) => Array.from({ length: 30 }, () => s.command({ type: 'timer:add', seconds: 3_600 }))));
      expect(replies.every((r) => r.ok)).toBe(true);
      const [state] = await facilitator.next('session:state', (s) => s.timer.durationMs === (86_400 + 600 * 3_600) * 1000);
      expect(remainingMs(state.timer, Date.now())).toBeGreaterThan(2 ** 31 - 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(overflow).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
