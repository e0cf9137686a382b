// A node's two Redis connections in cluster mode: one publishes, one subscribes (a
// subscribed connection can do nothing else). Redis only carries; PostgreSQL holds the
// truth. The publisher never queues while Redis is away (a publish then fails at once and
// the receivers fill the gap from the store later); the subscriber keeps its own list of
// channels and, every time it connects again, subscribes to them all and then tells its
// listeners, who catch up from the store on whatever was published meanwhile.
// Reusable by what else goes across nodes (facilitation, presence): one link per node.
import { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.js';

export interface RedisLinkOptions {
  url: string;
  /** Every channel name starts with it: nodes sharing a database schema share one prefix. */
  prefix: string;
  /** This node, as its messages name it. */
  nodeId: string;
  log: Logger;
}

/** Settles as `work` does, or rejects once `ms` passed without an answer from Redis (`work` itself goes on). */
export async function redisAnswerWithin<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

type MessageHandler = (channel: string, message: Buffer) => void;

export class RedisLink {
  readonly nodeId: string;
  readonly prefix: string;
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #log: Logger;
  readonly #channels = new Set<string>();
  readonly #handlers = new Set<MessageHandler>();
  readonly #reconnected = new Set<() => void>();
  readonly #lost = new Set<() => void>();
  /** Whether each connection has been ready before: a later `ready` is a reconnection. */
  #subscribedOnce = false;
  #publishedOnce = false;
  #down = false;
  #closed = false;

  constructor(opts: RedisLinkOptions) {
    this.nodeId = opts.nodeId;
    this.prefix = opts.prefix;
    this.#log = opts.log;
    const common = { lazyConnect: true, connectionName: `relatoria-${opts.nodeId}`, retryStrategy: (times: number) => Math.min(100 * times, 2_000) };
    this.#pub = new Redis(opts.url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    // A command caught by a drop fails soon: the channel list is subscribed again on reconnection anyway.
    this.#sub = new Redis(opts.url, { ...common, autoResubscribe: false, maxRetriesPerRequest: 1 });
    for (const [role, conn] of [['publisher', this.#pub], ['subscriber', this.#sub]] as const) {
      conn.on('error', (err: Error) => this.#wentDown(role, err));
    }
    this.#sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const name = channel.toString();
      for (const handler of this.#handlers) handler(name, message);
    });
    this.#sub.on('ready', () => void this.#subscriberReady());
    this.#pub.on('ready', () => {
      const again = this.#publishedOnce;
      this.#publishedOnce = true;
      if (again) this.#back();
    });
  }

  /** Connects both; rejects (with Redis's reason) when Redis cannot be reached now. */
  async connect(): Promise<void> {
    try {
      await Promise.all([this.#pub.connect(), this.#sub.connect()]);
    } catch (err) {
      this.#pub.disconnect();
      this.#sub.disconnect();
      throw new Error(`cannot reach Redis at REDIS_URL: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  /** Called for every message on a subscribed channel (the channel's full name). */
  onMessage(handler: MessageHandler): void {
    this.#handlers.add(handler);
  }

  /** Called when a connection is back after Redis went away (the subscriber once it is subscribed again). */
  onReconnected(listener: () => void): void {
    this.#reconnected.add(listener);
  }

  /** Called once per outage, when a connection to Redis fails (the nodes no longer hear each other). */
  onLost(listener: () => void): void {
    this.#lost.add(listener);
  }

  /** Whether Redis is away now (from the first failure to the first connection back). */
  get isDown(): boolean {
    return this.#down;
  }

  /** Publishes now or fails now (never queued while Redis is away). */
  async publish(channel: string, message: Buffer): Promise<void> {
    await this.#pub.publish(channel, message);
  }

  /** The publishing connection, for plain commands (keys, hashes): like a publish, fails at once while Redis is away. */
  get commands(): Redis {
    return this.#pub;
  }

  /** Subscribes (kept across reconnections); resolves once Redis confirmed, or at once while it is away. */
  async subscribe(channel: string): Promise<void> {
    this.#channels.add(channel);
    if (this.#sub.status === 'ready') await this.#sub.subscribe(channel);
  }

  /** `subscribe`, waiting at most `ms` for Redis to confirm; the channel is kept (and subscribed again when Redis is back) either way. */
  async subscribeWithin(channel: string, ms: number): Promise<void> {
    await redisAnswerWithin(this.subscribe(channel), ms);
  }

  async unsubscribe(channel: string): Promise<void> {
    this.#channels.delete(channel);
    if (this.#sub.status === 'ready') await this.#sub.unsubscribe(channel);
  }

  /** For readiness: Redis answers the publisher. */
  async ping(): Promise<void> {
    if (this.#pub.status !== 'ready' || this.#sub.status !== 'ready') throw new Error(`not connected (publisher ${this.#pub.status}, subscriber ${this.#sub.status})`);
    await this.#pub.ping();
  }

  async #subscriberReady(): Promise<void> {
    const again = this.#subscribedOnce;
    this.#subscribedOnce = true;
    try {
      if (this.#channels.size > 0) await this.#sub.subscribe(...this.#channels);
    } catch (err) {
      this.#log.warn('could not subscribe again after Redis came back', { err });
      return;
    }
    if (again) this.#back();
  }

  #back(): void {
    if (this.#down) this.#log.info('Redis is back: relaying between nodes again');
    this.#down = false;
    for (const listener of this.#reconnected) listener();
  }

  #wentDown(role: string, err: Error): void {
    if (this.#closed) return;
    // Logged once per outage, not at every retry.
    if (this.#down) return;
    this.#log.warn(`Redis ${role} connection failed: updates are still stored; other nodes catch up when it is back`, { err: err.message });
    this.#down = true;
    for (const listener of this.#lost) listener();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([this.#pub.quit(), this.#sub.quit()]);
    this.#pub.disconnect();
    this.#sub.disconnect();
  }
}
