// The embedded default store: one SQLite file in DATA_DIR, WAL mode.
// synchronous=NORMAL in WAL survives a killed process (kill -9); only a power cut
// can lose the last transactions, which the OS had not yet flushed.
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { asLanguage, type Group, type Participant, type Workshop } from '../../shared/model.js';
import type { LinkRecord, Store, StoredDoc } from './store.js';
import type { VersionInfo, VersionKind } from '../../shared/history.js';
import type { Template } from '../../shared/templates.js';
import type { Logger } from '../lib/logger.js';
import { HEAD_SQL, SqliteGroupCommit, type CommitObserver } from './sqlite-group-commit.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import { SECURE_DELETE_SINCE, migrateSqlite } from './migrations/sqlite.js';

interface WorkshopRow { id: string; title: string; place: string; language: string; join_code: string; created_at: number; join_closed: number }
interface GroupRow { id: string; name: string; question: string; position: number }
interface VersionRow { id: string; kind: string; label: string; created_at: number; created_by: string }
const toVersion = (r: VersionRow): VersionInfo => ({ id: r.id, kind: r.kind as VersionKind, label: r.label, createdAt: r.created_at, createdBy: r.created_by });
interface ParticipantRow { id: string; workshop_id: string; group_id: string; name: string; joined_at: number; removed_at: number | null }

const toWorkshop = (r: WorkshopRow): Workshop => ({
  id: r.id, title: r.title, place: r.place, language: asLanguage(r.language), joinCode: r.join_code, createdAt: r.created_at,
  joinClosed: r.join_closed === 1,
});
interface LinkRow {
  id: string; workshop_id: string; role: string; group_id: string | null; participant_id: string | null;
  created_at: number; last_used_at: number | null; expires_at: number; revoked_at: number | null;
}
const toLink = (r: LinkRow): LinkRecord => ({
  id: r.id, workshopId: r.workshop_id, role: r.role as LinkRecord['role'], groupId: r.group_id, participantId: r.participant_id,
  createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at, revokedAt: r.revoked_at,
});
const toParticipant = (r: ParticipantRow): Participant => ({
  id: r.id, workshopId: r.workshop_id, groupId: r.group_id, name: r.name, joinedAt: r.joined_at, removedAt: r.removed_at,
});
/**
 * Set on the store's connection to the file. secure_delete
 * overwrites what is deleted (compacted updates, a deleted workshop) instead of leaving it
 * in free pages, so deleting a workshop erases its text from the file.
 */
const CONNECTION_PRAGMAS = ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000', 'foreign_keys = ON', 'secure_delete = ON'];
const APPEND_UPDATE = 'INSERT INTO doc_updates (doc, doc_seq, data) VALUES (?, ?, ?)';
/** How long a workshop's deletion waits for the checkpoint lock, and between tries. */
const TRUNCATE_PATIENCE_MS = 5000;
const TRUNCATE_RETRY_MS = 2;

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export interface SqliteStoreOptions {
  /**
   * Commit the board updates of one turn of the event loop together (the default). Off for
   * tools that write a history straight into the file inside their own transaction: each
   * append is then made at once, in the caller's transaction.
   */
  groupCommit?: boolean;
  /** Told of each group commit, and why it was made then (the server's metrics). */
  onCommit?: CommitObserver;
  /**
   * Checkpoint the WAL on a thread of its own instead of in the commit that fills it
   * (sqlite-checkpointer.ts): what the server does; tests and tools keep SQLite's own.
   */
  checkpointThread?: { log?: Logger; everyMs?: number };
}

export class SqliteStore implements Store {
  /** Exposed for tests that need to provoke storage failures (e.g. PRAGMA max_page_count). */
  readonly db: Database.Database;
  readonly #q;
  readonly #group: SqliteGroupCommit | null;
  readonly #checkpointer: SqliteCheckpointer | null;

  constructor(file: string, options: SqliteStoreOptions = {}) {
    this.db = new Database(file);
    for (const pragma of CONNECTION_PRAGMAS) this.db.pragma(pragma);
    try {
      const hadData = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'workshops'").get() !== undefined;
      const applied = migrateSqlite(this.db);
      // A database of before secure deletes: once, rewrite it without what its deletes left behind.
      if (hadData && applied.includes(SECURE_DELETE_SINCE)) this.#vacuum();
    } catch (err) {
      this.db.close();
      throw err;
    }
    const db = this.db;
    this.#q = {
      insertWorkshop: db.prepare('INSERT INTO workshops (id, title, place, language, join_code, created_at, last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertGroup: db.prepare('INSERT INTO groups (id, workshop_id, name, question, position) VALUES (?, ?, ?, ?, ?)'),
      workshop: db.prepare<[string], WorkshopRow>('SELECT * FROM workshops WHERE id = ?'),
      workshopByCode: db.prepare<[string], WorkshopRow>('SELECT * FROM workshops WHERE join_code = ?'),
      groups: db.prepare<[string], GroupRow>('SELECT id, name, question, position FROM groups WHERE workshop_id = ? ORDER BY position'),
      insertParticipant: db.prepare('INSERT INTO participants (id, workshop_id, group_id, name, joined_at, device_hash) VALUES (?, ?, ?, ?, ?, ?)'),
      removedDevice: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM participants WHERE workshop_id = ? AND device_hash = ? AND removed_at IS NOT NULL LIMIT 1'),
      participant: db.prepare<[string], ParticipantRow>('SELECT * FROM participants WHERE id = ?'),
      participants: db.prepare<[string], ParticipantRow>('SELECT * FROM participants WHERE workshop_id = ? ORDER BY joined_at'),
      moveParticipant: db.prepare('UPDATE participants SET group_id = ? WHERE id = ?'),
      removeParticipant: db.prepare('UPDATE participants SET removed_at = ? WHERE id = ? AND removed_at IS NULL'),
      session: db.prepare<[string], { data: string }>('SELECT data FROM sessions WHERE workshop_id = ?'),
      saveSession: db.prepare('INSERT INTO sessions (workshop_id, data) VALUES (?, ?) ON CONFLICT (workshop_id) DO UPDATE SET data = excluded.data'),
      saveBallot: db.prepare('INSERT INTO ballots (workshop_id, round_id, participant_id, data) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET data = excluded.data'),
      ballots: db.prepare<[string, string], { participant_id: string; data: string }>('SELECT participant_id, data FROM ballots WHERE workshop_id = ? AND round_id = ?'),
      pruneBallots: db.prepare('DELETE FROM ballots WHERE workshop_id = ? AND round_id <> ?'),
      deleteBallots: db.prepare('DELETE FROM ballots WHERE workshop_id = ?'),
      saveTemplate: db.prepare('INSERT INTO templates (id, data, created_at) VALUES (?, ?, ?)'),
      template: db.prepare<[string], { data: string }>('SELECT data FROM templates WHERE id = ?'),
      addVersion: db.prepare('INSERT INTO doc_versions (id, doc, kind, label, created_at, created_by, data) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      versions: db.prepare<[string], VersionRow>('SELECT id, kind, label, created_at, created_by FROM doc_versions WHERE doc = ? ORDER BY created_at DESC, rowid DESC'),
      deleteVersion: db.prepare<[string, string]>('DELETE FROM doc_versions WHERE doc = ? AND id = ?'),
      version: db.prepare<[string, string], VersionRow & { data: Buffer }>('SELECT id, kind, label, created_at, created_by, data FROM doc_versions WHERE doc = ? AND id = ?'),
      head: db.prepare<[{ doc: string }], { head: number | null }>(HEAD_SQL),
      append: db.prepare<[string, number, Uint8Array]>(APPEND_UPDATE),
      snapshot: db.prepare<[string], { data: Buffer; through_seq: number }>('SELECT data, through_seq FROM doc_snapshots WHERE doc = ?'),
      updatesAfter: db.prepare<[string, number], { seq: number; data: Buffer }>('SELECT doc_seq AS seq, data FROM doc_updates WHERE doc = ? AND doc_seq > ? ORDER BY doc_seq'),
      upsertSnapshot: db.prepare(
        'INSERT INTO doc_snapshots (doc, data, through_seq) VALUES (?, ?, ?) ON CONFLICT (doc) DO UPDATE SET data = excluded.data, through_seq = excluded.through_seq WHERE excluded.through_seq > doc_snapshots.through_seq'),
      deleteUpdatesThrough: db.prepare('DELETE FROM doc_updates WHERE doc = ? AND doc_seq <= ?'),
      ping: db.prepare('SELECT COUNT(*) AS n FROM schema_migrations'),
      touch: db.prepare('UPDATE workshops SET last_activity_at = ? WHERE id = ? AND last_activity_at < ?'),
      idle: db.prepare<[number, number], { id: string; last_activity_at: number }>(
        'SELECT id, last_activity_at FROM workshops WHERE last_activity_at < ? ORDER BY last_activity_at LIMIT ?'),
      // A board's name is `<workshopId>/<groupId>`, and ids never hold '/' or '0'..'9' sorts
      // after '/': the range [id + '/', id + '0') is exactly the workshop's boards, on the index.
      deleteDocs: ['doc_updates', 'doc_snapshots', 'doc_versions', 'doc_heads'].map((t) => db.prepare<[string, string]>(`DELETE FROM ${t} WHERE doc >= ? AND doc < ?`)),
      deleteSession: db.prepare('DELETE FROM sessions WHERE workshop_id = ?'),
      deleteLinks: db.prepare('DELETE FROM links WHERE workshop_id = ?'),
      addLink: db.prepare(
        'INSERT INTO links (id, workshop_id, role, group_id, participant_id, created_at, last_used_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING'),
      link: db.prepare<[string], LinkRow>('SELECT * FROM links WHERE id = ?'),
      links: db.prepare<[string], LinkRow>('SELECT * FROM links WHERE workshop_id = ? ORDER BY created_at, rowid'),
      revokeLink: db.prepare('UPDATE links SET revoked_at = COALESCE(revoked_at, ?) WHERE workshop_id = ? AND id = ?'),
      touchLink: db.prepare('UPDATE links SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)'),
      setJoinCode: db.prepare('UPDATE workshops SET join_code = ? WHERE id = ?'),
      setJoinClosed: db.prepare('UPDATE workshops SET join_closed = ? WHERE id = ?'),
      deleteParticipants: db.prepare('DELETE FROM participants WHERE workshop_id = ?'),
      deleteGroups: db.prepare('DELETE FROM groups WHERE workshop_id = ?'),
      deleteWorkshop: db.prepare('DELETE FROM workshops WHERE id = ?'),
    };
    this.#group = options.groupCommit === false ? null : new SqliteGroupCommit(db, APPEND_UPDATE, options.onCommit);
    this.#checkpointer = options.checkpointThread ? new SqliteCheckpointer(db, file, options.checkpointThread) : null;
  }

  /** Runs a PRAGMA on the store's connection (tests set max_page_count, which is per connection). */
  async pragma(statement: string): Promise<void> {
    this.db.pragma(statement);
  }

  async createWorkshop(w: Workshop, groups: Group[]): Promise<void> {
    this.db.transaction(() => {
      this.#q.insertWorkshop.run(w.id, w.title, w.place, w.language, w.joinCode, w.createdAt, Date.now());
      for (const g of groups) this.#q.insertGroup.run(g.id, w.id, g.name, g.question, g.position);
    })();
  }

  async getWorkshop(id: string): Promise<Workshop | null> {
    const row = this.#q.workshop.get(id);
    return row ? toWorkshop(row) : null;
  }

  async findWorkshopByJoinCode(code: string): Promise<Workshop | null> {
    const row = this.#q.workshopByCode.get(code);
    return row ? toWorkshop(row) : null;
  }

  async listGroups(workshopId: string): Promise<Group[]> {
    return this.#q.groups.all(workshopId).map((r) => ({ ...r }));
  }

  async addParticipant(p: Participant, device: string | null = null): Promise<void> {
    this.#q.insertParticipant.run(p.id, p.workshopId, p.groupId, p.name, p.joinedAt, device);
  }

  async deviceRemoved(workshopId: string, device: string): Promise<boolean> {
    return this.#q.removedDevice.get(workshopId, device) !== undefined;
  }

  async getParticipant(id: string): Promise<Participant | null> {
    const row = this.#q.participant.get(id);
    return row ? toParticipant(row) : null;
  }

  async listParticipants(workshopId: string): Promise<Participant[]> {
    return this.#q.participants.all(workshopId).map(toParticipant);
  }

  async moveParticipant(id: string, groupId: string): Promise<void> {
    this.#q.moveParticipant.run(groupId, id);
  }

  async removeParticipant(id: string, at: number): Promise<void> {
    this.#q.removeParticipant.run(at, id);
  }

  async loadSession(workshopId: string): Promise<string | null> {
    return this.#q.session.get(workshopId)?.data ?? null;
  }

  async saveSession(workshopId: string, data: string): Promise<void> {
    this.#q.saveSession.run(workshopId, data);
  }

  async appendUpdate(docName: string, update: Uint8Array): Promise<number> {
    if (this.#group) return this.#group.append(docName, update);
    // Numbered 1, 2, 3… per board, from the head the file holds, in one transaction.
    return this.db.transaction(() => {
      const seq = (this.#q.head.get({ doc: docName })?.head ?? 0) + 1;
      this.#q.append.run(docName, seq, update);
      return seq;
    })();
  }

  async loadDoc(docName: string, since?: number): Promise<StoredDoc> {
    const afterSeq = since ?? 0;
    // One read transaction: a compaction cannot commit between the two reads.
    return this.db.transaction(() => {
      const snap = this.#q.snapshot.get(docName);
      const folded = snap && (since === undefined || snap.through_seq > since) ? snap : undefined;
      const rows = this.#q.updatesAfter.all(docName, Math.max(afterSeq, snap?.through_seq ?? 0));
      return {
        snapshot: folded ? bytes(folded.data) : null,
        updates: rows.map((r) => bytes(r.data)),
        lastSeq: rows.at(-1)?.seq ?? Math.max(afterSeq, snap?.through_seq ?? 0),
      };
    })();
  }

  async compactDoc(docName: string, snapshot: Uint8Array, throughSeq: number): Promise<boolean> {
    return this.db.transaction(() => {
      // A snapshot folding less than the stored one is older: keep the stored one and its deletes.
      if (this.#q.upsertSnapshot.run(docName, snapshot, throughSeq).changes === 0) return false;
      this.#q.deleteUpdatesThrough.run(docName, throughSeq);
      return true;
    })();
  }

  async saveTemplate(template: Template, createdAt: number): Promise<void> {
    this.#q.saveTemplate.run(template.id, JSON.stringify(template), createdAt);
  }

  async getTemplate(id: string): Promise<Template | null> {
    const row = this.#q.template.get(id);
    return row ? (JSON.parse(row.data) as Template) : null;
  }

  async addVersion(docName: string, v: VersionInfo, snapshot: Uint8Array): Promise<void> {
    this.#q.addVersion.run(v.id, docName, v.kind, v.label, v.createdAt, v.createdBy, snapshot);
  }

  async listVersions(docName: string): Promise<VersionInfo[]> {
    return this.#q.versions.all(docName).map(toVersion);
  }

  async getVersion(docName: string, id: string): Promise<{ info: VersionInfo; snapshot: Uint8Array } | null> {
    const row = this.#q.version.get(docName, id);
    return row ? { info: toVersion(row), snapshot: bytes(row.data) } : null;
  }

  async saveBallot(workshopId: string, roundId: string, participantId: string, data: string): Promise<void> {
    this.#q.saveBallot.run(workshopId, roundId, participantId, data);
  }

  async loadBallots(workshopId: string, roundId: string): Promise<Map<string, string>> {
    return new Map(this.#q.ballots.all(workshopId, roundId).map((r) => [r.participant_id, r.data]));
  }

  async pruneBallots(workshopId: string, keepRoundId: string): Promise<void> {
    this.#q.pruneBallots.run(workshopId, keepRoundId);
  }

  async deleteVersions(docName: string, ids: readonly string[]): Promise<void> {
    const remove = this.#q.deleteVersion;
    this.db.transaction(() => {
      for (const id of ids) remove.run(docName, id);
    })();
  }

  async deleteWorkshop(id: string): Promise<boolean> {
    const q = this.#q;
    const [from, to] = [`${id}/`, `${id}0`]; // the workshop's boards (see `deleteDocs`)
    const existed = this.db.transaction(() => {
      for (const deleteDocs of q.deleteDocs) deleteDocs.run(from, to);
      this.#group?.forget(from, to);
      q.deleteSession.run(id);
      q.deleteBallots.run(id);
      q.deleteLinks.run(id);
      q.deleteParticipants.run(id);
      q.deleteGroups.run(id);
      return q.deleteWorkshop.run(id).changes > 0;
    }).immediate();
    // The WAL still holds the pages as they were before: copy it back and empty it.
    if (!(await this.#truncateWal())) throw new Error('the workshop was deleted, but the WAL could not be truncated: its text may remain in relatoria.db-wal until the next checkpoint');
    return existed;
  }

  /**
   * Copies the WAL into the file and empties it. SQLite answers busy at once, without its
   * busy handler, while another connection holds the checkpoint lock: the checkpoint
   * thread's own passive checkpoint, a millisecond or so. So it tries again for a while.
   */
  async #truncateWal(): Promise<boolean> {
    const deadline = Date.now() + TRUNCATE_PATIENCE_MS;
    for (;;) {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
      if (!result?.busy) return true;
      if (Date.now() >= deadline) return false;
      await sleep(TRUNCATE_RETRY_MS);
    }
  }

  async touchWorkshop(id: string, at: number): Promise<void> {
    this.#q.touch.run(at, id, at);
  }

  async listIdleWorkshops(before: number, limit: number): Promise<Array<{ id: string; lastActivityAt: number }>> {
    return this.#q.idle.all(before, limit).map((r) => ({ id: r.id, lastActivityAt: r.last_activity_at }));
  }

  async addLink(l: LinkRecord): Promise<void> {
    this.#q.addLink.run(l.id, l.workshopId, l.role, l.groupId, l.participantId, l.createdAt, l.lastUsedAt, l.expiresAt, l.revokedAt);
  }

  async getLink(id: string): Promise<LinkRecord | null> {
    const row = this.#q.link.get(id);
    return row ? toLink(row) : null;
  }

  async listLinks(workshopId: string): Promise<LinkRecord[]> {
    return this.#q.links.all(workshopId).map(toLink);
  }

  async revokeLink(workshopId: string, id: string, at: number): Promise<LinkRecord | null> {
    if (this.#q.revokeLink.run(at, workshopId, id).changes === 0) return null;
    return this.getLink(id);
  }

  async touchLink(id: string, at: number): Promise<void> {
    this.#q.touchLink.run(at, id, at);
  }

  async setJoinCode(workshopId: string, code: string): Promise<void> {
    this.#q.setJoinCode.run(code, workshopId);
  }

  async setJoinClosed(workshopId: string, closed: boolean): Promise<void> {
    this.#q.setJoinClosed.run(closed ? 1 : 0, workshopId);
  }

  /** Rewrites the file without free pages (VACUUM), then empties the WAL. */
  #vacuum(): void {
    this.db.exec('VACUUM');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async ping(): Promise<void> {
    this.#q.ping.get();
  }

  async close(): Promise<void> {
    this.#group?.close();
    await this.#checkpointer?.close();
    this.db.close();
  }
}
