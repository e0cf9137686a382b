// Board presence (y-protocols awareness) across nodes, on the sibling channel
// `awareness:<board>` of each board's update channel. A node publishes only what it
// accepted from its own connections (presence.ts applied the bounds), named for its
// member (cluster-presence.ts): at most every PUBLISH_EVERY_MS per board, the latest
// state of each id changed meanwhile. The other nodes holding the board apply those
// states as owned by that member and relay them to their own peers. A node loading a
// board asks the others for theirs (QUERY, answered with every local state, as
// hocuspocus' Redis extension does); a node dropping a board says so (GONE). A member
// that stops is dropped at once (its "down" message), one that dies when its heartbeat
// lapses (checked every LIVENESS_CHECK_MS); one that finds its own heartbeat lapsed (a
// stall) says all its states again. Nothing of it is stored.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Board } from '../docsync/board.js';
import type { SharedEntry } from '../docsync/presence.js';
import type { Logger } from '../lib/logger.js';
import { replacedBy } from './cluster-presence.js';
import { BoardChannels } from './board-channels.js';
import { OutageLog } from './outage-log.js';
import type { RedisLink } from './redis-link.js';

/** What the board registry needs of presence across nodes. */
export interface BoardPresenceRelay {
  /** Subscribes to the board's presence channel; resolves once subscribed (or after a short wait). */
  join(name: string): Promise<BoardPresenceMembership>;
}

export interface BoardPresenceMembership {
  /** The board is loaded: the other nodes are asked for their states. */
  attach(board: Board): void;
  /** The board's own connections changed these ids (Board's `onLocalPresence`). */
  changed(ids: number[]): void;
  /** The board left memory: the others drop this node's states of it. */
  leave(): void;
}

/** What the relay needs of the members' liveness (ClusterPresence). */
export interface MemberLiveness {
  readonly member: string;
  onMember(listener: (member: string, up: boolean) => void): void;
  onLapsed(listener: () => void): void;
  membersAlive(members: string[]): Promise<boolean[]>;
}

/** A board's presence changes go out at most this often (cursor moves come at ~30/s)… */
export const PUBLISH_EVERY_MS = 60;
/** …and the members owning states here are checked alive this often (their heartbeat lapses after HEARTBEAT_TTL_MS). */
export const LIVENESS_CHECK_MS = 1_000;

const STATES = 1;
const QUERY = 2;
const GONE = 3;

type Message = { kind: typeof STATES; member: string; entries: SharedEntry[] } | { kind: typeof QUERY; member: string } | { kind: typeof GONE; member: string };

function encode(member: string, kind: number, entries: SharedEntry[] = []): Buffer {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, kind);
  encoding.writeVarString(e, member);
  if (kind === STATES) {
    encoding.writeVarUint(e, entries.length);
    for (const { id, clock, state, identity } of entries) {
      encoding.writeVarUint(e, id);
      encoding.writeVarUint(e, clock);
      encoding.writeVarString(e, state);
      encoding.writeVarString(e, identity);
    }
  }
  return Buffer.from(encoding.toUint8Array(e));
}

function decode(bytes: Uint8Array): Message {
  const d = decoding.createDecoder(bytes);
  const kind = decoding.readVarUint(d);
  const member = decoding.readVarString(d);
  if (kind === QUERY) return { kind, member };
  if (kind === GONE) return { kind, member };
  if (kind !== STATES) throw new Error(`unknown presence message kind ${kind}`);
  const count = decoding.readVarUint(d);
  const entries: SharedEntry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push({ id: decoding.readVarUint(d), clock: decoding.readVarUint(d), state: decoding.readVarString(d), identity: decoding.readVarString(d) });
  }
  return { kind, member, entries };
}

class Membership implements BoardPresenceMembership {
  board: Board | null = null;
  /** Ids changed since the last publish. */
  readonly dirty = new Set<number>();
  /** Running while a publish was made less than PUBLISH_EVERY_MS ago. */
  timer: NodeJS.Timeout | null = null;
  /** Other members with states on this board. */
  readonly others = new Set<string>();
  constructor(readonly relay: RedisBoardPresence, readonly name: string) {}

  attach(board: Board): void {
    this.board = board;
    this.relay.send(this.name, encode(this.relay.member, QUERY));
  }

  changed(ids: number[]): void {
    for (const id of ids) this.dirty.add(id);
    if (!this.timer) this.flush();
  }

  /** Publishes what changed, then holds the next publish back for PUBLISH_EVERY_MS. */
  flush(): void {
    this.timer = null;
    if (this.dirty.size === 0 || !this.board) return;
    const entries = this.board.sharedPresence(this.dirty);
    this.dirty.clear();
    if (entries.length > 0) this.relay.send(this.name, encode(this.relay.member, STATES, entries));
    this.timer = setTimeout(() => this.flush(), PUBLISH_EVERY_MS);
    this.timer.unref();
  }

  leave(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // What the board said of its own connections is dropped with it on every node.
    this.relay.send(this.name, encode(this.relay.member, GONE));
    this.board = null;
    this.relay.leave(this);
  }
}

export interface BoardPresenceOptions {
  link: RedisLink;
  liveness: MemberLiveness;
  log: Logger;
}

export class RedisBoardPresence implements BoardPresenceRelay {
  readonly member: string;
  readonly #link: RedisLink;
  readonly #liveness: MemberLiveness;
  readonly #log: Logger;
  readonly #boards: BoardChannels<Membership>;
  /** States messages heard from each other member: one heard while its liveness was asked says it lives. */
  readonly #heard = new Map<string, number>();
  readonly #checking: NodeJS.Timeout;
  #checkRunning = false;
  readonly #outage: OutageLog;

  constructor(opts: BoardPresenceOptions) {
    this.#link = opts.link;
    this.#liveness = opts.liveness;
    this.#log = opts.log;
    this.#outage = new OutageLog(opts.log, 'board presence across nodes', 'said again when Redis answers');
    this.member = opts.liveness.member;
    this.#boards = new BoardChannels(opts.link, 'awareness');
    opts.link.onMessage((channel, message) => this.#received(channel, message));
    opts.liveness.onMember((member, up) => {
      // A member that started is a node's new process: that node's older members are gone.
      for (const m of this.#others()) if (up ? replacedBy(m, member) : m === member) this.#drop(m);
    });
    // Redis was away: the others may have missed changes (and this node theirs).
    opts.link.onReconnected(() => this.#sayAll());
    // This node stalled past its heartbeat: the others dropped its states (and told their
    // clients so, at the same clock): said again under a newer one, published as they change.
    opts.liveness.onLapsed(() => {
      for (const membership of this.#boards.members()) membership.board?.renewLocalPresence();
    });
    this.#checking = setInterval(() => void this.#checkLiveness(), LIVENESS_CHECK_MS);
    this.#checking.unref();
  }

  /** Every board's local states again, and a query for the others'. */
  #sayAll(): void {
    for (const membership of this.#boards.members()) {
      const board = membership.board;
      if (!board) continue;
      const entries = board.sharedPresence();
      if (entries.length > 0) this.send(membership.name, encode(this.member, STATES, entries));
      this.send(membership.name, encode(this.member, QUERY));
    }
  }

  async join(name: string): Promise<BoardPresenceMembership> {
    const membership = new Membership(this, name);
    try {
      await this.#boards.join(membership);
    } catch (err) {
      // Subscribed again when Redis is back: the board's presence stays this node's meanwhile.
      this.#outage.failed('subscribing to a board’s presence', err);
    }
    return membership;
  }

  leave(membership: Membership): void {
    this.#boards.leave(membership);
  }

  /** Publishes now or never: presence that does not go out is said again soon (clients renew it every 15 s). */
  send(name: string, message: Buffer): void {
    this.#link.publish(this.#boards.channel(name), message).then(() => this.#outage.recovered(), (err: unknown) => this.#outage.failed('publishing board presence', err));
  }

  #received(channel: string, bytes: Buffer): void {
    const membership = this.#boards.memberOf(channel);
    const board = membership?.board;
    if (!membership || !board) return; // still loading: it asks for everything once attached
    let message: Message;
    try {
      message = decode(bytes);
    } catch (err) {
      this.#log.error('unreadable board presence message from Redis', { channel, err });
      return;
    }
    if (message.member === this.member) return;
    try {
      if (message.kind === QUERY) {
        const entries = board.sharedPresence();
        if (entries.length > 0) this.send(membership.name, encode(this.member, STATES, entries));
      } else if (message.kind === GONE) {
        membership.others.delete(message.member);
        board.dropRemotePresence(message.member);
      } else {
        membership.others.add(message.member);
        this.#heard.set(message.member, (this.#heard.get(message.member) ?? 0) + 1);
        board.applyRemotePresence(message.entries, message.member);
      }
    } catch (err) {
      this.#log.error('applying another node’s board presence failed', { board: membership.name, member: message.member, err });
    }
  }

  #others(): Set<string> {
    const members = new Set<string>();
    for (const membership of this.#boards.members()) for (const m of membership.others) members.add(m);
    return members;
  }

  /** The member's states leave every board here. */
  #drop(member: string): void {
    this.#heard.delete(member);
    for (const membership of this.#boards.members()) {
      if (!membership.others.delete(member)) continue;
      membership.board?.dropRemotePresence(member);
    }
  }

  async #checkLiveness(): Promise<void> {
    if (this.#checkRunning) return;
    const members = [...this.#others()];
    if (members.length === 0) return;
    this.#checkRunning = true;
    const heard = members.map((m) => this.#heard.get(m));
    try {
      const alive = await this.#liveness.membersAlive(members);
      // Without an answer nobody is dropped: this node cannot tell who is alive.
      for (const [i, member] of members.entries()) if (!alive[i] && this.#heard.get(member) === heard[i]) this.#drop(member);
    } catch (err) {
      this.#outage.failed('checking which nodes are alive', err);
    } finally {
      this.#checkRunning = false;
    }
  }

  close(): void {
    clearInterval(this.#checking);
    for (const membership of this.#boards.members()) if (membership.timer) clearTimeout(membership.timer);
  }
}
