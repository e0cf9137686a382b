// What facilitation tells the other nodes through Redis, besides Socket.IO's own
// broadcasts (the Redis adapter): a workshop's session changed (its revision, and the
// record as stored, so locks and phases apply there before anything else is read), a link
// was revoked, a join code rotated, someone joined, a workshop is being deleted, was deleted, or its
// deletion failed.
// One channel for all workshops; a node ignores what it does not hold. Redis only carries: every receiver
// reads the store for what matters, so a lost message costs at most a delay.
import { z } from 'zod';
import type { Logger } from '../lib/logger.js';
import { redisAnswerWithin, type RedisLink } from './redis-link.js';

export type FacilitationMessage =
  /** `record`: the stored record of revision `rev`; ballots and the roster are read from the store. */
  | { kind: 'session'; workshopId: string; rev: number; record: string }
  | { kind: 'revoked'; linkId: string; workshopId: string; expiresAt: number; revokedAt: number }
  | { kind: 'join-code'; workshopId: string; joinCode: string }
  /** Someone joined through the sender: the roster is read from the store. */
  | { kind: 'joined'; workshopId: string }
  | { kind: 'erasing'; workshopId: string }
  | { kind: 'erased'; workshopId: string }
  | { kind: 'erase-failed'; workshopId: string };

const messageSchema = z.object({
  origin: z.string(),
  message: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('session'), workshopId: z.string(), rev: z.number().int(), record: z.string() }),
    z.object({ kind: z.literal('revoked'), linkId: z.string(), workshopId: z.string(), expiresAt: z.number(), revokedAt: z.number() }),
    z.object({ kind: z.literal('join-code'), workshopId: z.string(), joinCode: z.string() }),
    z.object({ kind: z.literal('joined'), workshopId: z.string() }),
    z.object({ kind: z.literal('erasing'), workshopId: z.string() }),
    z.object({ kind: z.literal('erased'), workshopId: z.string() }),
    z.object({ kind: z.literal('erase-failed'), workshopId: z.string() }),
  ]),
});

/** A publish waits at most this long for Redis (then the sender goes on: receivers read the store anyway). */
const PUBLISH_WAIT_MS = 2_000;

export class FacilitationBus {
  readonly #link: RedisLink;
  readonly #log: Logger;
  readonly #channel: string;
  readonly #handlers = new Set<(message: FacilitationMessage) => void>();
  readonly #reconnected = new Set<() => void>();
  #failing = false;

  constructor(link: RedisLink, log: Logger) {
    this.#link = link;
    this.#log = log;
    this.#channel = `${link.prefix}facilitation`;
    link.onMessage((channel, bytes) => {
      if (channel === this.#channel) this.#received(bytes);
    });
    link.onReconnected(() => {
      for (const listener of this.#reconnected) listener();
    });
  }

  /** Subscribes (once, when the node joins the cluster). */
  async start(): Promise<void> {
    await this.#link.subscribe(this.#channel);
  }

  /** Called with every message another node sent. */
  onMessage(handler: (message: FacilitationMessage) => void): void {
    this.#handlers.add(handler);
  }

  /** Redis was away and is back: what was published meanwhile is lost, so read the store again. */
  onReconnected(listener: () => void): void {
    this.#reconnected.add(listener);
  }

  /** Resolves once Redis took the message, or failed (logged): never rejects. */
  async publish(message: FacilitationMessage): Promise<void> {
    try {
      await redisAnswerWithin(this.#link.publish(this.#channel, Buffer.from(JSON.stringify({ origin: this.#link.nodeId, message }))), PUBLISH_WAIT_MS);
      this.#failing = false;
    } catch (err) {
      if (!this.#failing) this.#log.warn('could not tell the other nodes of a facilitation change; they read it from the store later', { kind: message.kind, err });
      this.#failing = true;
    }
  }

  #received(bytes: Buffer): void {
    let parsed: z.infer<typeof messageSchema>;
    try {
      parsed = messageSchema.parse(JSON.parse(bytes.toString('utf8')));
    } catch (err) {
      this.#log.error('unreadable facilitation message from Redis', { err });
      return;
    }
    if (parsed.origin === this.#link.nodeId) return;
    for (const handler of this.#handlers) {
      try {
        handler(parsed.message);
      } catch (err) {
        this.#log.error('handling a facilitation message from another node failed', { kind: parsed.message.kind, err });
      }
    }
  }
}
