// Single-node safety (issue 14 §6), with the real entry point as child processes: a second
// process on the same SQLite file, or on the same PostgreSQL database without Redis,
// refuses to start with a clear message and the first one carries on; a process killed
// with -9 does not lock its successor out; with Redis, several nodes share the database.
import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pgLib from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { addCard } from '../../shared/board.js';
import { PostgresStore } from '../../server/store/postgres.js';
import { setupWorkshop } from '../helpers/api.js';
import { texts } from '../helpers/board.js';
import { healthy, spawnServer } from '../helpers/child-server.js';
import { waitFor } from '../helpers/wait.js';
import { syncedClient } from '../helpers/yclient.js';
import { postgresUrl, redisUrl } from '../support/requires.js';

async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'relatoria-single-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The start that must fail: resolves with what the process printed. */
async function refusedStart(opts: Parameters<typeof spawnServer>[0]): Promise<string> {
  const error = await spawnServer(opts).then(() => null, (err: unknown) => err as Error);
  expect(error, 'the second process must not start').not.toBeNull();
  expect(error!.message).toContain('server exited during start');
  return error!.message;
}

describe('one SQLite file, one process', () => {
  it('a second process on the same data dir refuses to start; after kill -9 of the first, a new one starts and stores', async () => {
    const dataDir = await tempDataDir();
    const first = await spawnServer({ dataDir });
    const w = await setupWorkshop(first.url);
    const ana = await w.participant('A', 'Ana');

    const output = await refusedStart({ dataDir });
    expect(output).toMatch(/another Relatoría process \(pid \d+\) is using .*relatoria\.db: one SQLite file serves one process/);
    expect(await healthy(first.url)).toBe(true);

    // A lock left by a killed process does not keep the next one out; the next stores as before.
    await first.kill('SIGKILL');
    const second = await spawnServer({ dataDir });
    const writer = await syncedClient(second.wsUrl, w.boardA, ana);
    const watcher = await syncedClient(second.wsUrl, w.boardA, w.facilitatorToken);
    addCard(writer.doc, { text: 'después del reinicio', author: 'Ana' });
    await waitFor(() => texts(watcher.doc).includes('después del reinicio'), 5_000, 'the card relayed, so stored');
    writer.destroy();
    watcher.destroy();
    await second.kill('SIGKILL');
    const third = await spawnServer({ dataDir });
    const reader = await syncedClient(third.wsUrl, w.boardA, w.facilitatorToken);
    expect(texts(reader.doc)).toEqual(['después del reinicio']);
    reader.destroy();
  });
});

const pg = await postgresUrl();
const redis = await redisUrl();

describe.skipIf(pg === null || redis === null)('one PostgreSQL database', () => {
  it('without Redis a second process refuses (also after the lock’s connection was ended), and so does a cluster node; with Redis several nodes start', async () => {
    const schema = `single_${process.pid}_${randomBytes(3).toString('hex')}`;
    onTestFinished(async () => {
      const store = await PostgresStore.open(pg!, schema);
      await store.dropSchema();
      await store.close();
    });
    const single = { DATABASE_URL: pg!, DATABASE_SCHEMA: schema, REDIS_URL: '' };
    const clustered = { ...single, REDIS_URL: redis! };

    const first = await spawnServer({ dataDir: await tempDataDir(), env: single });
    expect(await refusedStart({ dataDir: await tempDataDir(), env: single }))
      .toContain(`another Relatoría process is using this PostgreSQL database (schema ${schema}). Several nodes on one database need cluster mode: set REDIS_URL on every node`);
    expect(await refusedStart({ dataDir: await tempDataDir(), env: clustered }))
      .toContain(`a Relatoría process without REDIS_URL is using this PostgreSQL database (schema ${schema})`);
    expect(await healthy(first.url)).toBe(true);

    // Its lock's connection is ended (as by a PostgreSQL restart): the process takes the lock again.
    const admin = new pgLib.Client({ connectionString: pg! });
    await admin.connect();
    try {
      const ended = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND ((classid::bigint << 32) | objid::bigint) = hashtext($1)::bigint`,
        [`relatoria-node:${schema}`]);
      expect(ended.rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    await waitFor(() => first.output().includes('took this node’s PostgreSQL lock again'), 10_000, 'the lock to be taken again');
    expect(await refusedStart({ dataDir: await tempDataDir(), env: single })).toContain('another Relatoría process is using this PostgreSQL database');

    await first.kill('SIGKILL'); // its session ends with it, and so does its lock
    const nodes = [await spawnServer({ dataDir: await tempDataDir(), env: clustered }), await spawnServer({ dataDir: await tempDataDir(), env: clustered })];
    expect(await refusedStart({ dataDir: await tempDataDir(), env: single })).toContain('another Relatoría process is using this PostgreSQL database');
    for (const node of nodes) {
      const ready = await fetch(`${node.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: Record<string, string> }).checks).toEqual({ store: 'ok', redis: 'ok' });
    }
  }, 60_000); // seven processes start one after another: 18 s on a quiet machine, over 30 s on a busy one
});
