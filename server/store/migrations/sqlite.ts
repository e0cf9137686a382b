// The SQLite schema, as a list of migrations. Version 1 is the schema every database had
// before migrations existed: `IF NOT EXISTS` lets a database made then adopt it as is.
import type Database from 'better-sqlite3';
import { pending, type Migration } from './migration.js';

export type SqliteMigration = Migration<string | ((db: Database.Database) => void)>;

export const SQLITE_MIGRATIONS: SqliteMigration[] = [
  {
    version: 1,
    name: 'workshops, groups, participants, sessions, board updates and snapshots, templates, versions',
    up: `
CREATE TABLE IF NOT EXISTS workshops (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, place TEXT NOT NULL DEFAULT '', language TEXT NOT NULL,
  join_code TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS groups (
  id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL REFERENCES workshops(id),
  name TEXT NOT NULL, question TEXT NOT NULL, position INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS groups_by_workshop ON groups (workshop_id, position);
CREATE TABLE IF NOT EXISTS participants (
  id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL REFERENCES workshops(id),
  group_id TEXT NOT NULL, name TEXT NOT NULL, joined_at INTEGER NOT NULL, removed_at INTEGER);
CREATE INDEX IF NOT EXISTS participants_by_workshop ON participants (workshop_id, joined_at);
CREATE TABLE IF NOT EXISTS sessions (workshop_id TEXT PRIMARY KEY REFERENCES workshops(id), data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS doc_updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL, data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS doc_updates_by_doc ON doc_updates (doc, seq);
CREATE TABLE IF NOT EXISTS templates (id TEXT PRIMARY KEY, data TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS doc_versions (
  id TEXT PRIMARY KEY, doc TEXT NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL,
  created_at INTEGER NOT NULL, created_by TEXT NOT NULL, data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS doc_versions_by_doc ON doc_versions (doc, created_at);
CREATE TABLE IF NOT EXISTS doc_snapshots (
  doc TEXT PRIMARY KEY, data BLOB NOT NULL, through_seq INTEGER NOT NULL);
`,
  },
  {
    version: 2,
    name: 'participants remember the device they joined from (a removed one cannot rejoin from it)',
    up: `
ALTER TABLE participants ADD COLUMN device_hash TEXT;
CREATE INDEX participants_by_device ON participants (workshop_id, device_hash);
`,
  },
  {
    version: 3,
    name: 'when each workshop was last used, for retention',
    // Workshops of before have no record of their last use: they count as used when this
    // migration runs, so turning retention on never deletes one sooner than it should.
    up: `
ALTER TABLE workshops ADD COLUMN last_activity_at INTEGER NOT NULL DEFAULT 0;
UPDATE workshops SET last_activity_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
CREATE INDEX workshops_by_activity ON workshops (last_activity_at);
`,
  },
  {
    version: 4,
    name: 'ballots stored apart from the session record (a dot writes one row)',
    up: `
CREATE TABLE ballots (
  workshop_id TEXT NOT NULL, round_id TEXT NOT NULL, participant_id TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (workshop_id, round_id, participant_id));
`,
  },
  {
    version: 5,
    name: 'links: every token issued, its last use, expiry and revocation; joining can be closed',
    up: `
CREATE TABLE links (
  id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL REFERENCES workshops(id), role TEXT NOT NULL,
  group_id TEXT, participant_id TEXT, created_at INTEGER NOT NULL, last_used_at INTEGER,
  expires_at INTEGER NOT NULL, revoked_at INTEGER);
CREATE INDEX links_by_workshop ON links (workshop_id, created_at);
ALTER TABLE workshops ADD COLUMN join_closed INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    version: 6,
    name: 'board updates numbered per board (doc_seq, doc_heads): nodes sharing the database detect gaps and compact only what they folded',
    // As on PostgreSQL (one numbering for both stores): folded updates dropped, the rest
    // numbered per board in stored order, every snapshot folding through 0.
    up: `
DELETE FROM doc_updates WHERE seq <= COALESCE((SELECT through_seq FROM doc_snapshots s WHERE s.doc = doc_updates.doc), 0);
ALTER TABLE doc_updates ADD COLUMN doc_seq INTEGER NOT NULL DEFAULT 0;
UPDATE doc_updates SET doc_seq = r.n
  FROM (SELECT seq, ROW_NUMBER() OVER (PARTITION BY doc ORDER BY seq) AS n FROM doc_updates) AS r WHERE doc_updates.seq = r.seq;
UPDATE doc_snapshots SET through_seq = 0;
CREATE TABLE doc_heads (doc TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
INSERT INTO doc_heads (doc, last_seq) SELECT doc, MAX(doc_seq) FROM doc_updates GROUP BY doc;
DROP INDEX doc_updates_by_doc;
CREATE UNIQUE INDEX doc_updates_by_doc_seq ON doc_updates (doc, doc_seq);
`,
  },
  {
    version: 7,
    name: 'board updates without AUTOINCREMENT: an append no longer writes the sqlite_sequence row',
    // The global number (seq, AUTOINCREMENT) has ordered nothing since version 6 (doc_seq
    // does), yet each append also rewrote its sqlite_sequence row: one WAL page more a
    // commit, 13.0 → 9.0 KB and 34 → 29 µs for a typing update (bench/RESULTS.md). The rows
    // keep SQLite's own rowid. Keyed by (doc, doc_seq) alone (WITHOUT ROWID) a lone append
    // would write less still, but a commit of several boards' updates, or of updates past
    // ~1 KB, writes more: each board's rows then sit on pages of their own.
    up: `
CREATE TABLE doc_updates_v7 (doc TEXT NOT NULL, doc_seq INTEGER NOT NULL, data BLOB NOT NULL);
INSERT INTO doc_updates_v7 (rowid, doc, doc_seq, data) SELECT seq, doc, doc_seq, data FROM doc_updates;
DROP TABLE doc_updates;
ALTER TABLE doc_updates_v7 RENAME TO doc_updates;
CREATE UNIQUE INDEX doc_updates_by_doc_seq ON doc_updates (doc, doc_seq);
`,
  },
];

/**
 * From this version on the store deletes securely (PRAGMA secure_delete): a database made
 * before it is vacuumed once when it gets there, so free pages left by earlier deletes
 * (board updates compacted away) hold nothing of what a deleted workshop wrote.
 */
export const SECURE_DELETE_SINCE = 3;

export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

/** Brings the database to the latest schema; returns the versions it applied. */
export function migrateSqlite(db: Database.Database, migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied: number[] = [];
  const current = () => (db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number }).v;
  for (const m of pending(migrations, current())) {
    // One transaction each, IMMEDIATE: a second process starting at once waits, then skips
    // what the first applied; a failure leaves the database at the last complete version.
    db.transaction(() => {
      if (current() >= m.version) return;
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
      applied.push(m.version);
    }).immediate();
  }
  return applied;
}

/** The schema version the database is at (0 before any migration). */
export function sqliteSchemaVersion(db: Database.Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return 0;
  return (db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number }).v;
}
