// Boards across nodes: every update a node stores is published on the board's channel
// with its per-board sequence number and the node's id; every node holding the board
// applies it in number order (Board.applyStored), holding back what arrives past a hole
// until it closes (own appends answered, the message overtaken, or else the store read).
// A node loading a board subscribes before it reads the store and keeps what arrives
// meanwhile: once loaded, what it already read is skipped and the rest applied, so no
// update falls between the read and the subscription.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Board } from '../docsync/board.js';
import { DEFAULT_HOLE_GRACE_MS } from '../docsync/held-back.js';
import type { Logger } from '../lib/logger.js';
import { BoardChannels } from './board-channels.js';
import type { RedisLink } from './redis-link.js';
import { OutageLog } from './outage-log.js';

/** What the board registry needs of a relay between nodes. */
export interface BoardRelay {
  /** Subscribes to the board's channel; call before reading the board from the store. */
  join(name: string): Promise<BoardMembership>;
  /** Hands a stored update to the other nodes (never waits, never throws). */
  publish(name: string, seq: number, update: Uint8Array): void;
  /** How long a board waits for a message overtaken on its way before reading the hole from the store. */
  readonly holeGraceMs: number;
}

export interface BoardMembership {
  /** The board is loaded: it gets what arrived meanwhile, then everything as it arrives. */
  attach(board: Board): void;
  /** The board left memory (or never loaded): unsubscribes. */
  leave(): void;
}

export interface BoardRelayOptions {
  link: RedisLink;
  log: Logger;
  /** Test hook: a message for which it says true is dropped on arrival, as if Redis had lost it. */
  dropIncoming?: (name: string, seq: number) => boolean;
  /** Test hook: a message for which it gives a promise arrives once that settles (overtaken by later ones meanwhile). */
  delayIncoming?: (name: string, seq: number) => Promise<void> | null;
  /** CLUSTER_HOLE_GRACE_MS (see BoardRelay). */
  holeGraceMs?: number;
}

/** An update stored under a number; or only the number a node stored through (no update). */
const UPDATE = 1;
const HEAD = 2;

interface Message {
  seq: number;
  origin: string;
  update: Uint8Array | null;
}

function encode(seq: number, origin: string, update: Uint8Array | null): Buffer {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, update ? UPDATE : HEAD);
  encoding.writeVarUint(e, seq);
  encoding.writeVarString(e, origin);
  if (update) encoding.writeVarUint8Array(e, update);
  return Buffer.from(encoding.toUint8Array(e));
}

function decode(bytes: Uint8Array): Message {
  const d = decoding.createDecoder(bytes);
  const kind = decoding.readVarUint(d);
  if (kind !== UPDATE && kind !== HEAD) throw new Error(`unknown board message kind ${kind}`);
  const seq = decoding.readVarUint(d);
  const origin = decoding.readVarString(d);
  return { seq, origin, update: kind === UPDATE ? decoding.readVarUint8Array(d) : null };
}

class Membership implements BoardMembership {
  board: Board | null = null;
  /** What arrived while the board was loading. */
  buffered: Message[] | null = [];
  constructor(readonly relay: RedisBoardRelay, readonly name: string) {}

  attach(board: Board): void {
    this.board = board;
    const buffered = this.buffered ?? [];
    this.buffered = null;
    for (const message of buffered) this.relay.deliver(this, message);
  }

  leave(): void {
    this.relay.leave(this);
  }
}

export class RedisBoardRelay implements BoardRelay {
  readonly #link: RedisLink;
  readonly #log: Logger;
  readonly #drop: BoardRelayOptions['dropIncoming'];
  readonly #delay: BoardRelayOptions['delayIncoming'];
  readonly #boards: BoardChannels<Membership>;
  readonly #outage: OutageLog;
  readonly holeGraceMs: number;

  constructor(opts: BoardRelayOptions) {
    this.holeGraceMs = opts.holeGraceMs ?? DEFAULT_HOLE_GRACE_MS;
    this.#link = opts.link;
    this.#log = opts.log;
    this.#drop = opts.dropIncoming;
    this.#delay = opts.delayIncoming;
    this.#boards = new BoardChannels(opts.link, 'board');
    // Stored already: the other nodes fill the gap from the store with the next update, or when Redis is back.
    this.#outage = new OutageLog(opts.log, 'board updates across nodes', 'the other nodes read them from the store');
    opts.link.onMessage((channel, message) => this.#received(channel, message));
    // Whatever was published while Redis was away is in the store: read what others stored
    // meanwhile, and tell them how far this node stored (its publishes may have failed).
    opts.link.onReconnected(() => {
      for (const member of this.#boards.members()) {
        const board = member.board;
        if (!board) continue;
        board.catchUp().catch((err: unknown) => this.#log.warn('catching a board up from the store failed', { board: member.name, err }));
        this.#send(member.name, board.storedThrough, null);
      }
    });
  }

  async join(name: string): Promise<BoardMembership> {
    const member = new Membership(this, name);
    try {
      await this.#boards.join(member);
    } catch (err) {
      // Subscribed again (and caught up) when Redis is back: the board still serves this node.
      this.#log.warn('could not subscribe to a board’s updates from other nodes', { board: name, err });
    }
    return member;
  }

  leave(member: Membership): void {
    member.board = null;
    this.#boards.leave(member);
  }

  publish(name: string, seq: number, update: Uint8Array): void {
    this.#send(name, seq, update);
  }

  #send(name: string, seq: number, update: Uint8Array | null): void {
    if (seq === 0) return;
    this.#link.publish(this.#boards.channel(name), encode(seq, this.#link.nodeId, update)).then(
      () => this.#outage.recovered(),
      (err: unknown) => this.#outage.failed(`publishing an update of board ${name}`, err),
    );
  }

  #received(channel: string, bytes: Buffer): void {
    const member = this.#boards.memberOf(channel);
    if (!member) return;
    let message: Message;
    try {
      message = decode(bytes);
    } catch (err) {
      this.#log.error('unreadable board message from Redis', { channel, err });
      return;
    }
    if (message.origin === this.#link.nodeId) return; // this node stored it, and holds it
    if (this.#drop?.(member.name, message.seq)) return;
    const delayed = this.#delay?.(member.name, message.seq);
    if (delayed) void delayed.then(() => this.#accept(member, message));
    else this.#accept(member, message);
  }

  #accept(member: Membership, message: Message): void {
    if (member.buffered) member.buffered.push(message);
    else this.deliver(member, message);
  }

  deliver(member: Membership, message: Message): void {
    member.board?.applyStored(message.seq, message.update).catch((err: unknown) => {
      this.#log.warn('applying another node’s board update failed', { board: member.name, seq: message.seq, err });
    });
  }
}
