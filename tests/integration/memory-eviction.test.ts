// What a workshop holds in memory leaves once nobody uses it: its session (and timers,
// presence and activity figures) after SESSION_IDLE_MS with no socket and no board in
// memory, and it loads again, whole, when someone comes back. A board still open keeps
// the session, which decides who may write to it.
import { describe, expect, it } from 'vitest';
import { addCard } from '../../shared/board.js';
import { setupWorkshop } from '../helpers/api.js';
import { barrier, hasCard } from '../helpers/board.js';
import { connectSocket } from '../helpers/facilitation.js';
import { sample, scrape } from '../helpers/prometheus.js';
import { startServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { syncedClient } from '../helpers/yclient.js';

const SESSION_IDLE_MS = 300;
const BOARD_IDLE_MS = 200;

describe('a workshop nobody uses', () => {
  it('is no longer held after the idle time, and loads again as it was', async () => {
    const t = await startServer({ sessionIdleMs: SESSION_IDLE_MS, boardIdleMs: BOARD_IDLE_MS });
    const w = await setupWorkshop(t.url);
    const ana = await w.participant('A', 'Ana');
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    const writer = await syncedClient(t.wsUrl, w.boardA, ana);
    const watcher = await syncedClient(t.wsUrl, w.boardA, w.facilitatorToken);
    addCard(writer.doc, { text: 'Mesas territoriales', author: 'Ana' });
    await barrier(writer, [watcher]);
    expect(await facilitator.command({ type: 'lock:set', groupId: w.boardB.groupId, locked: true })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'announce', text: 'Plenaria a las 16:00', groupId: null })).toEqual({ ok: true });
    expect(await facilitator.command({ type: 'phase:start', index: 1 })).toEqual({ ok: true }); // a timer running
    expect(t.server.sessions.peek(w.workshop.id)).toBeDefined();
    expect(t.server.activity.size).toBeGreaterThan(0);

    // Still used: three idle times later, with the facilitator connected, nothing has left.
    await new Promise((resolve) => setTimeout(resolve, SESSION_IDLE_MS * 3));
    expect(t.server.sessions.peek(w.workshop.id)).toBeDefined();

    facilitator.close();
    writer.destroy();
    watcher.destroy();
    await waitFor(() => t.server.sessions.peek(w.workshop.id) === undefined, 5_000, 'the session to leave memory');
    expect(t.server.registry.holdsWorkshop(w.workshop.id)).toBe(false);
    expect(t.server.sessions.loadedCount).toBe(0);
    expect(t.server.activity.size).toBe(0);
    expect(sample(await scrape(t.url), 'relatoria_sessions_loaded')).toBe(0);
    expect(t.log.entries.some((e) => e.message === 'session left memory' && e.fields.workshop === w.workshop.id)).toBe(true);

    // Back again: everything as it was, from the store.
    const back = await connectSocket(t.url, w.facilitatorToken);
    expect(back.snapshot.session.lockedGroups).toEqual([w.boardB.groupId]);
    expect(back.snapshot.session.phaseIndex).toBe(1);
    expect(back.snapshot.session.timer.status).toBe('running');
    expect(back.snapshot.announcements.map((a) => a.text)).toEqual(['Plenaria a las 16:00']);
    const reader = await syncedClient(t.wsUrl, w.boardA, ana);
    expect(hasCard(reader, 'Mesas territoriales')).toBe(true);
    // And it still enforces what it held: group B stays locked to its own participant.
    const beto = await syncedClient(t.wsUrl, w.boardB, await w.participant('B', 'Beto'));
    addCard(beto.doc, { text: 'bloqueado', author: 'Beto' });
    await waitFor(() => beto.denied.length > 0, 5_000, 'the locked board to refuse the write');
  });

  it('stays while a board of it is open, even with nobody on the facilitation channel', async () => {
    const t = await startServer({ sessionIdleMs: SESSION_IDLE_MS, boardIdleMs: BOARD_IDLE_MS });
    const w = await setupWorkshop(t.url);
    // A stock y-websocket client alone: no Socket.IO at all.
    const writer = await syncedClient(t.wsUrl, w.boardA, await w.participant('A', 'Ana'));
    const reader = await syncedClient(t.wsUrl, w.boardA, await w.participant('B', 'Beto'));
    await new Promise((resolve) => setTimeout(resolve, SESSION_IDLE_MS * 4));
    expect(t.server.sessions.peek(w.workshop.id)).toBeDefined();
    // Its access rules still hold: Ana writes her board, Beto only reads it.
    addCard(writer.doc, { text: 'Sigue en pie', author: 'Ana' });
    await waitFor(() => hasCard(reader, 'Sigue en pie'), 5_000, 'the write to be relayed');
    addCard(reader.doc, { text: 'no es mío', author: 'Beto' });
    await waitFor(() => reader.denied.length > 0, 5_000, 'the read-only write to be refused');

    writer.destroy();
    reader.destroy();
    await waitFor(() => t.server.sessions.peek(w.workshop.id) === undefined, 5_000, 'the session to leave once the board did');
  });
});
