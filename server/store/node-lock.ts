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

/** What the PostgreSQL node lock tells the process about its connection. */
export interface LockEvents {
  /** The connection holding the lock was lost (PostgreSQL restarted, the session was ended). */
  lost(err: Error): void;
  /** Taken again on a new connection. */
  retaken(): void;
  /** Could not take it again: another process took it meanwhile, or PostgreSQL is still away (retried). */
  retakeFailed(err: Error): void;
}

const RETAKE_EVERY_MS = 1_000;

async function takeLock(url: string, schema: string, mode: 'single' | 'cluster'): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: `relatoria-node-lock-${mode}` });
  client.on('error', () => undefined); // replaced below once the lock is held
  await client.connect();
  const fn = mode === 'single' ? 'pg_try_advisory_lock' : 'pg_try_advisory_lock_shared';
  try {
    const { rows } = await client.query<{ locked: boolean }>(`SELECT ${fn}(hashtext($1)) AS locked`, [`relatoria-node:${schema}`]);
    if (!rows[0]?.locked) {
      throw new StoreInUseError(mode === 'single'
        ? `another Relatoría process is using this PostgreSQL database (schema ${schema}). Several nodes on one database need cluster mode: set REDIS_URL on every node`
        : `a Relatoría process without REDIS_URL is using this PostgreSQL database (schema ${schema}): stop it, or start it with REDIS_URL too, before starting cluster nodes`);
    }
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

/**
 * Holds the database's node lock on a connection of its own for as long as the process
 * lives: `single` (no Redis) alone, `cluster` beside other cluster nodes only. The lock
 * lives as long as its session: when the connection is lost it is taken again on a new one.
 */
export async function lockPostgres(url: string, schema: string, mode: 'single' | 'cluster', events: LockEvents): Promise<NodeLock> {
  let client = await takeLock(url, schema, mode);
  let released = false;
  let timer: NodeJS.Timeout | null = null;
  const retake = () => {
    timer = setTimeout(() => {
      timer = null;
      if (released) return;
      takeLock(url, schema, mode).then(
        (taken) => {
          if (released) return void taken.end().catch(() => undefined);
          client = taken;
          watch(taken);
          events.retaken();
        },
        (err: Error) => {
          events.retakeFailed(err);
          retake();
        },
      );
    }, RETAKE_EVERY_MS);
    timer.unref();
  };
  const watch = (held: pg.Client) => {
    let gone = false;
    const onGone = (err: Error) => {
      if (gone || released) return;
      gone = true;
      events.lost(err);
      void held.end().catch(() => undefined);
      retake();
    };
    held.on('error', onGone);
    held.on('end', () => onGone(new Error('the connection ended')));
  };
  watch(client);
  return {
    async release() {
      released = true;
      if (timer) clearTimeout(timer);
      await client.end().catch(() => undefined);
    },
  };
}
