// Cluster mode's parts for one node: its Redis link (reusable by whatever else crosses
// nodes), the board relay, board presence and presence on it, facilitation's share (the Socket.IO Redis adapter on two
// connections of its own, the per-workshop lock in PostgreSQL, and the bus that tells the
// other nodes what changed), with the readiness check that reports Redis.
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { ServerOptions as SocketIoOptions } from 'socket.io';
import type { Logger } from '../lib/logger.js';
import type { ReadinessCheck } from '../http/operations-routes.js';
import { RedisBoardRelay, type BoardRelayOptions } from './board-relay.js';
import { ClusterPresence } from './cluster-presence.js';
import { RedisBoardPresence } from './board-awareness.js';
import { FacilitationBus } from './facilitation-bus.js';
import { RedisLink } from './redis-link.js';
import { PostgresWorkshopLock, type WorkshopLock } from './workshop-lock.js';

export interface ClusterOptions {
  redisUrl: string;
  /** The PostgreSQL the nodes share: the per-workshop session locks are taken there. */
  databaseUrl: string;
  /** The PostgreSQL schema the nodes share: it names their channels, so two deployments on one Redis stay apart. */
  schema: string;
  nodeId: string;
  log: Logger;
  /** Test hook (see BoardRelayOptions). */
  dropIncoming?: BoardRelayOptions['dropIncoming'];
  /** Test hook (see BoardRelayOptions). */
  delayIncoming?: BoardRelayOptions['delayIncoming'];
  /** CLUSTER_HOLE_GRACE_MS (see BoardRelay). */
  holeGraceMs?: number;
}

/** What the facilitation side of a server needs in cluster mode. */
export interface ClusterFacilitation {
  /** Socket.IO's Redis adapter: a broadcast to a room reaches its sockets on every node, once. */
  adapter: SocketIoOptions['adapter'];
  lock: WorkshopLock;
  bus: FacilitationBus;
  /** Whether this node hears the others now (Redis reachable): its people are told when not. */
  peers: PeerReach;
}

/** Whether a node is cut from the others (Redis away), and when that changes. */
export interface PeerReach {
  readonly cut: boolean;
  onChange(listener: (cut: boolean) => void): void;
}

function peerReach(link: RedisLink): PeerReach {
  return {
    get cut() {
      return link.isDown;
    },
    onChange(listener) {
      link.onLost(() => listener(true));
      link.onReconnected(() => listener(false));
    },
  };
}

export interface ClusterNode {
  nodeId: string;
  link: RedisLink;
  relay: RedisBoardRelay;
  /** Who is online on every node (the facilitation roster and presence). */
  presence: ClusterPresence;
  /** Board presence (awareness: cursors, names) of every node, on the boards held here. */
  boardPresence: RedisBoardPresence;
  facilitation: ClusterFacilitation;
  checks: ReadinessCheck[];
  close(): Promise<void>;
}

/** Connects to Redis (rejects when it cannot be reached now) and sets up the relay. */
export async function joinCluster(opts: ClusterOptions): Promise<ClusterNode> {
  const prefix = `relatoria:${opts.schema}:`;
  const link = new RedisLink({ url: opts.redisUrl, prefix, nodeId: opts.nodeId, log: opts.log });
  await link.connect();
  // The adapter's own pair: its subscriber listens to Socket.IO's channels, which the link does not know.
  const common = { lazyConnect: true, connectionName: `relatoria-${opts.nodeId}-socketio`, retryStrategy: (times: number) => Math.min(100 * times, 2_000) };
  // Never queued while Redis is away (as the link's publisher): this node's sockets get a broadcast at once anyway.
  const adapterPub = new Redis(opts.redisUrl, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const adapterSub = new Redis(opts.redisUrl, common);
  for (const conn of [adapterPub, adapterSub]) conn.on('error', () => undefined); // the link reports Redis outages once
  const bus = new FacilitationBus(link, opts.log);
  try {
    await Promise.all([adapterPub.connect(), adapterSub.connect(), bus.start()]);
  } catch (err) {
    adapterPub.disconnect();
    adapterSub.disconnect();
    await link.close();
    throw new Error(`cannot reach Redis at REDIS_URL: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const relay = new RedisBoardRelay({ link, log: opts.log, dropIncoming: opts.dropIncoming, delayIncoming: opts.delayIncoming, holeGraceMs: opts.holeGraceMs });
  const lock = new PostgresWorkshopLock({ databaseUrl: opts.databaseUrl, schema: opts.schema, log: opts.log });
  const adapter = createAdapter(quietPublisher(adapterPub), adapterSub, { key: `${prefix}socket.io`, publishOnSpecificResponseChannel: true });
  const presence = new ClusterPresence({ link, log: opts.log });
  try {
    await presence.start();
  } catch (err) {
    adapterPub.disconnect();
    adapterSub.disconnect();
    await Promise.allSettled([link.close(), lock.close()]);
    throw err;
  }
  const boardPresence = new RedisBoardPresence({ link, liveness: presence, log: opts.log });
  return {
    nodeId: opts.nodeId,
    link,
    relay,
    presence,
    boardPresence,
    facilitation: { adapter, lock, bus, peers: peerReach(link) },
    checks: [{ name: 'redis', check: () => link.ping() }],
    async close() {
      boardPresence.close();
      await presence.close();
      await Promise.allSettled([link.close(), adapterPub.quit(), adapterSub.quit(), lock.close()]);
      adapterPub.disconnect();
      adapterSub.disconnect();
    },
  };
}

/**
 * The adapter publishes without waiting and leaves a failed publish unhandled (Redis away,
 * or a node closing while a broadcast goes out): failures are dropped here — the sockets
 * of other nodes get a full snapshot when they reconnect, and the state is in the store.
 */
function quietPublisher(client: Redis): Redis {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'publish') return Reflect.get(target, prop, receiver) as unknown;
      return (channel: string | Buffer, message: string | Buffer) => target.publish(channel, message).catch(() => 0);
    },
  });
}
