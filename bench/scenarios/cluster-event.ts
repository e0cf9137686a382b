// 11. The big event on one node and on three (issue 14, cluster mode): the same boards
// and typing against one Relatoría node and then against three nodes on one machine
// (PostgreSQL + Redis, cluster mode both times), with each client process connected to
// one node, so every board has people on every node. Reported: each node's CPU (the
// per-node cost), fan-out latency between people of one node and across nodes (the
// latency Redis adds), and the PostgreSQL and Redis work per update.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { openUsageWindow, type UsageWindow } from '../lib/proc-stats.js';
import { check, type Scenario } from '../lib/scenario.js';
import { spawnRelatoria, type ServerProcess } from '../lib/server-process.js';
import { int, ms, table, type Summary } from '../lib/stats.js';
import { createThroughApi, type WorkshopShape } from '../lib/workshop-setup.js';
import { LoadFleet, mergeResults, planClients, type LoadOutcome } from '../load/load-fleet.js';
import type { StartLoad } from '../load/protocol.js';
import { PostgresStore } from '../../server/store/postgres.js';

const RATE = 2;
/** Per board, this many stock y-websocket clients (audited for convergence); the others are light ones, as in the big event. */
const STOCK = 2;
/** Board client processes: a multiple of 3, so that each node gets the same share. */
const PROCESSES = 3;
/** An idle window before the typing: what others (other tests, other benches) do to the shared PostgreSQL and Redis meanwhile. */
const BASELINE_MS = 5_000;

interface ClusterRun {
  nodes: number;
  outcome: LoadOutcome;
  perNode: UsageWindow[];
  redis: RedisDelta;
  redisBaseline: RedisDelta;
  postgres: PostgresDelta;
  postgresBaseline: PostgresDelta;
  /** How long the PostgreSQL and Redis deltas were counted over. */
  statSeconds: number;
  /** Per node, the holes it read from the store and its append time (from its /metrics; null if it did not answer, NaN what it does not count). */
  holeFills: Array<HoleFills | null>;
}

interface HoleFills {
  count: number;
  seconds: number;
  /** The node's mean time to append one update (where a same-node relay waits). */
  appendSeconds: number;
}

export const clusterEvent: Scenario = {
  name: 'cluster-event',
  title: `11. The big event on one node and on three (cluster mode: PostgreSQL + Redis, one machine)`,
  async run({ quick, databaseUrl, log }) {
    const redisUrl = process.env.REDIS_URL || null;
    if (!databaseUrl || !redisUrl) throw new Error('needs DATABASE_URL and REDIS_URL (cluster mode)');
    const shape: WorkshopShape = quick ? { groups: 20, perGroup: 10 } : { groups: 50, perGroup: 20 };
    const warmupMs = quick ? 3_000 : 5_000;
    const durationMs = quick ? 10_000 : 25_000;
    const runs: ClusterRun[] = [];
    for (const nodes of [1, 3]) runs.push(await runCluster(nodes, { databaseUrl, redisUrl, shape, warmupMs, durationMs, log }));
    const [one, three] = runs as [ClusterRun, ClusterRun];

    const lat = (s: Summary) => `${ms(s.p50)} / ${ms(s.p99)}`;
    const cpu = (r: ClusterRun) => r.perNode.map((u) => u.cores.toFixed(2)).join(' + ');
    const total = (r: ClusterRun) => r.perNode.reduce((n, u) => n + u.cores, 0);
    const per = (n: number, r: ClusterRun) => (r.outcome.updatesSent > 0 ? (n / r.outcome.updatesSent).toFixed(2) : 'n/a');
    const net = (d: RedisDelta, b: RedisDelta, r: ClusterRun) => d.minus(b.scaled(r.statSeconds / (BASELINE_MS / 1000)));
    const rows = (label: string, pick: (r: ClusterRun) => string) => [label, pick(one), pick(three)];
    const redisOf = (r: ClusterRun) => net(r.redis, r.redisBaseline, r);
    const pgOf = (r: ClusterRun) => r.postgres.minus(r.postgresBaseline.scaled(r.statSeconds / (BASELINE_MS / 1000)));
    const errors = (r: ClusterRun) => r.outcome.errors.boardCloses + r.outcome.errors.boardErrors;
    const clients = shape.groups * shape.perGroup;
    return {
      figures: [
        `${clients} participants in one workshop (${shape.groups} boards × ${shape.perGroup}), every one writing ${RATE} updates/s for ${warmupMs / 1000} s (warm-up) then ${durationMs / 1000} s (measured); ${PROCESSES} client processes, each connected to one node (three nodes: one process each, so every board has people on every node). Per board ${STOCK} stock y-websocket clients, the others light ones (as in the big event). Board connections only: no Socket.IO (facilitation across nodes is measured in its tests, tests/integration/cluster-facilitation.test.ts).`,
        `Both runs are cluster mode (DATABASE_URL + REDIS_URL): the one-node run publishes to Redis too, with nobody else to hear it. PostgreSQL and Redis are shared with whatever else runs on this machine: their deltas are shown net of a ${BASELINE_MS / 1000} s idle window measured just before each run's typing (scaled to its length).`,
        table([
          ['', '1 node', '3 nodes'],
          rows('fan-out p50 / p99, all', (r) => lat(r.outcome.latency)),
          rows('… between people of one node', (r) => lat(r.outcome.near)),
          rows('… across nodes (through Redis)', (r) => (r.outcome.far.count > 0 ? lat(r.outcome.far) : 'n/a')),
          rows('deliveries measured (one node / across)', (r) => `${int(r.outcome.near.count)} / ${int(r.outcome.far.count)}`),
          rows('updates sent (warm-up + measured)', (r) => int(r.outcome.updatesSent)),
          rows('server CPU per node (cores)', cpu),
          rows('server CPU, all nodes', (r) => `${total(r).toFixed(2)} cores`),
          rows('server CPU per 1,000 updates/s', (r) => `${(total(r) / ((clients * RATE) / 1000)).toFixed(2)} cores`),
          rows('peak RSS per node', (r) => r.perNode.map((u) => `${(u.peakRss / 2 ** 20).toFixed(0)}`).join(' + ') + ' MB'),
          rows('Redis commands per update', (r) => per(redisOf(r).commands, r)),
          rows('Redis PUBLISH per update', (r) => per(redisOf(r).publishes, r)),
          rows('Redis bytes in / out per update', (r) => `${per(redisOf(r).netIn, r)} / ${per(redisOf(r).netOut, r)}`),
          rows('PostgreSQL rows inserted per update (this schema)', (r) => per(r.postgres.inserted, r)),
          rows('PostgreSQL rows updated per update (this schema)', (r) => per(r.postgres.updated, r)),
          rows('PostgreSQL rows deleted per update (compaction)', (r) => per(r.postgres.deleted, r)),
          rows('PostgreSQL index scans per update (this schema)', (r) => per(r.postgres.idxScans, r)),
          rows('PostgreSQL commits per update (whole database, net)', (r) => per(pgOf(r).commits, r)),
          rows('hole fills per node (store reads, mean time)', (r) => r.holeFills.map((h) => (h && Number.isFinite(h.count) ? `${int(h.count)}` : '?')).join(' + ') + ` (${meanFill(r)})`),
          rows('store append, mean per node', (r) => r.holeFills.map((h) => (h ? ms(h.appendSeconds * 1000) : '?')).join(' + ')),
          rows('errors (board closes and errors)', (r) => int(errors(r))),
        ]),
      ].join('\n'),
      checks: [
        check('cluster event: cross-node p99 ≤ one-node p99 + 50 ms', ms(three.outcome.far.p99), three.outcome.far.p99 <= one.outcome.latency.p99 + 50),
        check('cluster event: no error', int(errors(one) + errors(three)), errors(one) + errors(three) === 0),
      ],
      failures: runs.flatMap((r) => [
        ...(r.outcome.missing > 0 ? [`${r.nodes} node(s): ${r.outcome.missing} updates lost at clients (${r.outcome.missingDetail.slice(0, 3).join('; ')})`] : []),
        ...(r.outcome.duplicates > 0 ? [`${r.nodes} node(s): ${r.outcome.duplicates} updates duplicated`] : []),
        ...(r.outcome.divergent.length > 0 ? [`${r.nodes} node(s): clients of ${r.outcome.divergent.length} boards did not converge`] : []),
      ]),
    };
  },
};

interface RunOptions {
  databaseUrl: string;
  redisUrl: string;
  shape: WorkshopShape;
  warmupMs: number;
  durationMs: number;
  log(line: string): void;
}

async function runCluster(count: number, opts: RunOptions): Promise<ClusterRun> {
  const schema = `bench_cluster_${process.pid}_${randomBytes(3).toString('hex')}`;
  const nodes: ServerProcess[] = [];
  const redis = new Redis(opts.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const db = new pg.Client({ connectionString: opts.databaseUrl });
  await db.connect();
  const fleet = LoadFleet.spawn(PROCESSES);
  try {
    for (let i = 0; i < count; i++) {
      nodes.push(await spawnRelatoria({ databaseUrl: opts.databaseUrl, boardIdleMs: 120_000, env: { REDIS_URL: opts.redisUrl, DATABASE_SCHEMA: schema, NODE_ID: `bench-node${i + 1}`, LOG_LEVEL: 'warn' } }));
    }
    const workshop = await createThroughApi(nodes[0]!.url, opts.shape);
    const plans = planClients(workshop, { wsUrl: nodes[0]!.wsUrl, httpUrl: null, processes: PROCESSES, writersPerBoard: opts.shape.perGroup, stockPerBoard: STOCK, sockets: false });
    // Process p talks to node p mod count; a writer is near the processes on its node.
    const nodeOfWriter = new Map<number, number>();
    plans.forEach((plan, p) => {
      plan.wsUrl = nodes[p % count]!.wsUrl;
      for (const board of plan.boards) for (const c of board.clients) if (c.writer !== null) nodeOfWriter.set(c.writer, p % count);
    });
    plans.forEach((plan, p) => (plan.nearWriters = [...nodeOfWriter].filter(([, node]) => node === p % count).map(([w]) => w)));
    const began = performance.now();
    const connectMs = await fleet.connect(plans);
    opts.log(`  ${count} node(s): ${connectMs.length} connections ready in ${((performance.now() - began) / 1000).toFixed(1)} s; idle ${BASELINE_MS / 1000} s for the baseline, then typing ${opts.warmupMs / 1000} + ${opts.durationMs / 1000} s`);

    const redisIdle = await redisStats(redis);
    const pgIdle = await postgresStats(db, schema);
    await new Promise((resolve) => setTimeout(resolve, BASELINE_MS));
    const redisBaseline = (await redisStats(redis)).minus(redisIdle);
    const postgresBaseline = (await postgresStats(db, schema)).minus(pgIdle);

    const now = Date.now();
    const load: StartLoad = { t0: now, startAt: now + 1_000, warmupMs: opts.warmupMs, durationMs: opts.durationMs, rate: RATE };
    const redisBefore = await redisStats(redis);
    const pgBefore = await postgresStats(db, schema);
    const typingBegan = performance.now();
    let windows: Array<{ stop(): UsageWindow }> = [];
    const opening = setTimeout(() => (windows = nodes.map((n) => openUsageWindow(n.pid))), load.startAt + load.warmupMs - Date.now());
    const sent = await fleet.type(load);
    clearTimeout(opening);
    const perNode = windows.map((w) => w.stop());
    const results = await fleet.finish(sent, 30_000);
    // PostgreSQL's backends report their counters within a second of a transaction, idle ones within ten.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const statSeconds = (performance.now() - typingBegan) / 1000;
    const redisDelta = (await redisStats(redis)).minus(redisBefore);
    const pgDelta = (await postgresStats(db, schema)).minus(pgBefore);
    const holeFills = await Promise.all(nodes.map((n) => readHoleFills(n.url)));
    const outcome = mergeResults(results, sent);
    opts.log(`  ${count} node(s): ${int(outcome.updatesSent)} updates; fan-out p50 ${ms(outcome.latency.p50)}, p99 ${ms(outcome.latency.p99)}`);
    return { nodes: count, outcome, perNode, redis: redisDelta, redisBaseline, postgres: pgDelta, postgresBaseline, statSeconds, holeFills };
  } finally {
    await fleet.close();
    for (const node of nodes) await node.stop();
    redis.disconnect();
    await db.end();
    const store = await PostgresStore.open(opts.databaseUrl, schema);
    await store.dropSchema();
    await store.close();
  }
}

/** A node's hole fills since it started (warm-up included), from its Prometheus text. */
async function readHoleFills(url: string): Promise<HoleFills | null> {
  const text = await fetch(`${url}/metrics`).then((r) => (r.ok ? r.text() : null), () => null);
  if (text === null) return null;
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const count = value('relatoria_board_hole_fills_total');
  const appendSeconds = value('relatoria_store_append_seconds_sum') / value('relatoria_store_append_seconds_count');
  return { count, seconds: value('relatoria_board_hole_fill_seconds_sum'), appendSeconds };
}

function meanFill(r: ClusterRun): string {
  const known = r.holeFills.filter((h): h is HoleFills => h !== null && Number.isFinite(h.count));
  const count = known.reduce((n, h) => n + h.count, 0);
  return count > 0 ? `${ms((known.reduce((n, h) => n + h.seconds, 0) / count) * 1000)} each` : 'none';
}

class RedisDelta {
  constructor(
    readonly commands: number,
    readonly publishes: number,
    readonly netIn: number,
    readonly netOut: number,
  ) {}
  minus(o: RedisDelta): RedisDelta {
    return new RedisDelta(this.commands - o.commands, this.publishes - o.publishes, this.netIn - o.netIn, this.netOut - o.netOut);
  }
  scaled(f: number): RedisDelta {
    return new RedisDelta(this.commands * f, this.publishes * f, this.netIn * f, this.netOut * f);
  }
}

/** Redis's own counters (INFO stats and commandstats): they count every client, ours and others'. */
async function redisStats(redis: Redis): Promise<RedisDelta> {
  const info = (await redis.info('stats')) + (await redis.info('commandstats'));
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  const publishes = Number(/^cmdstat_publish:calls=(\d+)/m.exec(info)?.[1] ?? 0);
  return new RedisDelta(field('total_commands_processed'), publishes, field('total_net_input_bytes'), field('total_net_output_bytes'));
}

class PostgresDelta {
  constructor(
    readonly inserted: number,
    readonly updated: number,
    readonly deleted: number,
    readonly idxScans: number,
    readonly commits: number,
  ) {}
  minus(o: PostgresDelta): PostgresDelta {
    return new PostgresDelta(this.inserted - o.inserted, this.updated - o.updated, this.deleted - o.deleted, this.idxScans - o.idxScans, this.commits - o.commits);
  }
  scaled(f: number): PostgresDelta {
    return new PostgresDelta(this.inserted * f, this.updated * f, this.deleted * f, this.idxScans * f, this.commits * f);
  }
}

/** The schema's tables (only this run writes them) and the database's commits (everyone's). */
async function postgresStats(db: pg.Client, schema: string): Promise<PostgresDelta> {
  await db.query('SELECT pg_stat_clear_snapshot()');
  const tables = await db.query<{ ins: string | null; upd: string | null; del: string | null; idx: string | null }>(
    'SELECT sum(n_tup_ins) AS ins, sum(n_tup_upd) AS upd, sum(n_tup_del) AS del, sum(coalesce(idx_scan, 0)) AS idx FROM pg_stat_user_tables WHERE schemaname = $1',
    [schema],
  );
  const database = await db.query<{ commits: string }>('SELECT xact_commit AS commits FROM pg_stat_database WHERE datname = current_database()');
  const t = tables.rows[0]!;
  return new PostgresDelta(Number(t.ins ?? 0), Number(t.upd ?? 0), Number(t.del ?? 0), Number(t.idx ?? 0), Number(database.rows[0]?.commits ?? 0));
}
