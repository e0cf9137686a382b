// RETENTION_DAYS on a real server: a workshop's last use is recorded (board update,
// command, join); a check deletes the workshops unused for longer, logged, and keeps
// the recent ones and one that someone still has open.
import { describe, expect, it } from 'vitest';
import { addCard } from '../../shared/board.js';
import { api, setupWorkshop } from '../helpers/api.js';
import { connectSocket } from '../helpers/facilitation.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';

const DAY = 24 * 3_600_000;
const lastUse = (t: TestServer, id: string) => (t.store.db.prepare('SELECT last_activity_at AS at FROM workshops WHERE id = ?').get(id) as { at: number } | undefined)?.at;
const setLastUse = (t: TestServer, id: string, at: number) => t.store.db.prepare('UPDATE workshops SET last_activity_at = ? WHERE id = ?').run(at, id);

describe('retention', () => {
  it('is off unless RETENTION_DAYS is set', async () => {
    const t = await startServer();
    expect(t.server.retention).toBeNull();
  });

  it('a workshop counts as used when a board changes, a command is stored, or someone joins', async () => {
    const t = await startServer({ useRecordEveryMs: 0 });
    const w = await setupWorkshop(t.url);
    const id = w.workshop.id;
    const created = lastUse(t, id)!;
    expect(Math.abs(created - Date.now())).toBeLessThan(60_000);
    const longAgo = Date.now() - 40 * DAY;

    setLastUse(t, id, longAgo);
    const ana = await w.participant('A', 'Ana'); // a join
    await waitFor(() => lastUse(t, id)! > longAgo, 5_000, 'the join to count');

    setLastUse(t, id, longAgo);
    const board = await syncedClient(t.wsUrl, w.boardA, ana);
    addCard(board.doc, { text: 'Una idea', author: 'Ana' });
    await roundTrip(board);
    await waitFor(() => lastUse(t, id)! > longAgo, 5_000, 'the board update to count');

    setLastUse(t, id, longAgo);
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    expect(lastUse(t, id)).toBe(longAgo); // connecting alone is not a use
    expect(await facilitator.command({ type: 'autolock:set', enabled: true })).toEqual({ ok: true });
    await waitFor(() => lastUse(t, id)! > longAgo, 5_000, 'the command to count');
  });

  it('deletes the workshops unused for longer than RETENTION_DAYS, keeping recent ones and one still open', async () => {
    const t = await startServer({ retentionDays: 30 });
    const [old, recent, open] = [await setupWorkshop(t.url), await setupWorkshop(t.url), await setupWorkshop(t.url)];
    setLastUse(t, old.workshop.id, Date.now() - 31 * DAY);
    setLastUse(t, recent.workshop.id, Date.now() - 29 * DAY);
    setLastUse(t, open.workshop.id, Date.now() - 90 * DAY);
    const projector = await connectSocket(t.url, open.facilitatorToken); // a screen left on, nobody writing

    expect(await t.server.retention!.check()).toBe(1);
    expect(await t.store.getWorkshop(old.workshop.id)).toBeNull();
    expect((await api(t.url, 'GET', `/api/workshops/${old.workshop.id}`, { token: old.facilitatorToken })).status).toBe(401);
    expect(await t.store.getWorkshop(recent.workshop.id)).not.toBeNull();
    expect(await t.store.getWorkshop(open.workshop.id)).not.toBeNull();
    const logged = t.log.at('info').filter((e) => e.fields.workshop === old.workshop.id).map((e) => [e.message, e.fields.by ?? e.fields.retentionDays]);
    expect(logged).toEqual([['retention deletes a workshop', 30], ['workshop deleted', 'retention']]);

    // Once nobody has it open, the next check deletes it too.
    projector.close();
    await waitFor(() => !t.server.sessions.isOnline(open.workshop.id), 5_000, 'the projector to leave');
    expect(await t.server.retention!.check()).toBe(1);
    expect(await t.store.getWorkshop(open.workshop.id)).toBeNull();
  });
});
