// Commands on one workshop's session run one at a time across every node: each holds a
// PostgreSQL advisory lock on the workshop for its whole run (reload, apply, store,
// tell the others). Session-level locks on connections of a pool of their own: a command
// holding one still reaches the store through the store's pool, so the two pools never
// wait on each other. A node that dies drops its connection, and PostgreSQL its locks.
import pg from 'pg';
import type { Logger } from '../lib/logger.js';

/** Runs tasks on a workshop one at a time across the nodes. */
export interface WorkshopLock {
  exclusive<T>(workshopId: string, task: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A command waits at most this long for another node's command on the same workshop. */
const LOCK_WAIT_MS = 10_000;

export class PostgresWorkshopLock implements WorkshopLock {
  readonly #pool: pg.Pool;
  readonly #schema: string;
  readonly #log: Logger;

  constructor(opts: { databaseUrl: string; schema: string; log: Logger; size?: number }) {
    // `lock_timeout` bounds the wait for an advisory lock too: a stuck peer fails a command, never hangs it.
    this.#pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.size ?? 10, options: `-c lock_timeout=${LOCK_WAIT_MS}` });
    this.#pool.on('error', () => undefined); // an idle client's error must not take down the process
    this.#schema = opts.schema;
    this.#log = opts.log;
  }

  async exclusive<T>(workshopId: string, task: () => Promise<T>): Promise<T> {
    // The schema is in the key: two deployments (or test runs) on one database never wait on each other.
    const key = `${this.#schema}:session:${workshopId}`;
    const client = await this.#pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
    } catch (err) {
      client.release(err instanceof Error ? err : true);
      throw err;
    }
    try {
      return await task();
    } finally {
      try {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
        client.release();
      } catch (err) {
        // Closing the connection releases the lock all the same.
        this.#log.warn('could not release a workshop’s lock; dropping its connection', { workshop: workshopId, err });
        client.release(true);
      }
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
