// 4. Durable writes: how many board updates a second Relatoría stores — through the
// real server (update in, applied, appended, relayed; counted when the server
// acknowledges the stored batch), and the store alone for the ceiling. On SQLite,
// and on PostgreSQL when DATABASE_URL is set.
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import * as Y from 'yjs';
import { addCard, cardText } from '../../shared/board.js';
import { PostgresStore } from '../../server/store/postgres.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/store.js';
import type { FromRawWriter, RawWriterPlan, ToRawWriter } from '../load/raw-writer-process.js';
import { openUsageWindow } from '../lib/proc-stats.js';
import { check, type Scenario } from '../lib/scenario.js';
import { profileFlags, spawnRelatoria } from '../lib/server-process.js';
import { int, ms, pct, summarize, table } from '../lib/stats.js';
import { auditSqliteBoards, auditStoredBoards } from '../lib/store-audit.js';
import { createThroughApi } from '../lib/workshop-setup.js';

const RAW_WRITER = fileURLToPath(new URL('../load/raw-writer-process.ts', import.meta.url));
const BOARDS = 50;

interface ServerRate {
  boards: number;
  rate: number;
  relayRate: number;
  cores: number;
  /** Shares of the run the server's main thread waited for a CPU, and was blocked on the disk. */
  cpuWait: number;
  diskWait: number;
  batchRtt: { p50: number; p99: number };
  stored: number;
}

export const durableWrites: Scenario = {
  name: 'durable-writes',
  title: '4. Durable writes: updates persisted per second',
  async run({ quick, databaseUrl, log }) {
    const durationMs = quick ? 4_000 : 10_000;
    const storeUpdates = quick ? 10_000 : 40_000;
    const rows: string[][] = [['', 'updates/s', 'relayed/s', 'server CPU', 'waiting for CPU / disk', 'batch of 50 acked p50 / p99', 'lost']];
    const failures: string[] = [];
    const backends: Array<'sqlite' | 'postgresql'> = databaseUrl ? ['sqlite', 'postgresql'] : ['sqlite'];
    const results = new Map<string, number>();

    for (const backend of backends) {
      for (const boards of [BOARDS, 1]) {
        const r = await throughServer(backend === 'postgresql' ? databaseUrl : null, boards, durationMs, log);
        results.set(`${backend}/${boards}`, r.rate);
        if (r.stored > 0) failures.push(`${backend}, ${boards} board(s): ${r.stored} acknowledged updates missing from the store`);
        rows.push([
          `${backend}: through the server, ${boards} board${boards > 1 ? 's' : ''} (1 writer + 1 reader each)`,
          int(r.rate),
          int(r.relayRate),
          `${r.cores.toFixed(2)} cores`,
          `${pct(r.cpuWait)} / ${pct(r.diskWait)}`,
          `${ms(r.batchRtt.p50)} / ${ms(r.batchRtt.p99)}`,
          int(r.stored),
        ]);
      }
      const alone = await storeAlone(backend === 'postgresql' ? databaseUrl : null, storeUpdates);
      rows.push([`${backend}: the store alone, one append at a time`, int(alone.serial), '', '', '', '', '']);
      rows.push([`${backend}: the store alone, ${BOARDS} boards appending at once`, int(alone.concurrent), '', '', '', '', '']);
    }

    const sqlite = results.get(`sqlite/${BOARDS}`) ?? NaN;
    return {
      figures: [
        `Writers send pre-made updates (one stamp each, ~40 bytes) in batches of 50 closed by a sync step 1; the server's answer acknowledges the batch as stored. ${durationMs / 1000} s per row.`,
        table(rows),
        ...(databaseUrl ? [] : ['PostgreSQL: not measured (DATABASE_URL is not set).']),
      ].join('\n'),
      checks: [check('durable writes ≥ 5,000 updates/s on SQLite (through the server)', `${int(sqlite)}/s`, sqlite >= 5_000)],
      failures,
    };
  },
};

async function throughServer(databaseUrl: string | null, boards: number, durationMs: number, log: (l: string) => void): Promise<ServerRate> {
  const server = await spawnRelatoria({ databaseUrl: databaseUrl ?? undefined });
  const child = fork(RAW_WRITER, [], { execArgv: [...profileFlags('writers'), '--import', 'tsx'], serialization: 'advanced' });
  try {
    setPriority(child.pid!, 10);
  } catch {
    // normal priority then
  }
  const inbox: FromRawWriter[] = [];
  const waiters: Array<() => void> = [];
  child.on('message', (m: FromRawWriter) => (inbox.push(m), waiters.splice(0).forEach((w) => w())));
  child.on('exit', () => waiters.splice(0).forEach((w) => w()));
  const next = async <K extends FromRawWriter['type']>(type: K): Promise<Extract<FromRawWriter, { type: K }>> => {
    for (;;) {
      const failed = inbox.find((m) => m.type === 'failed');
      if (failed && failed.type === 'failed') throw new Error(failed.message);
      const i = inbox.findIndex((m) => m.type === type);
      if (i >= 0) return inbox.splice(i, 1)[0] as Extract<FromRawWriter, { type: K }>;
      if (child.exitCode !== null) throw new Error('the writer process exited');
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  try {
    const workshop = await createThroughApi(server.url, { groups: boards, perGroup: 2 });
    const plan: RawWriterPlan = {
      wsUrl: server.wsUrl,
      writers: workshop.groups.map((g, i) => ({ writer: i, docName: `${workshop.id}/${g.id}`, token: g.participants[0]!.token })),
      observers: workshop.groups.map((g) => ({ docName: `${workshop.id}/${g.id}`, token: g.participants[1]!.token })),
      updatesPerWriter: Math.ceil((30_000 * durationMs) / 1000 / boards),
      batch: 50,
      window: 2,
    };
    child.send({ type: 'prepare', plan } satisfies ToRawWriter);
    await next('ready');
    const usage = openUsageWindow(server.pid);
    child.send({ type: 'run', durationMs } satisfies ToRawWriter);
    const done = await next('done');
    const window = usage.stop();
    const seconds = (done.lastAckAt - done.firstSendAt) / 1000;
    log(`  ${databaseUrl ? 'postgresql' : 'sqlite'}, ${boards} board(s): ${int(done.acked)} updates stored in ${seconds.toFixed(1)} s`);
    child.kill();
    const docs = workshop.groups.map((g) => `${workshop.id}/${g.id}`);
    await server.stop({ keepData: true });
    const sent = new Map(done.sent);
    const audit = databaseUrl
      ? await withPostgres(databaseUrl, 'relatoria', (store) => auditStoredBoards(store, docs, sent))
      : await auditSqliteBoards(server.dataDir!, docs, sent);
    const rtt = summarize(done.batchRtt);
    return { boards, rate: done.acked / seconds, relayRate: done.relayed / seconds, cores: window.cores, cpuWait: window.cpuWait, diskWait: window.diskWait, batchRtt: { p50: rtt.p50, p99: rtt.p99 }, stored: audit.missing };
  } finally {
    if (child.exitCode === null) child.kill();
    await server.stop();
  }
}

async function withPostgres<T>(url: string, schema: string, use: (store: Store) => Promise<T>): Promise<T> {
  const store = await PostgresStore.open(url, schema);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** Appends real-sized updates straight to a fresh store: one at a time, then boards in parallel. */
async function storeAlone(databaseUrl: string | null, updates: number): Promise<{ serial: number; concurrent: number }> {
  const samples = sampleUpdates(500);
  const measure = async (store: Store) => {
    let began = performance.now();
    for (let i = 0; i < updates; i++) await store.appendUpdate(`bench/serial${i % BOARDS}`, samples[i % samples.length]!);
    const serial = updates / ((performance.now() - began) / 1000);
    began = performance.now();
    await Promise.all(
      Array.from({ length: BOARDS }, async (_, b) => {
        for (let i = b; i < updates; i += BOARDS) await store.appendUpdate(`bench/concurrent${b}`, samples[i % samples.length]!);
      }),
    );
    return { serial, concurrent: updates / ((performance.now() - began) / 1000) };
  };
  if (databaseUrl) {
    const schema = `bench_${process.pid}_${Date.now() % 100_000}`;
    try {
      return await withPostgres(databaseUrl, schema, measure);
    } finally {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.end());
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'relatoria-bench-store-'));
  const store = new SqliteStore(join(dir, 'relatoria.db'));
  try {
    return await measure(store);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Updates the size of one typed stamp. */
function sampleUpdates(n: number): Uint8Array[] {
  const doc = new Y.Doc();
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  const text = cardText(doc, addCard(doc, { text: '', author: 'w0' }))!;
  out.length = 0;
  for (let i = 0; i < n; i++) text.insert(text.length, `${i.toString(36)}.${i.toString(36)}.0;`);
  return out;
}
