// The stored session record through a real server: a record written before versioning
// (the legacy SQLite fixture) is read, upgraded and stored at the current version on the
// next change; a record that cannot be read closes that workshop alone, with a clear error,
// and stays in the store exactly as it was.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SESSION_RECORD_VERSION } from '../../server/facilitation/session-record.js';
import { createRelatoriaServer } from '../../server/server.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { api, setupWorkshop } from '../helpers/api.js';
import { connectSocket } from '../helpers/facilitation.js';
import { CapturingLogger } from '../helpers/logger.js';
import { startServer } from '../helpers/server.js';
import { FIXTURES_DIR } from '../support/fixtures.js';

const LEGACY = join(FIXTURES_DIR, 'legacy');
const legacy = JSON.parse(readFileSync(join(LEGACY, 'sqlite-v0.json'), 'utf8')) as {
  secret: string; workshopId: string; facilitatorToken: string; announcement: string; lockedGroup: string; votedCard: string;
  participants: Array<{ id: string }>;
};

const storedRecord = (store: SqliteStore, workshopId: string) =>
  (store.db.prepare('SELECT data FROM sessions WHERE workshop_id = ?').get(workshopId) as { data: string } | undefined)?.data;

describe('a session record written before versioning', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relatoria-record-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is read with everything in it, and stored at the current version on the next change', async () => {
    const file = join(dir, 'legacy.db');
    copyFileSync(join(LEGACY, 'sqlite-v0.db'), file);
    const store = new SqliteStore(file);
    const before = JSON.parse(storedRecord(store, legacy.workshopId)!);
    expect(before.version).toBe(1);
    const server = createRelatoriaServer({ store, log: new CapturingLogger(), secret: legacy.secret, clientDir: '/nonexistent' });
    const url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
    try {
      const facilitator = await connectSocket(url, legacy.facilitatorToken);
      const { session, announcements } = facilitator.snapshot;
      expect(session.lockedGroups).toEqual([legacy.lockedGroup]);
      expect(session.timeUpLocked).toEqual([]);
      expect(session.round?.ranking?.[0]).toMatchObject({ cardId: legacy.votedCard, dots: 2 });
      expect(announcements.map((a) => a.text)).toEqual([legacy.announcement]);

      expect(await facilitator.command({ type: 'announce', text: 'Receso de diez minutos', groupId: null })).toEqual({ ok: true });
      const after = JSON.parse(storedRecord(store, legacy.workshopId)!);
      expect(after.version).toBe(SESSION_RECORD_VERSION);
      expect(after.ballots).toEqual(before.ballots);
      expect(after.state.round).toEqual(before.state.round);
      expect(after.announcements.map((a: { text: string }) => a.text)).toEqual([legacy.announcement, 'Receso de diez minutos']);
      facilitator.close();
    } finally {
      await server.close();
      await store.close();
    }
  });
});

describe('a session record that cannot be read', () => {
  it.each([
    ['is not JSON', '{"version":1,"state":'],
    ['was written by a newer Relatoría', JSON.stringify({ version: SESSION_RECORD_VERSION + 1, state: {} })],
    ['has a state that is not one', JSON.stringify({ version: 1, state: { agenda: 'ninguna' }, ballots: {}, done: [], heldCards: [] })],
  ])('(it %s) closes that workshop with a clear error, logs it, and is left as it was', async (_what, bad) => {
    const t = await startServer();
    const broken = await setupWorkshop(t.url);
    const healthy = await setupWorkshop(t.url);
    // Not yet loaded: creating a workshop stores its first record without loading it.
    t.store.db.prepare('UPDATE sessions SET data = ? WHERE workshop_id = ?').run(bad, broken.workshop.id);

    const view = await api(t.url, 'GET', `/api/workshops/${broken.workshop.id}`, { token: broken.facilitatorToken });
    expect(view.status).toBe(503);
    expect(view.body.error.code).toBe('workshop_unavailable');
    expect(view.body.error.message).toMatch(/stored session could not be read/);

    const logged = t.log.at('error').find((e) => e.message.includes('stored session of a workshop cannot be read'));
    expect(logged?.fields.workshop).toBe(broken.workshop.id);
    expect((logged?.fields.err as { message: string }).message).toMatch(/stored session/);

    // A command is refused, a join stores only the participant: nothing is written over the record.
    const lock = await api(t.url, 'POST', `/api/workshops/${broken.workshop.id}/groups/${broken.boardA.groupId}/lock`, { token: broken.facilitatorToken, json: { locked: true } });
    expect(lock.status).toBe(500);
    expect(lock.body.error.message).toMatch(/nothing was changed/);
    await broken.participant('A');
    expect(storedRecord(t.store, broken.workshop.id)).toBe(bad);

    // The other workshop on the same server is unaffected.
    const other = await connectSocket(t.url, healthy.facilitatorToken);
    expect(await other.command({ type: 'lock:set', groupId: healthy.boardA.groupId, locked: true })).toEqual({ ok: true });
    expect(storedRecord(t.store, broken.workshop.id)).toBe(bad);
  });
});
