// Cluster mode's parts for one node: its Redis link (reusable by whatever else crosses
// nodes), the board relay and presence on it, with the readiness check that reports Redis.
import type { Logger } from '../lib/logger.js';
import type { ReadinessCheck } from '../http/operations-routes.js';
import { RedisBoardRelay, type BoardRelayOptions } from './board-relay.js';
import { ClusterPresence } from './cluster-presence.js';
import { RedisLink } from './redis-link.js';

export interface ClusterOptions {
  redisUrl: string;
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

export interface ClusterNode {
  nodeId: string;
  link: RedisLink;
  relay: RedisBoardRelay;
  /** Who is online on every node (the facilitation roster and presence). */
  presence: ClusterPresence;
  checks: ReadinessCheck[];
  close(): Promise<void>;
}

/** Connects to Redis (rejects when it cannot be reached now) and sets up the relay. */
export async function joinCluster(opts: ClusterOptions): Promise<ClusterNode> {
  const link = new RedisLink({ url: opts.redisUrl, prefix: `relatoria:${opts.schema}:`, nodeId: opts.nodeId, log: opts.log });
  await link.connect();
  const relay = new RedisBoardRelay({ link, log: opts.log, dropIncoming: opts.dropIncoming, delayIncoming: opts.delayIncoming, holeGraceMs: opts.holeGraceMs });
  const presence = new ClusterPresence({ link, log: opts.log });
  try {
    await presence.start();
  } catch (err) {
    await link.close();
    throw err;
  }
  return {
    nodeId: opts.nodeId,
    link,
    relay,
    presence,
    checks: [{ name: 'redis', check: () => link.ping() }],
    async close() {
      await presence.close();
      await link.close();
    },
  };
}
