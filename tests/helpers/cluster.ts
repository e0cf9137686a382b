// Cluster mode in one test process: several real Relatoría servers on free ports, each
// with its own PostgreSQL pool and Redis connections, sharing one fresh schema (which
// also names their Redis channels, so tests never hear each other). Closed, and the
// schema dropped, when the test finishes.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { joinCluster, type ClusterNode } from '../../server/cluster/cluster.js';
import { createRelatoriaServer, type RelatoriaServer } from '../../server/server.js';
import { PostgresStore } from '../../server/store/postgres.js';
import { spawnServer, type ChildServer } from './child-server.js';
import { CapturingLogger } from './logger.js';

export const CLUSTER_SECRET = 'cluster-test-secret';

export interface NodeOptions {
  compactEvery?: number;
  boardIdleMs?: number;
  /** Another Redis URL for this node (a proxy the test can cut). */
  redisUrl?: string;
  /** Drop an incoming board message, as if Redis had lost it. */
  dropIncoming?: (name: string, seq: number) => boolean;
  /** Hold an incoming board message back until the promise settles (later ones overtake it). */
  delayIncoming?: (name: string, seq: number) => Promise<void> | null;
  /** How long a hole waits for an overtaken message before the store is read. */
  holeGraceMs?: number;
  /** The built client to serve (browser tests); none by default. */
  clientDir?: string;
}

export interface TestNode {
  id: string;
  url: string;
  wsUrl: string;
  server: RelatoriaServer;
  store: PostgresStore;
  cluster: ClusterNode;
  log: CapturingLogger;
  close(): Promise<void>;
}

export interface TestCluster {
  schema: string;
  nodes: TestNode[];
  /** Starts one more node on the same schema and Redis. */
  addNode(opts?: NodeOptions): Promise<TestNode>;
  /** Starts one more node as a child process (server/main.ts), for what needs a real process: kill -9. */
  addChildNode(nodeId?: string): Promise<ChildServer>;
}

export async function startCluster(databaseUrl: string, redisUrl: string, count: number, opts: NodeOptions = {}): Promise<TestCluster> {
  const schema = `cluster_${process.pid}_${randomBytes(4).toString('hex')}`;
  const nodes: TestNode[] = [];
  let seq = 0;
  const addNode = async (own: NodeOptions = opts): Promise<TestNode> => {
    const id = `node${seq++}`;
    const log = new CapturingLogger();
    const store = await PostgresStore.open(databaseUrl, schema);
    const cluster = await joinCluster({ redisUrl: own.redisUrl ?? redisUrl, databaseUrl, schema, nodeId: id, log, dropIncoming: own.dropIncoming, delayIncoming: own.delayIncoming, holeGraceMs: own.holeGraceMs });
    const server = createRelatoriaServer({
      store, log, secret: CLUSTER_SECRET, clientDir: own.clientDir ?? '/nonexistent',
      compactEvery: own.compactEvery, boardIdleMs: own.boardIdleMs ?? 60_000,
      relay: cluster.relay, presence: cluster.presence, boardPresence: cluster.boardPresence, cluster: cluster.facilitation, readinessChecks: cluster.checks,
      limits: { creationsPerMinute: 100_000, joinsPerMinute: 100_000 },
    });
    const port = await server.listen(0, '127.0.0.1');
    let closed = false;
    const node: TestNode = {
      id, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}`, server, store, cluster, log,
      async close() {
        if (closed) return;
        closed = true;
        await server.close();
        await cluster.close();
        await store.close();
      },
    };
    nodes.push(node);
    return node;
  };
  const children: ChildServer[] = [];
  const dataDirs: string[] = [];
  const addChildNode = async (nodeId = `child${seq++}`): Promise<ChildServer> => {
    const dataDir = await mkdtemp(join(tmpdir(), 'relatoria-node-'));
    dataDirs.push(dataDir);
    const child = await spawnServer({
      dataDir,
      env: { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, DATABASE_SCHEMA: schema, SECRET: CLUSTER_SECRET, NODE_ID: nodeId },
    });
    children.push(child);
    return child;
  };
  for (let i = 0; i < count; i++) await addNode();
  onTestFinished(async () => {
    for (const child of children) await child.kill('SIGKILL');
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
    for (const node of nodes) await node.close().catch(() => undefined);
    const cleanup = await PostgresStore.open(databaseUrl, schema);
    await cleanup.dropSchema();
    await cleanup.close();
  });
  return { schema, nodes, addNode, addChildNode };
}

export interface FreshSchema {
  schema: string;
  /** A new temporary directory (a child node's data, nginx's prefix), removed with the schema. */
  tempDir(prefix?: string): Promise<string>;
}

/** A schema of its own for one test (it also names the Redis channels), dropped with its temporary directories when the test finishes. */
export function freshSchema(databaseUrl: string, prefix: string): FreshSchema {
  const schema = `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const dirs: string[] = [];
  onTestFinished(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    const store = await PostgresStore.open(databaseUrl, schema);
    await store.dropSchema();
    await store.close();
  });
  return {
    schema,
    async tempDir(prefix = 'relatoria-node-') {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
  };
}
