// Single-node safety: two processes writing one store without knowing of each other would
// number, relay and compact board updates behind each other's backs. The SQLite file is
// taken by a lock file holding the pid (a process killed with -9 leaves it behind: a
// dead pid's lock is taken over). PostgreSQL is taken by a session advisory lock held for
// the process's life: exclusive for a single node, shared for cluster nodes (REDIS_URL),
// so any number of cluster nodes run together, but never beside a single node.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import pg from 'pg';

export class StoreInUseError extends Error {}

export interface NodeLock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/** Takes `<file>.lock` for this process; throws StoreInUseError while another live process holds it. */
export function lockSqliteFile(file: string): NodeLock {
  const lockFile = `${file}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const pid = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new StoreInUseError(
          `another Relatoría process (pid ${pid}) is using ${file}: one SQLite file serves one process. ` +
          `Stop it first, or give this one its own DATA_DIR (if no such process runs, delete ${lockFile})`);
      }
      unlinkSync(lockFile); // left by a process that is gone (kill -9, a crash): take it over
    }
  }
  return {
    async release() {
      try {
        if (Number.parseInt(readFileSync(lockFile, 'utf8'), 10) === process.pid) unlinkSync(lockFile);
      } catch {
        // already gone
      }
    },
  };
}

/**
 * Holds the database's node lock on a connection of its own for as long as the process
 * lives: `single` (no Redis) alone, `cluster` beside other cluster nodes only.
 */
export async function lockPostgres(url: string, schema: string, mode: 'single' | 'cluster', onLost: (err: Error) => void): Promise<NodeLock> {
  const client = new pg.Client({ connectionString: url, application_name: `relatoria-node-lock-${mode}` });
  await client.connect();
  const key = `relatoria-node:${schema}`;
  const fn = mode === 'single' ? 'pg_try_advisory_lock' : 'pg_try_advisory_lock_shared';
  try {
    const { rows } = await client.query<{ locked: boolean }>(`SELECT ${fn}(hashtext($1)) AS locked`, [key]);
    if (!rows[0]?.locked) {
      throw new StoreInUseError(mode === 'single'
        ? `another Relatoría process is using this PostgreSQL database (schema ${schema}). Several nodes on one database need cluster mode: set REDIS_URL on every node`
        : `a Relatoría process without REDIS_URL is using this PostgreSQL database (schema ${schema}): stop it, or start it with REDIS_URL too, before starting cluster nodes`);
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  let released = false;
  // The lock lives as long as this session: losing the connection loses it.
  client.on('error', (err) => {
    if (!released) onLost(err);
  });
  return {
    async release() {
      released = true;
      await client.end().catch(() => undefined);
    },
  };
}
