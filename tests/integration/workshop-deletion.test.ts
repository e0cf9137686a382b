// DELETE /api/workshops/:id on a real server over a real SQLite file: afterwards no file
// of the data directory holds the workshop's text (title, board, card, participant name,
// announcement, a version), while another workshop's is still there; people still
// connected are told and closed (Socket.IO `workshop:deleted`, board sockets 4410); late
// writes bring nothing back; only the facilitator may delete; saved templates stay.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { addCard, listSections, sectionBody } from '../../shared/board.js';
import { CloseCode } from '../../shared/close-codes.js';
import { boardDocName } from '../../shared/doc-name.js';
import { WorkshopDeletedError } from '../../server/workshops/erased-workshops.js';
import { createRelatoriaServer } from '../../server/server.js';
import { PostgresStore } from '../../server/store/postgres.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { api, createWorkshop, joinWorkshop } from '../helpers/api.js';
import { barrier } from '../helpers/board.js';
import { connectSocket } from '../helpers/facilitation.js';
import { CapturingLogger } from '../helpers/logger.js';
import { boardUrl, openRaw, syncStep2 } from '../helpers/raw-ws.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { nextClose, syncedClient, type BoardClient } from '../helpers/yclient.js';
import { FIXTURES_DIR } from '../support/fixtures.js';
import { postgresUrl } from '../support/requires.js';

/** A word nobody else writes: found in the files only if this workshop put it there. */
const word = (what: string) => `Quimbaya${what}${randomBytes(6).toString('hex')}`;

/** Which of `words` some file of `dir` holds, as bytes (relatoria.db, -wal, -shm, anything else). */
function wordsOnDisk(dir: string, words: string[]): string[] {
  const files = readdirSync(dir).map((f) => readFileSync(join(dir, f)));
  return words.filter((w) => files.some((bytes) => bytes.includes(Buffer.from(w, 'utf8'))));
}

function writeParagraph(client: BoardClient, text: string): void {
  const body = sectionBody(client.doc, listSections(client.doc)[0]!.id)!;
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  body.push([p]);
}

/** A workshop used the way a real one is, every kind of text in it carrying a unique word. */
async function usedWorkshop(t: TestServer) {
  const words = { title: word('Titulo'), board: word('Tablero'), card: word('Tarjeta'), name: word('Nombre'), announcement: word('Aviso') };
  const w = await createWorkshop(t.url, { title: `Taller ${words.title}`, groups: [{ name: 'Grupo B: Cambio Sistémico' }, { name: 'Grupo D' }] });
  const board = { workshopId: w.id, groupId: w.groups[0]!.id };
  const ana = await joinWorkshop(t.url, w, board.groupId, `Ana ${words.name}`);
  const writer = await syncedClient(t.wsUrl, board, ana.token);
  const watcher = await syncedClient(t.wsUrl, board, w.facilitatorToken);
  writeParagraph(writer, `El cambio sistémico: ${words.board}.`);
  addCard(writer.doc, { text: `Idea ${words.card}`, author: `Ana ${words.name}` });
  // Enough updates that compaction runs (compactEvery: 5) and deletes updates before the workshop is deleted.
  for (let i = 0; i < 12; i++) addCard(writer.doc, { text: `idea ${i}`, author: 'Ana' });
  await barrier(writer, [watcher]);
  expect((await api(t.url, 'POST', `/api/workshops/${w.id}/groups/${board.groupId}/versions`, { token: ana.token, json: { label: 'Antes' } })).status).toBe(201);
  const facilitator = await connectSocket(t.url, w.facilitatorToken);
  expect(await facilitator.command({ type: 'announce', text: `Plenaria ${words.announcement}`, groupId: null })).toEqual({ ok: true });
  return { w, board, ana, writer, watcher, facilitator, words: Object.values(words) };
}

describe('deleting a workshop', () => {
  it('leaves none of its text in any file of the data directory, while another workshop keeps its own', async () => {
    const t = await startServer({ compactEvery: 5 });
    const doomed = await usedWorkshop(t);
    const kept = await usedWorkshop(t);
    const participantSocket = await connectSocket(t.url, doomed.ana.token);
    expect(wordsOnDisk(t.dataDir, [...doomed.words, ...kept.words])).toEqual([...doomed.words, ...kept.words]);

    const closing = nextClose(doomed.writer.provider);
    const deleted = await api(t.url, 'DELETE', `/api/workshops/${doomed.w.id}`, { token: doomed.w.facilitatorToken });
    expect(deleted.status).toBe(204);

    // Everyone still connected was told, and closed.
    expect(await closing).toBe(CloseCode.WorkshopDeleted);
    for (const socket of [doomed.facilitator, participantSocket]) {
      await socket.next('workshop:deleted');
      await waitFor(() => socket.socket.disconnected, 5_000, 'the socket to be closed');
    }
    // Not one byte of its text is left, in the database, its WAL or its shared memory file.
    expect(wordsOnDisk(t.dataDir, doomed.words)).toEqual([]);
    expect(wordsOnDisk(t.dataDir, kept.words)).toEqual(kept.words);
    expect(readdirSync(t.dataDir).sort()).toEqual(['relatoria.db', 'relatoria.db-shm', 'relatoria.db-wal']);

    // Nothing of it is in memory, and the other workshop goes on.
    expect(t.server.registry.holdsWorkshop(doomed.w.id)).toBe(false);
    expect(t.server.sessions.peek(doomed.w.id)).toBeUndefined();
    await expect(t.server.registry.open(boardDocName(doomed.board))).rejects.toThrow(WorkshopDeletedError);
    addCard(kept.writer.doc, { text: 'sigue', author: 'Ana' });
    await barrier(kept.writer, [kept.watcher]);
    expect(await kept.facilitator.command({ type: 'lock:set', groupId: kept.board.groupId, locked: true })).toEqual({ ok: true });

    // Its links no longer open anything.
    expect((await api(t.url, 'GET', `/api/workshops/${doomed.w.id}`, { token: doomed.w.facilitatorToken })).status).toBe(401);
    expect((await openRaw(boardUrl(t.wsUrl, doomed.board, doomed.ana.token)).closed).code).toBe(CloseCode.Unauthorized);
    expect((await api(t.url, 'DELETE', `/api/workshops/${doomed.w.id}`, { token: doomed.w.facilitatorToken })).status).toBe(401);
  });

  it('a client writing while the workshop is deleted brings nothing of it back', async () => {
    const t = await startServer();
    const w = await createWorkshop(t.url);
    const board = { workshopId: w.id, groupId: w.groups[0]!.id };
    const ana = await joinWorkshop(t.url, w, board.groupId, 'Ana');
    const writer = await syncedClient(t.wsUrl, board, ana.token);
    let writing = true;
    const typing = (async () => {
      for (let i = 0; writing; i++) {
        addCard(writer.doc, { text: `tarde ${i}`, author: 'Ana' });
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    // And new connections, one after another, each sending an edit as soon as it opens:
    // some arrive while the deletion is under way (authenticated, the board not yet open).
    const connecting = (async () => {
      for (let i = 0; writing; i++) {
        const doc = new Y.Doc();
        addCard(doc, { text: `recién llegada ${i}`, author: 'Ana' });
        const raw = openRaw(boardUrl(t.wsUrl, board, ana.token));
        raw.ws.once('open', () => raw.send(syncStep2(Y.encodeStateAsUpdate(doc))));
        await Promise.race([raw.closed, new Promise((resolve) => setTimeout(resolve, 5))]);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await api(t.url, 'DELETE', `/api/workshops/${w.id}`, { token: w.facilitatorToken })).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the client keeps typing into its closed board
    writing = false;
    await Promise.all([typing, connecting]);
    await new Promise((resolve) => setTimeout(resolve, 200)); // whatever was still on its way
    const left = (table: string) => (t.store.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE doc LIKE ?`).get(`${w.id}/%`) as { n: number }).n;
    expect({ updates: left('doc_updates'), snapshots: left('doc_snapshots'), versions: left('doc_versions') }).toEqual({ updates: 0, snapshots: 0, versions: 0 });
    expect(writer.closeCodes).toContain(CloseCode.WorkshopDeleted);
  });

  it('only its facilitator may delete it; a template saved from it stays', async () => {
    const t = await startServer();
    const w = await createWorkshop(t.url);
    const other = await createWorkshop(t.url);
    const ana = await joinWorkshop(t.url, w, w.groups[0]!.id, 'Ana');
    const projector = await connectSocket(t.url, w.facilitatorToken).then(async (f) => {
      const reply = await f.command({ type: 'link:create', role: 'projector' });
      return reply.ok ? decodeURIComponent(reply.link!.split('#k=')[1]!) : '';
    });
    const del = (token?: string) => api(t.url, 'DELETE', `/api/workshops/${w.id}`, token === undefined ? {} : { token });
    expect((await del()).status).toBe(401);
    expect((await del(ana.token)).status).toBe(403);
    expect((await del(projector)).status).toBe(403);
    expect((await del(other.facilitatorToken)).status).toBe(403);
    expect((await api(t.url, 'GET', `/api/workshops/${w.id}`, { token: w.facilitatorToken })).status).toBe(200);

    const template = await api(t.url, 'POST', `/api/workshops/${w.id}/template`, { token: w.facilitatorToken, json: { name: 'Nuestro formato' } });
    expect((await del(w.facilitatorToken)).status).toBe(204);
    const saved = await api(t.url, 'GET', `/api/templates?saved=${template.body.id}`);
    expect(saved.body.map((x: { id: string }) => x.id)).toContain(template.body.id);
    expect((await api(t.url, 'GET', `/api/workshops/${other.id}`, { token: other.facilitatorToken })).status).toBe(200);
  });
});

describe('a database made before secure deletes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relatoria-vacuum-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is vacuumed once on upgrade, so what was deleted before leaves its free pages', async () => {
    const file = join(dir, 'relatoria.db');
    copyFileSync(join(FIXTURES_DIR, 'legacy', 'sqlite-v0.db'), file);
    const secret = word('Borrado');
    // The code of before deleted without overwriting: compacted updates stayed in free pages.
    const before = new Database(file);
    before.pragma('journal_mode = WAL');
    before.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)').run('x/y', Buffer.from(secret.repeat(200)));
    before.prepare('DELETE FROM doc_updates WHERE doc = ?').run('x/y');
    before.pragma('wal_checkpoint(TRUNCATE)');
    before.close();
    expect(wordsOnDisk(dir, [secret])).toEqual([secret]);

    const store = new SqliteStore(file);
    expect(wordsOnDisk(dir, [secret])).toEqual([]);
    expect(await store.getWorkshop('pkKYX7kiAuk1')).not.toBeNull();
    await store.close();
  });
});

const pgUrl = await postgresUrl();

describe.skipIf(pgUrl === null)('deleting a workshop on PostgreSQL', () => {
  const schema = `deletion_${process.pid}_${Date.now()}`;
  let store: PostgresStore | null = null;
  afterAll(async () => {
    await store?.dropSchema();
    await store?.close();
  });

  it('removes every row of it, in every table, and none of another workshop', async () => {
    store = await PostgresStore.open(pgUrl!, schema);
    const server = createRelatoriaServer({ store, log: new CapturingLogger(), secret: 'pg-delete', clientDir: '/nonexistent', compactEvery: 5 });
    const base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
    const t = { url: base, wsUrl: base.replace('http', 'ws') } as TestServer;
    try {
      const doomed = await usedWorkshop(t);
      const kept = await usedWorkshop(t);
      expect((await api(base, 'DELETE', `/api/workshops/${doomed.w.id}`, { token: doomed.w.facilitatorToken })).status).toBe(204);
      const pool = new pg.Pool({ connectionString: pgUrl!, max: 1 });
      const rows = async (id: string) => {
        const count = async (sql: string) => Number((await pool.query<{ n: string }>(sql, [id])).rows[0]!.n);
        const out: Record<string, number> = {};
        for (const table of ['doc_updates', 'doc_snapshots', 'doc_versions']) out[table] = await count(`SELECT COUNT(*) AS n FROM ${schema}.${table} WHERE starts_with(doc, $1 || '/')`);
        for (const table of ['sessions', 'participants', 'groups']) out[table] = await count(`SELECT COUNT(*) AS n FROM ${schema}.${table} WHERE workshop_id = $1`);
        out.workshops = await count(`SELECT COUNT(*) AS n FROM ${schema}.workshops WHERE id = $1`);
        return out;
      };
      expect(Object.values(await rows(doomed.w.id)).every((n) => n === 0)).toBe(true);
      const other = await rows(kept.w.id);
      expect(other).toMatchObject({ sessions: 1, participants: 1, groups: 2, workshops: 1 });
      expect(other.doc_versions).toBeGreaterThan(0);
      expect(other.doc_updates! + other.doc_snapshots!).toBeGreaterThan(0);
      await pool.end();
    } finally {
      await server.close();
    }
  });
});
