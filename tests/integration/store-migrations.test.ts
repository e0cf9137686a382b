// Schema migrations, on both stores: from an empty database, and from a database made by
// the code of main before migrations existed (tests/fixtures/legacy, see its README), which
// must open and keep everything: workshop, people, session, boards, versions, templates.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../server/auth/tokens.js';
import { createRelatoriaServer } from '../../server/server.js';
import { SchemaTooNewError } from '../../server/store/migrations/migration.js';
import { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION, migratePostgres } from '../../server/store/migrations/postgres.js';
import { SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION, migrateSqlite, sqliteSchemaVersion } from '../../server/store/migrations/sqlite.js';
import { PostgresStore } from '../../server/store/postgres.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/store.js';
import { api } from '../helpers/api.js';
import { CapturingLogger } from '../helpers/logger.js';
import { FIXTURES_DIR } from '../support/fixtures.js';
import { postgresUrl } from '../support/requires.js';

const LEGACY = join(FIXTURES_DIR, 'legacy');

interface LegacyFixture {
  secret: string;
  workshopId: string;
  joinCode: string;
  facilitatorToken: string;
  groups: Array<{ id: string; name: string }>;
  participants: Array<{ id: string; name: string }>;
  templateId: string;
  cards: string[];
  paragraph: string;
  versionLabel: string;
  announcement: string;
  lockedGroup: string;
  votedCard: string;
}
const legacy = (kind: 'sqlite' | 'postgres') => JSON.parse(readFileSync(join(LEGACY, `${kind}-v0.json`), 'utf8')) as LegacyFixture;

/** Serves `store` and checks that everything the legacy workshop held is there. */
async function expectLegacyWorkshopKept(store: Store, f: LegacyFixture): Promise<void> {
  const server = createRelatoriaServer({ store, log: new CapturingLogger(), secret: f.secret, clientDir: '/nonexistent' });
  const url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  try {
    const joined = await api(url, 'GET', `/api/join/${f.joinCode}`);
    expect(joined.status).toBe(200);
    expect(joined.body.groups.map((g: { name: string }) => g.name)).toEqual(f.groups.map((g) => g.name));

    // The facilitator's link of that time still opens the console.
    const view = await api(url, 'GET', `/api/workshops/${f.workshopId}`, { token: f.facilitatorToken });
    expect(view.status).toBe(200);
    expect(view.body.roster.map((r: { name: string }) => r.name).sort()).toEqual(f.participants.map((p) => p.name).sort());
    expect(view.body.session.lockedGroups).toEqual([f.lockedGroup]);
    expect(view.body.session.round.status).toBe('closed');
    expect(view.body.session.round.ranking[0]).toMatchObject({ cardId: f.votedCard, dots: 2 });

    // A participant stored then is still one (tokens are minted here: those of the day expire).
    const token = await createTokenSigner(f.secret).sign({ workshopId: f.workshopId, role: 'participant', participantId: f.participants[0]!.id });
    expect((await api(url, 'GET', '/api/me', { token })).body).toMatchObject({ role: 'participant', name: f.participants[0]!.name, groupId: f.groups[0]!.id });

    // The board: snapshot and the updates after it.
    const archive = await api(url, 'GET', `/api/workshops/${f.workshopId}/export?format=json`, { token: f.facilitatorToken });
    expect(archive.status).toBe(200);
    const text = JSON.stringify(archive.body);
    for (const card of f.cards) expect(text).toContain(card);
    expect(text).toContain(f.paragraph);

    const versions = await api(url, 'GET', `/api/workshops/${f.workshopId}/groups/${f.groups[0]!.id}/versions`, { token: f.facilitatorToken });
    expect(versions.body.map((v: { label: string }) => v.label)).toContain(f.versionLabel);
    const templates = await api(url, 'GET', `/api/templates?saved=${f.templateId}`);
    expect(templates.body.map((t: { id: string }) => t.id)).toContain(f.templateId);

    // Migration 5: joining is open; the facilitator's link of that time (no jti, no exp) was
    // recorded at its first use, with a lifetime from then, and can be revoked like any.
    const joining = await api(url, 'GET', `/api/workshops/${f.workshopId}/joining`, { token: f.facilitatorToken });
    expect(joining.body).toEqual({ open: true, joinCode: f.joinCode });
    const links = await api(url, 'GET', `/api/workshops/${f.workshopId}/links`, { token: f.facilitatorToken });
    const own = (links.body as Array<{ id: string; role: string; current?: boolean; expiresAt: number }>).find((l) => l.current);
    expect(own).toMatchObject({ role: 'facilitator' });
    expect(own!.expiresAt).toBeGreaterThan(Date.now() + 29 * 24 * 3_600_000);
    expect((await api(url, 'DELETE', `/api/workshops/${f.workshopId}/links/${own!.id}`, { token: f.facilitatorToken })).status).toBe(204);
    expect((await api(url, 'GET', `/api/workshops/${f.workshopId}`, { token: f.facilitatorToken })).status).toBe(401);
  } finally {
    await server.close();
  }
}

describe('SQLite migrations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relatoria-migrate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an empty file gets every migration, in order, recorded with its name; opening again applies none', async () => {
    const file = join(dir, 'empty.db');
    const store = new SqliteStore(file);
    const rows = store.db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as Array<{ version: number; name: string }>;
    expect(rows.map((r) => r.version)).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
    expect(rows.every((r) => r.name.length > 0)).toBe(true);
    await store.close();
    const again = new Database(file);
    expect(migrateSqlite(again)).toEqual([]);
    expect(sqliteSchemaVersion(again)).toBe(SQLITE_SCHEMA_VERSION);
    again.close();
  });

  it('a database made before migrations opens, is brought to the latest version, and keeps everything', async () => {
    const file = join(dir, 'legacy.db');
    copyFileSync(join(LEGACY, 'sqlite-v0.db'), file);
    const before = new Database(file, { readonly: true });
    expect(sqliteSchemaVersion(before)).toBe(0);
    before.close();
    const store = new SqliteStore(file);
    expect(sqliteSchemaVersion(store.db)).toBe(SQLITE_SCHEMA_VERSION);
    await expectLegacyWorkshopKept(store, legacy('sqlite'));
    await store.close();
  });

  it('migration 5 reaches a database at version 4 with its workshops: joining open, links recorded from then on', async () => {
    const file = join(dir, 'v3.db');
    const db = new Database(file);
    migrateSqlite(db, SQLITE_MIGRATIONS.slice(0, 4));
    db.prepare("INSERT INTO workshops (id, title, place, language, join_code, created_at) VALUES ('w3', 'Taller', '', 'es', 'ABC234', 1)").run();
    db.close();
    const store = new SqliteStore(file);
    expect(sqliteSchemaVersion(store.db)).toBe(SQLITE_SCHEMA_VERSION);
    expect(await store.getWorkshop('w3')).toMatchObject({ joinCode: 'ABC234', joinClosed: false });
    const link = { id: 'l1', workshopId: 'w3', role: 'projector' as const, groupId: null, participantId: null, createdAt: 5, lastUsedAt: null, expiresAt: 10, revokedAt: null };
    await store.addLink(link);
    expect(await store.listLinks('w3')).toEqual([link]);
    await store.close();
  });

  it('migration 7 keeps every board update with its number, drops AUTOINCREMENT, and appends go on from there', async () => {
    const file = join(dir, 'v6.db');
    const db = new Database(file);
    migrateSqlite(db, SQLITE_MIGRATIONS.slice(0, 6));
    const insert = db.prepare('INSERT INTO doc_updates (doc, doc_seq, data) VALUES (?, ?, ?)');
    const large = Buffer.alloc(200_000, 5); // a paste: past a page, into overflow pages (copied whole)
    for (const [doc, seq, data] of [['w/a', 1, Buffer.from([1])], ['w/b', 1, Buffer.from([2])], ['w/a', 2, large], ['w/a', 3, Buffer.from([3])]] as const) insert.run(doc, seq, data);
    db.close();
    const store = new SqliteStore(file);
    expect(sqliteSchemaVersion(store.db)).toBe(SQLITE_SCHEMA_VERSION);
    const { sql } = store.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'doc_updates'").get() as { sql: string };
    expect(sql).not.toMatch(/AUTOINCREMENT/i);
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM sqlite_sequence WHERE name = 'doc_updates'").get()).toEqual({ n: 0 });
    const a = await store.loadDoc('w/a');
    expect(a.updates.map((u) => [...u.subarray(0, 1), u.byteLength])).toEqual([[1, 1], [5, 200_000], [3, 1]]);
    expect(a.lastSeq).toBe(3);
    expect(await store.appendUpdate('w/a', new Uint8Array([4]))).toBe(4);
    expect(await store.appendUpdate('w/b', new Uint8Array([5]))).toBe(2);
    await expect(Promise.resolve().then(() => store.db.prepare('INSERT INTO doc_updates (doc, doc_seq, data) VALUES (?, ?, ?)').run('w/a', 4, Buffer.from([9])))).rejects.toThrow(/UNIQUE/);
    await store.close();
  });

  it('a migration that fails leaves the database at the last complete version, with nothing of it applied', () => {
    const db = new Database(join(dir, 'failing.db'));
    const broken = [...SQLITE_MIGRATIONS, { version: SQLITE_MIGRATIONS.length + 1, name: 'half done', up: 'CREATE TABLE half (x); SELECT no_such_function();' }];
    expect(() => migrateSqlite(db, broken)).toThrow(/no_such_function/);
    expect(sqliteSchemaVersion(db)).toBe(SQLITE_SCHEMA_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    db.close();
  });

  it('a database newer than this code is refused with a message that says so', () => {
    const file = join(dir, 'newer.db');
    new SqliteStore(file, { groupCommit: false }).db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(SQLITE_SCHEMA_VERSION + 1, 'from the future', Date.now());
    expect(() => new SqliteStore(file)).toThrow(SchemaTooNewError);
    expect(() => new SqliteStore(file)).toThrow(/run a newer release/);
  });
});

describe('PostgreSQL migrations', async () => {
  const url = await postgresUrl();
  const schema = `migrate_${process.pid}_${Date.now()}`;
  const admin = url ? new pg.Pool({ connectionString: url, max: 2 }) : null;
  afterAll(async () => {
    for (const s of [schema, `${schema}_legacy`, `${schema}_newer`]) await admin?.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await admin?.end();
  });

  it.skipIf(!url)('an empty schema gets every migration; two nodes starting at once migrate it once', async () => {
    const [a, b] = await Promise.all([migratePostgres(admin!, schema), migratePostgres(admin!, schema)]);
    expect([...a, ...b].sort()).toEqual(Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1));
    const { rows } = await admin!.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it.skipIf(!url)('a schema made before migrations opens, is migrated, and keeps everything', async () => {
    const target = `${schema}_legacy`;
    const dump = readFileSync(join(LEGACY, 'postgres-v0.sql'), 'utf8').replaceAll('legacy_v0', target);
    await admin!.query(dump);
    const store = await PostgresStore.open(url!, target);
    const { rows } = await admin!.query(`SELECT COUNT(*)::int AS n FROM ${target}.schema_migrations`);
    expect(rows[0].n).toBe(POSTGRES_SCHEMA_VERSION);
    try {
      await expectLegacyWorkshopKept(store, legacy('postgres'));
    } finally {
      await store.close();
    }
  });

  it.skipIf(!url)('migration 5 reaches a schema at version 4 with its workshops: joining open, links recorded from then on', async () => {
    const target = `${schema}_v3`;
    await migratePostgres(admin!, target, POSTGRES_MIGRATIONS.slice(0, 4));
    await admin!.query(`INSERT INTO ${target}.workshops (id, title, place, language, join_code, created_at) VALUES ('w3', 'Taller', '', 'es', 'ABC234', 1)`);
    const store = await PostgresStore.open(url!, target);
    try {
      expect(await store.getWorkshop('w3')).toMatchObject({ joinCode: 'ABC234', joinClosed: false });
      const link = { id: 'l1', workshopId: 'w3', role: 'projector' as const, groupId: null, participantId: null, createdAt: 5, lastUsedAt: null, expiresAt: 10, revokedAt: null };
      await store.addLink(link);
      expect(await store.listLinks('w3')).toEqual([link]);
      expect(await store.revokeLink('w3', 'l1', 7)).toMatchObject({ revokedAt: 7 });
      expect(await store.revokeLink('other', 'l1', 8)).toBe(null);
    } finally {
      await store.dropSchema();
      await store.close();
    }
  });

  it.skipIf(!url)('a schema newer than this code is refused', async () => {
    const target = `${schema}_newer`;
    await migratePostgres(admin!, target);
    await admin!.query(`INSERT INTO ${target}.schema_migrations (version, name) VALUES ($1, 'from the future')`, [POSTGRES_SCHEMA_VERSION + 1]);
    await expect(PostgresStore.open(url!, target)).rejects.toThrow(SchemaTooNewError);
  });
});
