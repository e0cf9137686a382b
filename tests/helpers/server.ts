// An in-process Relatoría server on a free port, over a real SQLite file in a
// fresh temp dir. Called inside a test, it is closed (and its dir removed) when
// the test finishes; clients opened later in the test are closed before it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { createRelatoriaServer, type RelatoriaServer } from '../../server/server.js';
import type { RequestLimits } from '../../server/http/app.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { ServerMetrics } from '../../server/lib/metrics.js';
import { CapturingLogger } from './logger.js';

export const TEST_SECRET = 'integration-test-secret';

export interface TestServerOptions {
  boardIdleMs?: number;
  compactEvery?: number;
  allowedOrigins?: string[];
  autoVersionEveryMs?: number;
  limits?: RequestLimits;
  /** Each board update takes this long to store, as PostgreSQL's writes do across a network. */
  appendDelayMs?: number;
  /** The facilitation protocol the server speaks (default: this code's). */
  protocol?: { current: number; minimum: number };
  /** Collect the process's own metrics too, as main.ts does (default: only the server's). */
  processMetrics?: boolean;
  metricsToken?: string;
  /** A directory with a built client to serve (default: none). */
  clientDir?: string;
  sessionIdleMs?: number;
  retentionDays?: number;
  useRecordEveryMs?: number;
  /** Import worker threads and one import's time budget. */
  imports?: { workers?: number; timeBudgetMs?: number };
  /** Export worker threads and one rendering's time budget. */
  exports?: { workers?: number; timeBudgetMs?: number };
  linkTtlDays?: number;
}

export interface TestServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  port: number;
  server: RelatoriaServer;
  store: SqliteStore;
  log: CapturingLogger;
  dataDir: string;
  close(): Promise<void>;
}

export async function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'relatoria-it-'));
  const store = new SqliteStore(join(dataDir, 'relatoria.db'));
  if (options.appendDelayMs) {
    const append = store.appendUpdate.bind(store);
    const delay = options.appendDelayMs;
    store.appendUpdate = async (doc, update) => {
      await new Promise((resolve) => setTimeout(resolve, delay));
      return append(doc, update);
    };
  }
  const log = new CapturingLogger();
  const server = createRelatoriaServer({
    store,
    log,
    secret: TEST_SECRET,
    clientDir: options.clientDir ?? join(dataDir, 'no-client'),
    allowedOrigins: options.allowedOrigins ?? [],
    boardIdleMs: options.boardIdleMs ?? 60_000,
    compactEvery: options.compactEvery,
    autoVersionEveryMs: options.autoVersionEveryMs,
    protocol: options.protocol,
    metrics: new ServerMetrics({ processDefaults: options.processMetrics ?? false }),
    metricsToken: options.metricsToken ?? null,
    sessionIdleMs: options.sessionIdleMs,
    retentionDays: options.retentionDays ?? null,
    useRecordEveryMs: options.useRecordEveryMs,
    imports: options.imports,
    exports: options.exports,
    linkTtlDays: options.linkTtlDays,
    // Tests create many workshops from one address; the limits have tests of their own.
    limits: { creationsPerMinute: 100_000, joinsPerMinute: 100_000, ...options.limits },
  });
  const port = await server.listen(0, '127.0.0.1');
  let closed: Promise<void> | null = null;
  const close = () =>
    (closed ??= (async () => {
      await server.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    })());
  onTestFinished(close);
  return { url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}`, port, server, store, log, dataDir, close };
}
