// An in-process Relatoría server that can be restarted on the same SQLite file and
// the same port: `restart()` closes the server and its store gracefully, then builds
// a new server over a new store on that file, as a redeploy would. Clients that
// reconnect on their own find it at the same address. Called inside a test, it is
// closed (and its dir removed) when the test finishes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { createRelatoriaServer, type RelatoriaServer } from '../../server/server.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { CapturingLogger } from './logger.js';
import { TEST_SECRET } from './server.js';

export interface RestartableServer {
  url: string;
  wsUrl: string;
  port: number;
  readonly server: RelatoriaServer;
  readonly store: SqliteStore;
  readonly log: CapturingLogger;
  /** Closes the server and its store; `start()` builds a new one on the same file and port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
}

export async function startRestartableServer(): Promise<RestartableServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'relatoria-it-'));
  const file = join(dataDir, 'relatoria.db');
  let current: { server: RelatoriaServer; store: SqliteStore; log: CapturingLogger } | null = null;
  let port = 0;

  async function start() {
    if (current) throw new Error('already running');
    const store = new SqliteStore(file);
    const log = new CapturingLogger();
    const server = createRelatoriaServer({ store, log, secret: TEST_SECRET, clientDir: join(dataDir, 'no-client'), boardIdleMs: 60_000 });
    port = await server.listen(port, '127.0.0.1');
    current = { server, store, log };
  }

  async function stop() {
    if (!current) return;
    const { server, store } = current;
    current = null;
    await server.close();
    await store.close();
  }

  const running = () => {
    if (!current) throw new Error('the server is stopped');
    return current;
  };

  await start();
  onTestFinished(async () => {
    await stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    get server() {
      return running().server;
    },
    get store() {
      return running().store;
    },
    get log() {
      return running().log;
    },
    stop,
    start,
    async restart() {
      await stop();
      // Let this process's clients see their connections end first: fetch would
      // otherwise reuse a keep-alive socket the old server has just closed.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await start();
    },
  };
}
