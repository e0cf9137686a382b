// Nodes come and go behind a real balancer (issue 14 §4–5): nginx, configured from
// docs/cluster/nginx.conf, in front of three real processes (server/main.ts) in cluster
// mode on PostgreSQL and Redis. People connect only through nginx — board clients (stock
// y-websocket) and the facilitation channel (stock socket.io-client, long-polling first) —
// from three source addresses that nginx's ip_hash sends to three different nodes. They
// type all along while each node in turn is killed with -9 and started again, and then one
// is stopped with SIGTERM. Nothing anyone saw is lost, every client ends with the same
// board as the store, and every Socket.IO client is connected again.
import { Agent, get } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { addCard } from '../../shared/board.js';
import { PROTOCOL_VERSION } from '../../shared/protocol.js';
import { PostgresStore } from '../../server/store/postgres.js';
import { startNginx, type Balancer } from '../../scripts/nginx.js';
import { setupWorkshop, type BoardRef } from '../helpers/api.js';
import { storedBoard, texts } from '../helpers/board.js';
import { freePort, spawnServer, type ChildServer } from '../helpers/child-server.js';
import { freshSchema } from '../helpers/cluster.js';
import { waitFor } from '../helpers/wait.js';
import { connectBoard, type BoardClient } from '../helpers/yclient.js';
import { nginxBinary, postgresUrl, redisUrl } from '../support/requires.js';

const pg = await postgresUrl();
const redis = await redisUrl();
const nginx = nginxBinary();

/** A WebSocket class whose connections leave from `localAddress` (127.0.0.0/8 is all loopback). */
function boundWebSocket(localAddress: string): typeof WebSocket {
  class Bound extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols ?? [], { localAddress });
    }
  }
  // y-websocket calls it as `new WS(url, protocols)`, which this one is.
  return Bound as unknown as typeof WebSocket;
}

/** GET through the balancer from `localAddress`; resolves with the status. */
function getFrom(url: string, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { localAddress }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

/** Source addresses that ip_hash sends to different nodes, read from nginx's access log ($upstream_addr). */
async function addressesPerNode(balancer: Balancer, url: string, nodes: number): Promise<string[]> {
  const candidates = Array.from({ length: 24 }, (_, i) => `127.0.${i + 1}.1`);
  for (const address of candidates) expect(await getFrom(`${url}/healthz`, address)).toBe(200);
  const upstreamOf = new Map<string, string>();
  for (const line of (await balancer.accessLog()).split('\n')) {
    const [address] = line.split(' ');
    const upstream = line.trim().split(' ').at(-1);
    if (address && upstream && line.includes('"GET /healthz"')) upstreamOf.set(address, upstream);
  }
  const chosen = new Map<string, string>();
  for (const address of candidates) {
    const upstream = upstreamOf.get(address);
    if (upstream && !chosen.has(upstream)) chosen.set(upstream, address);
  }
  expect(chosen.size).toBe(nodes);
  return [...chosen.values()];
}

interface Person {
  address: string;
  writer: BoardClient;
  watcher: BoardClient;
  socket: Socket;
  /** `workshop:snapshot`s received: one per (re)connection. */
  snapshots: number;
  /** How many it had once everyone was connected. */
  snapshotsAtStart: number;
  disconnects: string[];
}

describe.skipIf(pg === null || redis === null || nginx === null)('cluster behind nginx while nodes come and go', () => {
  it('kill -9 of each node in turn, then SIGTERM of one: every client carries on through the balancer and nothing seen is lost', { timeout: 300_000 }, async () => {
    const { schema, tempDir } = freshSchema(pg!, 'balancer');
    const start = async (port: number): Promise<ChildServer> => {
      const dataDir = await tempDir();
      return spawnServer({
        dataDir, port, startTimeoutMs: 60_000,
        env: { DATABASE_URL: pg!, DATABASE_SCHEMA: schema, REDIS_URL: redis!, BOARD_IDLE_MS: '60000', TRUST_PROXY: 'loopback', JOINS_PER_MINUTE: '100000', DRAIN_NOTICE_MS: '500' },
      });
    };
    const ports = [await freePort(), await freePort(), await freePort()];
    const nodes: ChildServer[] = [];
    for (const port of ports) nodes.push(await start(port));

    const prefix = await tempDir('relatoria-nginx-');
    const listen = await freePort();
    const balancer = await startNginx(nginx!, prefix, { listen: `127.0.0.1:${listen}`, nodes: ports.map((p) => `127.0.0.1:${p}`) });
    onTestFinished(() => balancer.stop());
    const url = `http://127.0.0.1:${listen}`;
    const wsUrl = `ws://127.0.0.1:${listen}`;

    const w = await setupWorkshop(url);
    const addresses = await addressesPerNode(balancer, url, nodes.length);
    const people: Person[] = [];
    // Everyone joins first: a join while others are connected is news to them.
    const tokens = await Promise.all(addresses.map((_, k) => w.participant('A', `Persona ${k}`)));
    for (const [k, address] of addresses.entries()) {
      const webSocket = boundWebSocket(address);
      const board = (token: string) => connectBoard(wsUrl, w.boardA, token, { webSocket, maxBackoffTime: 500 });
      // The stock client's default transports: long-polling first, then the upgrade; both from `address`.
      const socket: Socket = io(url, {
        path: '/socket.io', forceNew: true, auth: { token: w.facilitatorToken, protocol: PROTOCOL_VERSION },
        agent: new Agent({ localAddress: address }) as unknown as string, localAddress: address,
        reconnectionDelay: 100, reconnectionDelayMax: 500,
      } as Parameters<typeof io>[1]);
      onTestFinished(() => void socket.disconnect());
      const person: Person = { address, writer: board(tokens[k]!), watcher: board(w.facilitatorToken), socket, snapshots: 0, snapshotsAtStart: 0, disconnects: [] };
      socket.on('workshop:snapshot', () => person.snapshots++);
      socket.on('disconnect', (reason) => person.disconnects.push(reason));
      people.push(person);
    }
    const everyone = () => people.flatMap((p) => [p.writer, p.watcher]);
    const connected = () => everyone().every((c) => c.provider.synced) && people.every((p) => p.socket.connected && p.snapshots >= 1);
    await waitFor(connected, 60_000, 'every client to connect through nginx').catch((err: Error) => {
      const state = people.map((p) => `${p.address}: writer ${p.writer.provider.synced ? 'synced' : 'not synced'} ${p.writer.closeCodes.join(',')}, watcher ${p.watcher.provider.synced ? 'synced' : 'not synced'} ${p.watcher.closeCodes.join(',')}, socket ${p.socket.connected ? 'connected' : 'not connected'} ${p.snapshots} snapshots`);
      throw new Error(`${err.message}\n${state.join('\n')}\nnginx: ${balancer.output()}`);
    });
    for (const p of people) p.snapshotsAtStart = p.snapshots;

    // Everyone types all along (a card every 30 ms each), through every kill and restart.
    const typed: string[] = [];
    let n = 0;
    const typing = setInterval(() => {
      for (const [k, p] of people.entries()) {
        const text = `p${k} ${n}`;
        addCard(p.writer.doc, { text, author: `p${k}` });
        typed.push(text);
      }
      n++;
    }, 30);
    onTestFinished(() => clearInterval(typing));

    const seenEver = new Set<string>();
    /** After a node went away: what the watchers saw was stored; then everyone carries on through the balancer. */
    const survive = async (what: string) => {
      const seen = people.flatMap((p) => texts(p.watcher.doc));
      for (const text of seen) seenEver.add(text);
      expect(texts(await storedOn(pg!, schema, w.boardA))).toEqual(expect.arrayContaining([...new Set(seen)]));
      // A card typed now by each person reaches every watcher: writers and watchers reconnected, and nodes relay.
      const marks = people.map((p, k) => {
        const text = `mark ${k} ${what}`;
        addCard(p.writer.doc, { text, author: `p${k}` });
        typed.push(text);
        return text;
      });
      await waitFor(() => people.every((p) => marks.every((m) => texts(p.watcher.doc).includes(m))), 45_000, `every watcher to see every mark after ${what}`);
      await waitFor(() => people.every((p) => p.socket.connected), 45_000, `every Socket.IO client to be connected after ${what}`);
    };

    for (const victim of [0, 1, 2]) {
      await new Promise((resolve) => setTimeout(resolve, 400)); // typing goes on
      expect(await nodes[victim]!.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      await survive(`kill -9 of node ${victim}`);
      nodes[victim] = await start(ports[victim]!);
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
    // The node holding the most board sockets now (where ip_hash put the people back) is stopped with SIGTERM.
    const held = await Promise.all(nodes.map((node) => boardConnections(node.url)));
    const busiest = held.indexOf(Math.max(...held));
    expect(held[busiest]).toBeGreaterThan(0);
    const drained = nodes[busiest]!;
    drained.proc.kill('SIGTERM');
    expect(await drained.exited).toEqual({ code: 0, signal: null });
    await survive(`SIGTERM of node ${busiest}`);
    // Its board clients were told to reconnect (1012), not cut off.
    expect(everyone().filter((c) => c.closeCodes.includes(1012)).length).toBe(held[busiest]);
    nodes[busiest] = await start(ports[busiest]!);

    clearInterval(typing);
    await waitFor(() => everyone().every((c) => texts(c.doc).length === typed.length), 45_000, `every client to hold all ${typed.length} cards`);
    const all = [...typed].sort();
    for (const c of everyone()) expect(texts(c.doc)).toEqual(all);
    await waitFor(async () => texts(await storedOn(pg!, schema, w.boardA)).length === typed.length, 20_000, 'the store to hold every card');
    expect(texts(await storedOn(pg!, schema, w.boardA))).toEqual(all);
    for (const text of seenEver) expect(all).toContain(text);

    // Each person's node went away at least once: each Socket.IO client lost its transport and came back with a fresh snapshot.
    for (const p of people) {
      expect(p.disconnects.length).toBeGreaterThanOrEqual(1);
      expect(p.snapshots).toBeGreaterThan(p.snapshotsAtStart);
    }
    await waitFor(() => people.every((p) => p.socket.connected), 45_000, 'every Socket.IO client to be connected at the end');
    // Every node took traffic through nginx, before and after the kills.
    const log = await balancer.accessLog();
    for (const port of ports) expect(log).toContain(`127.0.0.1:${port}`);
  });
});

/** Open board sockets on a node, from its /metrics. */
async function boardConnections(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('relatoria_board_connections '));
  return Number(line?.split(' ')[1] ?? NaN);
}

async function storedOn(url: string, schema: string, board: BoardRef): Promise<Y.Doc> {
  const store = await PostgresStore.open(url, schema);
  try {
    return await storedBoard(store, board);
  } finally {
    await store.close();
  }
}
