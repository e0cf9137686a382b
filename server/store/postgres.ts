// The same Store on PostgreSQL. `schema` isolates one deployment (or one test run) from
// another in the same database; its tables are created and migrated on open.
import pg from 'pg';
import { asLanguage, type Group, type Participant, type Workshop } from '../../shared/model.js';
import type { LinkRecord, Store, StoredDoc } from './store.js';
import type { VersionInfo, VersionKind } from '../../shared/history.js';
import type { Template } from '../../shared/templates.js';
import { migratePostgres } from './migrations/postgres.js';

interface WorkshopRow { id: string; title: string; place: string; language: string; join_code: string; created_at: string; join_closed: boolean }
interface VersionRow { id: string; kind: string; label: string; created_at: string; created_by: string }
const toVersion = (r: VersionRow): VersionInfo => ({ id: r.id, kind: r.kind as VersionKind, label: r.label, createdAt: Number(r.created_at), createdBy: r.created_by });
interface ParticipantRow { id: string; workshop_id: string; group_id: string; name: string; joined_at: string; removed_at: string | null }

const toWorkshop = (r: WorkshopRow): Workshop => ({
  id: r.id, title: r.title, place: r.place, language: asLanguage(r.language), joinCode: r.join_code, createdAt: Number(r.created_at),
  joinClosed: r.join_closed,
});
interface LinkRow {
  id: string; workshop_id: string; role: string; group_id: string | null; participant_id: string | null;
  created_at: string; last_used_at: string | null; expires_at: string; revoked_at: string | null;
}
const orNull = (v: string | null) => (v === null ? null : Number(v));
const toLink = (r: LinkRow): LinkRecord => ({
  id: r.id, workshopId: r.workshop_id, role: r.role as LinkRecord['role'], groupId: r.group_id, participantId: r.participant_id,
  createdAt: Number(r.created_at), lastUsedAt: orNull(r.last_used_at), expiresAt: Number(r.expires_at), revokedAt: orNull(r.revoked_at),
});
const toParticipant = (r: ParticipantRow): Participant => ({
  id: r.id, workshopId: r.workshop_id, groupId: r.group_id, name: r.name, joinedAt: Number(r.joined_at),
  removedAt: r.removed_at === null ? null : Number(r.removed_at),
});
const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #s: string;
  /** Per board, the last append sent: the next one waits for it. */
  readonly #appending = new Map<string, Promise<unknown>>();

  private constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.#s = schema;
  }

  static async open(connectionString: string, schema = 'relatoria'): Promise<PostgresStore> {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
    const pool = new pg.Pool({ connectionString, max: 10 });
    pool.on('error', () => undefined); // an idle client's error must not take down the process; the next query reports it
    try {
      await migratePostgres(pool, schema);
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresStore(pool, schema);
  }

  async #tx(work: (c: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async createWorkshop(w: Workshop, groups: Group[]): Promise<void> {
    await this.#tx(async (c) => {
      await c.query(
        `INSERT INTO ${this.#s}.workshops (id, title, place, language, join_code, created_at, last_activity_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [w.id, w.title, w.place, w.language, w.joinCode, w.createdAt, Date.now()],
      );
      for (const g of groups) {
        await c.query(`INSERT INTO ${this.#s}.groups (id, workshop_id, name, question, position) VALUES ($1, $2, $3, $4, $5)`, [g.id, w.id, g.name, g.question, g.position]);
      }
    });
  }

  async getWorkshop(id: string): Promise<Workshop | null> {
    const { rows } = await this.#pool.query<WorkshopRow>(`SELECT * FROM ${this.#s}.workshops WHERE id = $1`, [id]);
    return rows[0] ? toWorkshop(rows[0]) : null;
  }

  async findWorkshopByJoinCode(code: string): Promise<Workshop | null> {
    const { rows } = await this.#pool.query<WorkshopRow>(`SELECT * FROM ${this.#s}.workshops WHERE join_code = $1`, [code]);
    return rows[0] ? toWorkshop(rows[0]) : null;
  }

  async listGroups(workshopId: string): Promise<Group[]> {
    const { rows } = await this.#pool.query<Group>(`SELECT id, name, question, position FROM ${this.#s}.groups WHERE workshop_id = $1 ORDER BY position`, [workshopId]);
    return rows;
  }

  async addParticipant(p: Participant, device: string | null = null): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ${this.#s}.participants (id, workshop_id, group_id, name, joined_at, device_hash) VALUES ($1, $2, $3, $4, $5, $6)`,
      [p.id, p.workshopId, p.groupId, p.name, p.joinedAt, device],
    );
  }

  async deviceRemoved(workshopId: string, device: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      `SELECT 1 FROM ${this.#s}.participants WHERE workshop_id = $1 AND device_hash = $2 AND removed_at IS NOT NULL LIMIT 1`,
      [workshopId, device],
    );
    return (rowCount ?? 0) > 0;
  }

  async getParticipant(id: string): Promise<Participant | null> {
    const { rows } = await this.#pool.query<ParticipantRow>(`SELECT * FROM ${this.#s}.participants WHERE id = $1`, [id]);
    return rows[0] ? toParticipant(rows[0]) : null;
  }

  async listParticipants(workshopId: string): Promise<Participant[]> {
    const { rows } = await this.#pool.query<ParticipantRow>(`SELECT * FROM ${this.#s}.participants WHERE workshop_id = $1 ORDER BY joined_at`, [workshopId]);
    return rows.map(toParticipant);
  }

  async moveParticipant(id: string, groupId: string): Promise<void> {
    await this.#pool.query(`UPDATE ${this.#s}.participants SET group_id = $1 WHERE id = $2`, [groupId, id]);
  }

  async removeParticipant(id: string, at: number): Promise<void> {
    await this.#pool.query(`UPDATE ${this.#s}.participants SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL`, [at, id]);
  }

  async loadSession(workshopId: string): Promise<string | null> {
    const { rows } = await this.#pool.query<{ data: string }>(`SELECT data FROM ${this.#s}.sessions WHERE workshop_id = $1`, [workshopId]);
    return rows[0]?.data ?? null;
  }

  async saveSession(workshopId: string, data: string): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ${this.#s}.sessions (workshop_id, data) VALUES ($1, $2) ON CONFLICT (workshop_id) DO UPDATE SET data = excluded.data`,
      [workshopId, data],
    );
  }

  async saveBallot(workshopId: string, roundId: string, participantId: string, data: string): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ${this.#s}.ballots (workshop_id, round_id, participant_id, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workshop_id, round_id, participant_id) DO UPDATE SET data = excluded.data`,
      [workshopId, roundId, participantId, data],
    );
  }

  async loadBallots(workshopId: string, roundId: string): Promise<Map<string, string>> {
    const { rows } = await this.#pool.query<{ participant_id: string; data: string }>(
      `SELECT participant_id, data FROM ${this.#s}.ballots WHERE workshop_id = $1 AND round_id = $2`, [workshopId, roundId]);
    return new Map(rows.map((r) => [r.participant_id, r.data]));
  }

  async pruneBallots(workshopId: string, keepRoundId: string): Promise<void> {
    await this.#pool.query(`DELETE FROM ${this.#s}.ballots WHERE workshop_id = $1 AND round_id <> $2`, [workshopId, keepRoundId]);
  }

  /**
   * A board sends its updates without waiting for the one before to be stored; the pool
   * would run them on different connections, in any order. One board's appends are
   * therefore made one after another, so their sequence numbers keep the order they
   * were applied in; different boards' run side by side. Each takes its board's next
   * sequence number from `doc_heads` in the same statement: the row lock orders the
   * appends of every node, and the numbers have no gaps (a failed insert takes none).
   */
  appendUpdate(docName: string, update: Uint8Array): Promise<number> {
    const append = (this.#appending.get(docName) ?? Promise.resolve()).then(async () => {
      const { rows } = await this.#pool.query<{ seq: string }>(
        `WITH head AS (
           INSERT INTO ${this.#s}.doc_heads (doc, last_seq) VALUES ($1, 1)
           ON CONFLICT (doc) DO UPDATE SET last_seq = ${this.#s}.doc_heads.last_seq + 1 RETURNING last_seq)
         INSERT INTO ${this.#s}.doc_updates (doc, doc_seq, data) SELECT $1, last_seq, $2 FROM head RETURNING doc_seq AS seq`,
        [docName, Buffer.from(update)]);
      return Number(rows[0]?.seq);
    });
    const tail = append.catch(() => undefined);
    this.#appending.set(docName, tail);
    void tail.then(() => this.#appending.get(docName) === tail && this.#appending.delete(docName));
    return append;
  }

  async loadDoc(docName: string, since?: number): Promise<StoredDoc> {
    const afterSeq = since ?? 0;
    // One snapshot-consistent read: a compaction committing in between cannot split it.
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const snap = (await client.query<{ data: Buffer; through_seq: string }>(`SELECT data, through_seq FROM ${this.#s}.doc_snapshots WHERE doc = $1`, [docName])).rows[0];
      const through = snap ? Number(snap.through_seq) : 0;
      const from = Math.max(afterSeq, through);
      const { rows } = await client.query<{ seq: string; data: Buffer }>(
        `SELECT doc_seq AS seq, data FROM ${this.#s}.doc_updates WHERE doc = $1 AND doc_seq > $2 ORDER BY doc_seq`, [docName, from]);
      await client.query('COMMIT');
      return {
        snapshot: snap && (since === undefined || through > since) ? bytes(snap.data) : null,
        updates: rows.map((r) => bytes(r.data)),
        lastSeq: rows.length > 0 ? Number(rows.at(-1)?.seq) : from,
      };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * One compactor per board at a time, across nodes: the transaction's advisory lock on
   * the board, not waited for (another node compacting it already makes this one moot).
   * A snapshot folding less than the stored one changes nothing (it is older), and only
   * the updates it folded are deleted: those another node appended since stay.
   */
  async compactDoc(docName: string, snapshot: Uint8Array, throughSeq: number): Promise<boolean> {
    let compacted = false;
    await this.#tx(async (c) => {
      const { rows } = await c.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [`relatoria-compact:${this.#s}:${docName}`]);
      if (!rows[0]?.locked) return;
      const upserted = await c.query(
        `INSERT INTO ${this.#s}.doc_snapshots (doc, data, through_seq) VALUES ($1, $2, $3)
         ON CONFLICT (doc) DO UPDATE SET data = excluded.data, through_seq = excluded.through_seq WHERE ${this.#s}.doc_snapshots.through_seq < excluded.through_seq`,
        [docName, Buffer.from(snapshot), throughSeq],
      );
      if ((upserted.rowCount ?? 0) === 0) return;
      await c.query(`DELETE FROM ${this.#s}.doc_updates WHERE doc = $1 AND doc_seq <= $2`, [docName, throughSeq]);
      compacted = true;
    });
    return compacted;
  }

  async saveTemplate(template: Template, createdAt: number): Promise<void> {
    await this.#pool.query(`INSERT INTO ${this.#s}.templates (id, data, created_at) VALUES ($1, $2, $3)`, [template.id, JSON.stringify(template), createdAt]);
  }

  async getTemplate(id: string): Promise<Template | null> {
    const { rows } = await this.#pool.query<{ data: string }>(`SELECT data FROM ${this.#s}.templates WHERE id = $1`, [id]);
    return rows[0] ? (JSON.parse(rows[0].data) as Template) : null;
  }

  async addVersion(docName: string, v: VersionInfo, snapshot: Uint8Array): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ${this.#s}.doc_versions (id, doc, kind, label, created_at, created_by, data) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [v.id, docName, v.kind, v.label, v.createdAt, v.createdBy, Buffer.from(snapshot)],
    );
  }

  async listVersions(docName: string): Promise<VersionInfo[]> {
    const { rows } = await this.#pool.query<VersionRow>(
      `SELECT id, kind, label, created_at, created_by FROM ${this.#s}.doc_versions WHERE doc = $1 ORDER BY created_at DESC, seq DESC`, [docName]);
    return rows.map(toVersion);
  }

  async getVersion(docName: string, id: string): Promise<{ info: VersionInfo; snapshot: Uint8Array } | null> {
    const { rows } = await this.#pool.query<VersionRow & { data: Buffer }>(
      `SELECT id, kind, label, created_at, created_by, data FROM ${this.#s}.doc_versions WHERE doc = $1 AND id = $2`, [docName, id]);
    return rows[0] ? { info: toVersion(rows[0]), snapshot: bytes(rows[0].data) } : null;
  }

  async deleteVersions(docName: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#pool.query(`DELETE FROM ${this.#s}.doc_versions WHERE doc = $1 AND id = ANY($2::text[])`, [docName, [...ids]]);
  }

  /**
   * One transaction. PostgreSQL marks the rows dead; their bytes stay in the table files
   * until VACUUM reuses the space (VACUUM FULL rewrites the tables): see the README.
   */
  async deleteWorkshop(id: string): Promise<boolean> {
    let existed = false;
    await this.#tx(async (c) => {
      for (const table of ['doc_updates', 'doc_snapshots', 'doc_versions', 'doc_heads']) {
        await c.query(`DELETE FROM ${this.#s}.${table} WHERE starts_with(doc, $1)`, [`${id}/`]);
      }
      for (const table of ['sessions', 'ballots', 'links', 'participants', 'groups']) await c.query(`DELETE FROM ${this.#s}.${table} WHERE workshop_id = $1`, [id]);
      existed = ((await c.query(`DELETE FROM ${this.#s}.workshops WHERE id = $1`, [id])).rowCount ?? 0) > 0;
    });
    return existed;
  }

  async touchWorkshop(id: string, at: number): Promise<void> {
    await this.#pool.query(`UPDATE ${this.#s}.workshops SET last_activity_at = $1 WHERE id = $2 AND last_activity_at < $1`, [at, id]);
  }

  async listIdleWorkshops(before: number, limit: number): Promise<Array<{ id: string; lastActivityAt: number }>> {
    const { rows } = await this.#pool.query<{ id: string; last_activity_at: string }>(
      `SELECT id, last_activity_at FROM ${this.#s}.workshops WHERE last_activity_at < $1 ORDER BY last_activity_at LIMIT $2`, [before, limit]);
    return rows.map((r) => ({ id: r.id, lastActivityAt: Number(r.last_activity_at) }));
  }

  async addLink(l: LinkRecord): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ${this.#s}.links (id, workshop_id, role, group_id, participant_id, created_at, last_used_at, expires_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
      [l.id, l.workshopId, l.role, l.groupId, l.participantId, l.createdAt, l.lastUsedAt, l.expiresAt, l.revokedAt],
    );
  }

  async getLink(id: string): Promise<LinkRecord | null> {
    const { rows } = await this.#pool.query<LinkRow>(`SELECT * FROM ${this.#s}.links WHERE id = $1`, [id]);
    return rows[0] ? toLink(rows[0]) : null;
  }

  async listLinks(workshopId: string): Promise<LinkRecord[]> {
    const { rows } = await this.#pool.query<LinkRow>(`SELECT * FROM ${this.#s}.links WHERE workshop_id = $1 ORDER BY created_at, id`, [workshopId]);
    return rows.map(toLink);
  }

  async revokeLink(workshopId: string, id: string, at: number): Promise<LinkRecord | null> {
    const { rows } = await this.#pool.query<LinkRow>(
      `UPDATE ${this.#s}.links SET revoked_at = COALESCE(revoked_at, $1) WHERE workshop_id = $2 AND id = $3 RETURNING *`, [at, workshopId, id]);
    return rows[0] ? toLink(rows[0]) : null;
  }

  async touchLink(id: string, at: number): Promise<void> {
    await this.#pool.query(`UPDATE ${this.#s}.links SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)`, [at, id]);
  }

  async setJoinCode(workshopId: string, code: string): Promise<void> {
    await this.#pool.query(`UPDATE ${this.#s}.workshops SET join_code = $1 WHERE id = $2`, [code, workshopId]);
  }

  async setJoinClosed(workshopId: string, closed: boolean): Promise<void> {
    await this.#pool.query(`UPDATE ${this.#s}.workshops SET join_closed = $1 WHERE id = $2`, [closed, workshopId]);
  }

  async ping(): Promise<void> {
    await this.#pool.query(`SELECT 1 FROM ${this.#s}.schema_migrations LIMIT 1`);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  /** Drops this store's schema: for tests that made their own. */
  async dropSchema(): Promise<void> {
    await this.#pool.query(`DROP SCHEMA IF EXISTS ${this.#s} CASCADE`);
  }
}
