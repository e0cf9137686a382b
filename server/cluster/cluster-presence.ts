// Who is online, across nodes (cluster mode). Each node publishes its own people per
// workshop: a field of the hash `presence:<workshop>` named for the node's *member* (its id
// and a tag drawn at start, so a restarted node never inherits its old entries), written and
// announced on the channel `presence:<workshop>` in one MULTI. Each entry list carries the
// sender's sequence number: an older list never replaces a newer one, whichever of the hash
// read and the message arrives first. A node holding a workshop's session reads the hash
// when it loads the session, then follows the channel.
// Liveness: every member refreshes `alive:<member>` (TTL HEARTBEAT_TTL_MS) every
// HEARTBEAT_EVERY_MS; every LIVENESS_CHECK_MS a node reads the keys of the members it has
// people from, and drops the people of a lapsed one (deleting its stale fields). A node
// that finds its own key lapsed (a stall, Redis away) publishes everything again.
// Board presence across nodes (board-awareness.ts) uses the same members and heartbeats.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PresenceEntry } from '../../shared/protocol.js';
import { ROLES } from '../../shared/model.js';
import { mergePresence } from '../facilitation/presence-merge.js';
import type { Logger } from '../lib/logger.js';
import { OutageLog } from './outage-log.js';
import { redisAnswerWithin, type RedisLink } from './redis-link.js';

/** What the relay needs of a loaded session (WorkshopSession). */
export interface PresenceHolder {
  readonly workshopId: string;
  /** This node's own people. */
  localPresence(): PresenceEntry[];
  /** The people online through other nodes, by presence key (participant id, or role). */
  setElsewhere(entries: ReadonlyMap<string, PresenceEntry>): void;
}

/** What the session service needs of presence across nodes. */
export interface PresenceRelay {
  /** A session was loaded: resolves once what the other nodes have online in it was read (or after a short wait); `changed` is called whenever that changes. */
  watch(holder: PresenceHolder, changed: () => void): Promise<void>;
  /** Presence is being announced: this node's people go to the others if they changed. */
  publish(holder: PresenceHolder): void;
  /** The session left memory (this node has nobody in it). */
  unwatch(workshopId: string): void;
}

/** A node refreshes its heartbeat this often… */
export const HEARTBEAT_EVERY_MS = 1_000;
/** …and its people count as online elsewhere this long after its last refresh… */
export const HEARTBEAT_TTL_MS = 3_000;
/** …as checked this often: a killed node's people are dropped within TTL + one check (4 s), then announced (the presence throttle). */
export const LIVENESS_CHECK_MS = 1_000;
/** A session's load waits at most this long for Redis (then goes on; a reconnection reads again). */
const READ_WAIT_MS = 2_000;

const entrySchema = z.object({
  participantId: z.string().nullable(),
  name: z.string(),
  role: z.enum(ROLES),
  groupId: z.string().nullable(),
  connections: z.number().int().positive(),
});
const reportSchema = z.object({ s: z.number().int().nonnegative(), e: z.array(entrySchema) });
const messageSchema = reportSchema.extend({ m: z.string() });
const nodeMessageSchema = z.object({ m: z.string(), up: z.boolean() });

interface Report {
  seq: number;
  entries: PresenceEntry[];
}

interface Watched {
  holder: PresenceHolder;
  changed: () => void;
  /** Each other member's latest report. */
  others: Map<string, Report>;
  /** This node's entries as last published (JSON). */
  published: string;
}

export interface ClusterPresenceOptions {
  link: RedisLink;
  log: Logger;
}

const NOBODY = '[]';

/** HDEL of a member's field (KEYS[1], ARGV[1]) only while its heartbeat key (KEYS[2]) is absent, in one step. */
const DELETE_IF_DEAD = `if redis.call('EXISTS', KEYS[2]) == 0 then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0`;

export class ClusterPresence implements PresenceRelay {
  /** This process among the nodes: `<node id>#<tag>` (a node id never holds `#`). */
  readonly member: string;
  readonly #link: RedisLink;
  readonly #log: Logger;
  readonly #watched = new Map<string, Watched>();
  readonly #memberListeners = new Set<(member: string, up: boolean) => void>();
  readonly #lapseListeners = new Set<() => void>();
  #seq = 0;
  #beating: NodeJS.Timeout | null = null;
  #checking: NodeJS.Timeout | null = null;
  #checkRunning = false;
  /** The heartbeat was written once: a later write that finds it missing means it lapsed. */
  #beaten = false;
  readonly #outage: OutageLog;

  constructor(opts: ClusterPresenceOptions) {
    this.#link = opts.link;
    this.#log = opts.log;
    this.#outage = new OutageLog(opts.log, 'presence across nodes', 'retried when Redis answers');
    this.member = `${opts.link.nodeId}#${randomBytes(4).toString('hex')}`;
    opts.link.onMessage((channel, message) => this.#received(channel, message));
    // Redis was away: others may have dropped this node's people, and this node missed their changes.
    opts.link.onReconnected(() => {
      void this.#beat();
      this.#publishAll();
      for (const w of this.#watched.values()) void this.#readAll(w).catch((err: unknown) => this.#outage.failed('reading who is online elsewhere', err));
    });
  }

  /** Writes the heartbeat, tells the others this member is up, and starts beating and checking. */
  async start(): Promise<void> {
    await this.#link.commands.set(this.#aliveKey(this.member), '1', 'PX', HEARTBEAT_TTL_MS);
    this.#beaten = true;
    await this.#link.subscribe(this.#nodesChannel());
    await this.#link.publish(this.#nodesChannel(), Buffer.from(JSON.stringify({ m: this.member, up: true })));
    this.#beating = setInterval(() => void this.#beat(), HEARTBEAT_EVERY_MS);
    this.#beating.unref();
    this.#checking = setInterval(() => void this.#checkLiveness(), LIVENESS_CHECK_MS);
    this.#checking.unref();
  }

  #prefix(): string {
    return this.#link.prefix;
  }

  #aliveKey(member: string): string {
    return `${this.#prefix()}alive:${member}`;
  }

  #key(workshopId: string): string {
    return `${this.#prefix()}presence:${workshopId}`;
  }

  #nodesChannel(): string {
    return `${this.#prefix()}presence-nodes`;
  }

  async watch(holder: PresenceHolder, changed: () => void): Promise<void> {
    const w: Watched = { holder, changed, others: new Map(), published: NOBODY };
    this.#watched.set(holder.workshopId, w);
    const read = async () => {
      await this.#link.subscribe(this.#key(holder.workshopId));
      await this.#readAll(w);
    };
    try {
      await redisAnswerWithin(read(), READ_WAIT_MS);
    } catch (err) {
      this.#outage.failed('reading who is online on other nodes', err);
    }
  }

  publish(holder: PresenceHolder): void {
    const w = this.#watched.get(holder.workshopId);
    if (!w) return;
    const entries = holder.localPresence();
    const json = JSON.stringify(entries);
    if (json === w.published) return;
    w.published = json;
    this.#send(holder.workshopId, entries);
  }

  unwatch(workshopId: string): void {
    const w = this.#watched.get(workshopId);
    if (!w) return;
    this.#watched.delete(workshopId);
    this.#link.unsubscribe(this.#key(workshopId)).catch(() => undefined);
    // The last change may not have gone out yet (the throttle was dropped with the session).
    if (w.published !== NOBODY) this.#send(workshopId, []);
  }

  /** This node's entries for a workshop, in the hash and on the channel at once. */
  #send(workshopId: string, entries: PresenceEntry[]): void {
    const seq = ++this.#seq;
    const key = this.#key(workshopId);
    const multi = this.#link.commands.multi();
    if (entries.length > 0) multi.hset(key, this.member, JSON.stringify({ s: seq, e: entries }));
    else multi.hdel(key, this.member);
    multi.publish(key, JSON.stringify({ m: this.member, s: seq, e: entries }));
    multi.exec().then(() => this.#outage.recovered(), (err: unknown) => this.#outage.failed('publishing who is online here', err));
  }

  /** Every watched workshop's people again (the others dropped them, or missed the last change). */
  #publishAll(): void {
    for (const [workshopId, w] of this.#watched) {
      const entries = w.holder.localPresence();
      w.published = JSON.stringify(entries);
      if (entries.length > 0) this.#send(workshopId, entries);
    }
  }

  /** Reads the hash whole: live members' reports newer than what is held replace it; a member gone from it has nobody. */
  async #readAll(w: Watched): Promise<void> {
    const key = this.#key(w.holder.workshopId);
    const before = new Map([...w.others].map(([member, report]) => [member, report.seq]));
    const fields = await this.#link.commands.hgetall(key);
    const reports = new Map<string, Report>();
    for (const [member, raw] of Object.entries(fields)) {
      if (member === this.member) continue;
      const parsed = parse(reportSchema, raw);
      if (parsed) reports.set(member, { seq: parsed.s, entries: parsed.e });
      else this.#log.error('unreadable presence entry in Redis; ignored', { key, member });
    }
    const members = [...reports.keys()];
    const alive = await this.membersAlive(members);
    let changed = false;
    for (const [i, member] of members.entries()) {
      if (!alive[i]) {
        this.#deleteLeftovers(w.holder.workshopId, member);
        continue;
      }
      changed = take(w, member, reports.get(member)!) || changed;
    }
    for (const [member, seq] of before) {
      // Gone from the hash and not heard from since the read began: nobody online there now.
      if (!reports.has(member) && w.others.get(member)?.seq === seq) changed = w.others.delete(member) || changed;
    }
    if (changed) this.#refresh(w);
  }

  #received(channel: string, bytes: Buffer): void {
    if (channel === this.#nodesChannel()) return this.#nodeMessage(bytes);
    const prefix = this.#key('');
    if (!channel.startsWith(prefix)) return;
    const w = this.#watched.get(channel.slice(prefix.length));
    if (!w) return;
    const message = parse(messageSchema, bytes.toString());
    if (!message) return this.#log.error('unreadable presence message from Redis', { channel });
    if (message.m === this.member) return;
    if (take(w, message.m, { seq: message.s, entries: message.e })) this.#refresh(w);
  }

  /** A member stopped cleanly: its people leave now. A member started: older members of its node id are gone (a restart). */
  #nodeMessage(bytes: Buffer): void {
    const message = parse(nodeMessageSchema, bytes.toString());
    if (!message || message.m === this.member) return;
    for (const listener of this.#memberListeners) listener(message.m, message.up);
    if (!message.up) return this.#drop(message.m);
    for (const w of this.#watched.values()) {
      for (const member of w.others.keys()) if (replacedBy(member, message.m)) this.#drop(member);
    }
  }

  /**
   * The member's people are offline everywhere this node holds them (only where its report
   * is still `heldSeq`, when given: a report that came meanwhile says it lives); its
   * leftovers in Redis go.
   */
  #drop(member: string, heldSeq?: (w: Watched) => number | undefined): void {
    for (const [workshopId, w] of this.#watched) {
      const held = w.others.get(member);
      if (!held || (heldSeq && heldSeq(w) !== held.seq)) continue;
      w.others.delete(member);
      this.#deleteLeftovers(workshopId, member);
      this.#refresh(w);
    }
  }

  /** Deletes a member's field unless its heartbeat is back (it publishes again after it beats). */
  #deleteLeftovers(workshopId: string, member: string): void {
    this.#link.commands.eval(DELETE_IF_DEAD, 2, this.#key(workshopId), this.#aliveKey(member), member).catch(() => undefined);
  }

  /** Hands the session the union of the other members' people, and says it changed. */
  #refresh(w: Watched): void {
    w.holder.setElsewhere(mergePresence([...w.others.values()].map((report) => report.entries)));
    w.changed();
  }

  /** Told when another member starts (`up`: older members of its node id are gone) or stops cleanly. */
  onMember(listener: (member: string, up: boolean) => void): void {
    this.#memberListeners.add(listener);
  }

  /** Told when this member's own heartbeat is found lapsed (the others have dropped what it said). */
  onLapsed(listener: () => void): void {
    this.#lapseListeners.add(listener);
  }

  /** Whether each member's heartbeat is alive; rejects when Redis does not answer (then nobody is judged dead). */
  async membersAlive(members: string[]): Promise<boolean[]> {
    if (members.length === 0) return [];
    const alive = await this.#link.commands.mget(members.map((m) => this.#aliveKey(m)));
    return alive.map((value) => value !== null);
  }

  async #beat(): Promise<void> {
    try {
      const previous = await this.#link.commands.set(this.#aliveKey(this.member), '1', 'PX', HEARTBEAT_TTL_MS, 'GET');
      if (previous === null && this.#beaten) {
        this.#log.warn('this node’s presence heartbeat had lapsed (a stall, or Redis away): publishing who is online here again');
        this.#publishAll();
        for (const listener of this.#lapseListeners) listener();
      }
      this.#beaten = true;
    } catch (err) {
      this.#outage.failed('refreshing this node’s presence heartbeat', err);
    }
  }

  async #checkLiveness(): Promise<void> {
    if (this.#checkRunning) return;
    const members = new Set<string>();
    for (const w of this.#watched.values()) for (const member of w.others.keys()) members.add(member);
    if (members.size === 0) return;
    this.#checkRunning = true;
    // What was held when asking: a report arriving before the answer is newer than the answer.
    const asked = new Map([...this.#watched.values()].map((w) => [w, new Map([...w.others].map(([m, r]) => [m, r.seq]))]));
    try {
      const list = [...members];
      const alive = await this.membersAlive(list);
      // Without an answer nobody is dropped: this node cannot tell who is alive.
      for (const [i, member] of list.entries()) if (!alive[i]) this.#drop(member, (w) => asked.get(w)?.get(member));
    } catch (err) {
      this.#outage.failed('checking which nodes are alive', err);
    } finally {
      this.#checkRunning = false;
    }
  }

  /** A clean stop: this member's entries leave Redis and the others drop its people at once. */
  async close(): Promise<void> {
    if (this.#beating) clearInterval(this.#beating);
    if (this.#checking) clearInterval(this.#checking);
    const redis = this.#link.commands;
    const multi = redis.multi();
    for (const [workshopId, w] of this.#watched) if (w.published !== NOBODY) multi.hdel(this.#key(workshopId), this.member);
    multi.del(this.#aliveKey(this.member));
    multi.publish(this.#nodesChannel(), JSON.stringify({ m: this.member, up: false }));
    this.#watched.clear();
    await multi.exec().catch(() => undefined); // Redis away: the heartbeat lapses instead
  }
}

/** Whether `member` is an older process of the node that `started` belongs to (`<node id>#<tag>`: a restart). */
export function replacedBy(member: string, started: string): boolean {
  return member !== started && member.startsWith(started.slice(0, started.lastIndexOf('#') + 1));
}

/** Keeps a member's report if it is newer than the one held. */
function take(w: Watched, member: string, report: Report): boolean {
  const held = w.others.get(member);
  if (held && held.seq >= report.seq) return false;
  w.others.set(member, report);
  return true;
}

function parse<T>(schema: z.ZodType<T>, raw: string): T | null {
  try {
    const result = schema.safeParse(JSON.parse(raw));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}
