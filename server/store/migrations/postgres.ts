// The PostgreSQL schema, as a list of migrations applied under an advisory lock, so nodes
// starting together migrate once. Version 1 is the schema every
// database had before migrations existed (`IF NOT EXISTS`: such a database adopts it as is).
import type pg from 'pg';
import { pending, type Migration } from './migration.js';

/** A migration gets the schema name (already checked to be a safe identifier). */
export type PostgresMigration = Migration<(s: string) => string>;

export const POSTGRES_MIGRATIONS: PostgresMigration[] = [
  {
    version: 1,
    name: 'workshops, groups, participants, sessions, board updates and snapshots, templates, versions',
    up: (s) => `
CREATE TABLE IF NOT EXISTS ${s}.workshops (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, place TEXT NOT NULL DEFAULT '', language TEXT NOT NULL,
  join_code TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS ${s}.groups (
  id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL REFERENCES ${s}.workshops(id),
  name TEXT NOT NULL, question TEXT NOT NULL, position INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS groups_by_workshop ON ${s}.groups (workshop_id, position);
CREATE TABLE IF NOT EXISTS ${s}.participants (
  id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL REFERENCES ${s}.workshops(id),
  group_id TEXT NOT NULL, name TEXT NOT NULL, joined_at BIGINT NOT NULL, removed_at BIGINT);
CREATE INDEX IF NOT EXISTS participants_by_workshop ON ${s}.participants (workshop_id, joined_at);
CREATE TABLE IF NOT EXISTS ${s}.sessions (workshop_id TEXT PRIMARY KEY REFERENCES ${s}.workshops(id), data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ${s}.doc_updates (seq BIGSERIAL PRIMARY KEY, doc TEXT NOT NULL, data BYTEA NOT NULL);
CREATE INDEX IF NOT EXISTS doc_updates_by_doc ON ${s}.doc_updates (doc, seq);
CREATE TABLE IF NOT EXISTS ${s}.templates (seq BIGSERIAL, id TEXT PRIMARY KEY, data TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS ${s}.doc_versions (
  seq BIGSERIAL, id TEXT PRIMARY KEY, doc TEXT NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL,
  created_at BIGINT NOT NULL, created_by TEXT NOT NULL, data BYTEA NOT NULL);
CREATE INDEX IF NOT EXISTS doc_versions_by_doc ON ${s}.doc_versions (doc, created_at);
CREATE TABLE IF NOT EXISTS ${s}.doc_snapshots (doc TEXT PRIMARY KEY, data BYTEA NOT NULL, through_seq BIGINT NOT NULL);
`,
  },
  {
    version: 2,
    name: 'participants remember the device they joined from (a removed one cannot rejoin from it)',
    up: (s) => `
ALTER TABLE ${s}.participants ADD COLUMN device_hash TEXT;
CREATE INDEX participants_by_device ON ${s}.participants (workshop_id, device_hash);
`,
  },
  {
    version: 3,
    name: 'when each workshop was last used, for retention',
    // Workshops of before count as used when this migration runs (see the SQLite twin).
    up: (s) => `
ALTER TABLE ${s}.workshops ADD COLUMN last_activity_at BIGINT NOT NULL DEFAULT 0;
UPDATE ${s}.workshops SET last_activity_at = (extract(epoch FROM now()) * 1000)::bigint;
CREATE INDEX workshops_by_activity ON ${s}.workshops (last_activity_at);
`,
  },
  {
    version: 4,
    name: 'ballots stored apart from the session record (a dot writes one row)',
    up: (s) => `
CREATE TABLE ${s}.ballots (
  workshop_id TEXT NOT NULL, round_id TEXT NOT NULL, participant_id TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (workshop_id, round_id, participant_id));
`,
  },
  {
    version: 5,
    name: 'links: every token issued, its last use, expiry and revocation; joining can be closed',
    up: (s) => `
CREATE TABLE ${s}.links (
  id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL REFERENCES ${s}.workshops(id), role TEXT NOT NULL,
  group_id TEXT, participant_id TEXT, created_at BIGINT NOT NULL, last_used_at BIGINT,
  expires_at BIGINT NOT NULL, revoked_at BIGINT);
CREATE INDEX links_by_workshop ON ${s}.links (workshop_id, created_at);
ALTER TABLE ${s}.workshops ADD COLUMN join_closed BOOLEAN NOT NULL DEFAULT false;
`,
  },
  {
    version: 6,
    name: 'board updates numbered per board (doc_seq, doc_heads): nodes sharing the database detect gaps and compact only what they folded',
    // Updates a snapshot already folded are dropped; the rest are numbered 1, 2, 3… per board
    // in the order they were stored, and every snapshot then folds through 0.
    up: (s) => `
DELETE FROM ${s}.doc_updates u USING ${s}.doc_snapshots sn WHERE u.doc = sn.doc AND u.seq <= sn.through_seq;
ALTER TABLE ${s}.doc_updates ADD COLUMN doc_seq BIGINT;
UPDATE ${s}.doc_updates u SET doc_seq = r.n
  FROM (SELECT seq, ROW_NUMBER() OVER (PARTITION BY doc ORDER BY seq) AS n FROM ${s}.doc_updates) r WHERE u.seq = r.seq;
ALTER TABLE ${s}.doc_updates ALTER COLUMN doc_seq SET NOT NULL;
UPDATE ${s}.doc_snapshots SET through_seq = 0;
CREATE TABLE ${s}.doc_heads (doc TEXT PRIMARY KEY, last_seq BIGINT NOT NULL);
INSERT INTO ${s}.doc_heads (doc, last_seq) SELECT doc, MAX(doc_seq) FROM ${s}.doc_updates GROUP BY doc;
DROP INDEX ${s}.doc_updates_by_doc;
CREATE UNIQUE INDEX doc_updates_by_doc_seq ON ${s}.doc_updates (doc, doc_seq);
`,
  },
];

export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

/** Brings `schema` to the latest version; returns the versions it applied. */
export async function migratePostgres(pool: pg.Pool, schema: string, migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  // One migrator per schema at a time, across every node: the others wait, then find nothing to do.
  const lock = `relatoria-migrate:${schema}`;
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ v: number }>(`SELECT COALESCE(MAX(version), 0)::int AS v FROM ${schema}.schema_migrations`);
    const applied: number[] = [];
    // One transaction each: a failure leaves the schema at the last complete version.
    for (const m of pending(migrations, rows[0]?.v ?? 0)) {
      try {
        await client.query('BEGIN');
        await client.query(m.up(schema));
        await client.query(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]).catch(() => undefined);
    client.release();
  }
}
