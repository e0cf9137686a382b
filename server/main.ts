// Composition root: config → logger → store → server → listen.
import { join } from 'node:path';
import { CONFIG_EXIT_CODE, ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './lib/logger.js';
import { ServerMetrics } from './lib/metrics.js';
import { SqliteStore } from './store/sqlite.js';
import { PostgresStore } from './store/postgres.js';
import type { Store } from './store/store.js';
import { lockPostgres, lockSqliteFile, type NodeLock } from './store/node-lock.js';
import { joinCluster, type ClusterNode } from './cluster/cluster.js';
import { createRelatoriaServer } from './server.js';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`Relatoría did not start: ${err.message}`);
  process.exit(CONFIG_EXIT_CODE);
}
const log = createLogger({ level: config.logLevel });
const metrics = new ServerMetrics({ processDefaults: true });
let store: Store;
let nodeLock: NodeLock;
let cluster: ClusterNode | null = null;
try {
  // One process per store unless in cluster mode (DATABASE_URL and REDIS_URL): refused here, before anything is written.
  if (config.databaseUrl) {
    const mode = config.redisUrl ? 'cluster' : 'single';
    let retakeFailures = 0;
    nodeLock = await lockPostgres(config.databaseUrl, config.databaseSchema, mode, {
      lost: (err) => log.warn('lost the connection that holds this node’s PostgreSQL lock; taking it again', { err: err.message }),
      retaken: () => {
        retakeFailures = 0;
        log.info('took this node’s PostgreSQL lock again');
      },
      // Logged once per outage; another process taking it meanwhile is what the lock exists to prevent.
      retakeFailed: (err) => retakeFailures++ === 0 && log.error('cannot take this node’s PostgreSQL lock again (retrying)', { err: err.message }),
    });
    if (config.redisUrl) cluster = await joinCluster({ redisUrl: config.redisUrl, databaseUrl: config.databaseUrl, schema: config.databaseSchema, nodeId: config.nodeId, log, holeGraceMs: config.holeGraceMs });
    store = await PostgresStore.open(config.databaseUrl, config.databaseSchema);
  } else {
    const file = join(config.dataDir, 'relatoria.db');
    nodeLock = lockSqliteFile(file);
    store = new SqliteStore(file, { checkpointThread: { log }, onCommit: metrics.storeCommitted });
  }
} catch (err) {
  // A database newer than this code, one that cannot be reached or migrated: one clear line, then out.
  log.error(`Relatoría did not start: ${err instanceof Error ? err.message : String(err)}`, { err });
  process.exit(1);
}
const server = createRelatoriaServer({
  store,
  log,
  secret: config.secret,
  clientDir: config.clientDir,
  allowedOrigins: config.allowedOrigins,
  boardIdleMs: config.boardIdleMs,
  limits: config.limits,
  metrics,
  metricsToken: config.metricsToken,
  sessionIdleMs: config.sessionIdleMs,
  retentionDays: config.retentionDays,
  imports: config.imports,
  exports: config.exports,
  linkTtlDays: config.linkTtlDays,
  ...(cluster ? { relay: cluster.relay, presence: cluster.presence, boardPresence: cluster.boardPresence, cluster: cluster.facilitation, readinessChecks: cluster.checks } : {}),
});
const port = await server.listen(config.port, config.host);
const where = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
log.info(`Relatoría listening on http://${where}:${port}`, {
  store: config.databaseUrl ? `postgresql (schema ${config.databaseSchema})` : `sqlite in ${config.dataDir}`,
  ...(cluster ? { cluster: 'on (boards, sessions, presence and Socket.IO through Redis)', node: cluster.nodeId } : {}),
  retentionDays: config.retentionDays ?? 'off',
});

// SIGTERM/SIGINT drain (server.drain): readiness 503, sockets moved to other nodes, boards
// stored, store closed; exit 0. Bounded: past DRAIN_TIMEOUT_MS, exit 1 with what was left.
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info('shutting down', { signal });
  const began = Date.now();
  const deadline = setTimeout(() => {
    log.error('shutdown did not finish in time; exiting anyway', { timeoutMs: config.drain.timeoutMs });
    process.exit(1);
  }, config.drain.timeoutMs);
  deadline.unref();
  try {
    await server.drain({ noticeMs: config.drain.noticeMs });
    await cluster?.close();
    await store.close();
    await nodeLock.release();
  } catch (err) {
    log.error('shutdown failed', { err });
    process.exit(1);
  }
  log.info('stopped', { ms: Date.now() - began });
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
