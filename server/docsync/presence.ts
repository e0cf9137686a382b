// One board's presence (y-protocols awareness), within bounds. Every client id belongs to
// the connection that announced it; a connection may speak only for its own ids, for at
// most PRESENCE_LIMITS.maxClientIds of them in its life, with states of at most
// maxStateBytes, at a bounded rate. What is over a limit is dropped, never applied or
// relayed. Stock clients re-send every state they receive (y-websocket relays each
// awareness change, its own or not, and announces the removal of states it timed out):
// such entries for someone else's id carry a clock the board already has, and are ignored
// without a word. Only an entry that would overwrite another person's state (a newer
// clock) is a refusal.
// In cluster mode the states other nodes accepted from their own connections arrive here
// too (server/cluster/board-awareness.ts): each is owned by that node's member, never by a
// connection of this node, which may not speak for it unless it is the same person's.
import { Awareness, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { TokenBucket } from '../facilitation/rate-limit.js';

export const PRESENCE_LIMITS = {
  /**
   * Client ids one connection may announce in its life. A browser tab announces one
   * (its doc's); a few leave room for a client that renews its doc, while ids never
   * removed pile up in every peer's awareness, so not more.
   */
  maxClientIds: 4,
  /**
   * Entries in one message: a stock client relays at most every state of its board at
   * once (a group's people and their readers); more is refused unread, so a message of
   * 20,000 entries costs nothing to look at.
   */
  maxEntries: 256,
  /** Bytes of one client's state (its JSON text, UTF-8); ours are a few hundred. */
  maxStateBytes: 8 * 1024,
  /** Presence messages a connection may send per second, sustained… */
  perSecond: 20,
  /** …and at once: a caret held on an arrow key (~30/s) stays within it for seconds. */
  burst: 60,
} as const;

/** Why (part of) a presence message was dropped. */
export type PresenceRefusal = 'foreign_id' | 'too_many_ids' | 'state_too_large' | 'too_fast';

export interface PresenceResult {
  /** Entries applied (and relayed when they changed anything). */
  applied: number;
  /** Entries for other connections' ids that only repeat what the board has: normal, silent. */
  ignored: number;
  refused: PresenceRefusal[];
}

/** Who may speak for an id: a connection, and the person (or role) behind it. */
export interface PresencePeer {
  /** One person may hold several connections, or reconnect before the old one is seen closed. */
  readonly identity: string;
}

/** The origin of the awareness changes another node's states make here: never published again. */
export const REMOTE_PRESENCE = Symbol('remote presence');

/** The origin of `renewLocal`'s changes: published like a connection's own. */
const RENEWED_PRESENCE = Symbol('renewed presence');

/** An id that lives on another node (its member), for the person behind it there. */
class RemoteOwner implements PresencePeer {
  constructor(readonly member: string, readonly identity: string) {}
}

/** One client's state as nodes hand it to each other: `state` is its JSON text ('null' once removed). */
export interface SharedEntry {
  id: number;
  clock: number;
  state: string;
  /** Who speaks for it (PresencePeer.identity): that person may take it over on another node. */
  identity: string;
}

interface Holder {
  /** Ids this connection speaks for now. */
  readonly owned: Set<number>;
  /** Every id it ever spoke for: the cap counts these. */
  readonly announced: Set<number>;
  readonly bucket: TokenBucket;
}

interface Entry {
  id: number;
  clock: number;
  /** The state's JSON text, as bytes. */
  state: Uint8Array;
}

export class BoardPresence {
  readonly awareness: Awareness;
  readonly #holders = new Map<PresencePeer, Holder>();
  readonly #owners = new Map<number, PresencePeer>();
  readonly #now: () => number;

  constructor(awareness: Awareness, now: () => number = Date.now) {
    this.awareness = awareness;
    this.#now = now;
    // Whatever removed a state (its owner, its owner leaving, the awareness timeout) frees its id.
    awareness.on('update', ({ removed }: { removed: number[] }) => {
      for (const id of removed) this.#release(id);
    });
  }

  join(peer: PresencePeer): void {
    this.#holders.set(peer, {
      owned: new Set(),
      announced: new Set(),
      bucket: new TokenBucket(PRESENCE_LIMITS.burst, PRESENCE_LIMITS.perSecond, this.#now),
    });
  }

  /** The peer has left: its states are removed for everyone (unless `keepStates`, when the board is going away). */
  leave(peer: PresencePeer, keepStates = false): void {
    const holder = this.#holders.get(peer);
    if (!holder) return;
    this.#holders.delete(peer);
    const owned = [...holder.owned];
    for (const id of owned) this.#owners.delete(id);
    if (owned.length > 0 && !keepStates) removeAwarenessStates(this.awareness, owned, null);
  }

  /** A presence query costs a token too: its answer is every state of the board. */
  mayAnswerQuery(peer: PresencePeer): boolean {
    return this.#holders.get(peer)?.bucket.take() ?? false;
  }

  /**
   * Applies what a peer may say of an awareness update, with the peer as origin.
   * Throws on a malformed update (nothing applied).
   */
  apply(update: Uint8Array, peer: PresencePeer): PresenceResult {
    const holder = this.#holders.get(peer);
    const result: PresenceResult = { applied: 0, ignored: 0, refused: [] };
    const entries = decodeEntries(update);
    if (!holder) return result;
    if (entries === 'too_many') return { ...result, refused: ['too_many_ids'] };
    const refused = new Set<PresenceRefusal>();
    const accepted: Entry[] = [];
    const claimed = new Set<number>();
    for (const entry of entries) {
      const verdict = this.#judge(entry, peer, holder, claimed);
      if (verdict === 'accept') accepted.push(entry);
      else if (verdict === 'ignore') result.ignored++;
      else refused.add(verdict);
    }
    // Checked before anything is applied: y-protocols would apply the entries before a bad one.
    for (const { state } of accepted) JSON.parse(utf8.decode(state));
    if (accepted.length > 0 && !holder.bucket.take()) {
      refused.add('too_fast');
    } else if (accepted.length > 0) {
      for (const { id } of accepted) this.#own(id, peer, holder);
      applyAwarenessUpdate(this.awareness, encodeEntries(accepted), peer);
      result.applied = accepted.length;
    }
    result.refused = [...refused];
    return result;
  }

  /**
   * Applies what another node's member says of its own ids: newer states, and removals of
   * what it owns. Trusted (that node applied the bounds), so never refused; an id a
   * connection here took over since (the same person, reconnected here) stays with it.
   * Throws on a state that is not JSON (nothing applied).
   */
  applyRemote(entries: SharedEntry[], member: string): void {
    const accepted: Entry[] = [];
    const reassert: number[] = [];
    const owned: SharedEntry[] = [];
    for (const entry of entries) {
      const owner = this.#owners.get(entry.id);
      const known = this.awareness.meta.get(entry.id);
      if (entry.state === 'null') {
        const mine = owner === undefined || (owner instanceof RemoteOwner && owner.member === member);
        const current = known !== undefined && this.awareness.states.has(entry.id) && entry.clock >= known.clock;
        if (mine && current) accepted.push(toEntry(entry));
        // The same person's old socket on that node closed after they went on here: that
        // node (and its clients) removed a state that lives here; it is said again, newer.
        else if (current && owner !== undefined && !(owner instanceof RemoteOwner)) reassert.push(entry.id);
      } else if (known === undefined || entry.clock > known.clock) {
        JSON.parse(entry.state); // throws before anything is owned or applied
        owned.push(entry);
        accepted.push(toEntry(entry));
      }
    }
    for (const { id, identity } of owned) this.#ownRemote(id, new RemoteOwner(member, identity));
    if (accepted.length > 0) applyAwarenessUpdate(this.awareness, encodeEntries(accepted), REMOTE_PRESENCE);
    if (reassert.length > 0) this.renewLocal(reassert);
  }

  /** Another node's member is gone (stopped, dead, or the board left it): its states go. */
  dropRemote(member: string): void {
    const ids: number[] = [];
    for (const [id, owner] of this.#owners) if (owner instanceof RemoteOwner && owner.member === member) ids.push(id);
    if (ids.length > 0) removeAwarenessStates(this.awareness, ids, REMOTE_PRESENCE);
  }

  /**
   * Says every state of this node's connections again under a newer clock (after the other
   * nodes dropped them: a stall past the heartbeat), as y-protocols does for a state a peer
   * removed: the other nodes and every client, the owner too, take only a newer clock.
   */
  renewLocal(ids: number[] = this.localIds()): void {
    const renewed: Entry[] = [];
    for (const id of ids) {
      const state = this.awareness.states.get(id);
      const meta = this.awareness.meta.get(id);
      if (state !== undefined && meta !== undefined) renewed.push({ id, clock: meta.clock + 1, state: utf8Encoder.encode(JSON.stringify(state)) });
    }
    if (renewed.length > 0) applyAwarenessUpdate(this.awareness, encodeEntries(renewed), RENEWED_PRESENCE);
  }

  /** The ids this node's own connections speak for. */
  localIds(): number[] {
    const ids: number[] = [];
    for (const [id, owner] of this.#owners) if (!(owner instanceof RemoteOwner)) ids.push(id);
    return ids;
  }

  /** The states of `ids` as they are here, to hand to other nodes; ids another node owns are left out. */
  shared(ids: Iterable<number>): SharedEntry[] {
    const entries: SharedEntry[] = [];
    for (const id of ids) {
      const owner = this.#owners.get(id);
      const meta = this.awareness.meta.get(id);
      if (owner instanceof RemoteOwner || meta === undefined || id === this.awareness.clientID) continue;
      const state = this.awareness.states.get(id);
      entries.push({ id, clock: meta.clock, state: state === undefined ? 'null' : JSON.stringify(state), identity: owner?.identity ?? '' });
    }
    return entries;
  }

  #ownRemote(id: number, owner: RemoteOwner): void {
    const previous = this.#owners.get(id);
    if (previous !== undefined) this.#holders.get(previous)?.owned.delete(id);
    this.#owners.set(id, owner);
  }

  #judge(entry: Entry, peer: PresencePeer, holder: Holder, claimed: Set<number>): 'accept' | 'ignore' | PresenceRefusal {
    const owner = this.#owners.get(entry.id);
    const known = this.awareness.meta.get(entry.id);
    const newer = known === undefined || entry.clock > known.clock;
    if (owner && owner !== peer) {
      // The same person on a new connection (a reconnect the server has not yet seen
      // close, a second device) takes its id over when it says something new of it,
      // or when it is the first thing this connection speaks for.
      const takeover = owner.identity === peer.identity && !isNullState(entry.state) && (newer || holder.owned.size === 0);
      if (!takeover) return newer && owner.identity !== peer.identity ? 'foreign_id' : 'ignore';
    } else if (!owner) {
      // Nobody holds it: a removal of someone gone, or a state the board already had, is a late relay.
      if (isNullState(entry.state) || !newer) return 'ignore';
    }
    if (!holder.announced.has(entry.id) && !claimed.has(entry.id)) {
      if (holder.announced.size + claimed.size >= PRESENCE_LIMITS.maxClientIds) return 'too_many_ids';
    }
    if (entry.state.length > PRESENCE_LIMITS.maxStateBytes) return 'state_too_large';
    claimed.add(entry.id);
    return 'accept';
  }

  #own(id: number, peer: PresencePeer, holder: Holder): void {
    const previous = this.#owners.get(id);
    if (previous !== undefined && previous !== peer) this.#holders.get(previous)?.owned.delete(id);
    this.#owners.set(id, peer);
    holder.owned.add(id);
    holder.announced.add(id);
  }

  #release(id: number): void {
    const owner = this.#owners.get(id);
    if (owner === undefined) return;
    this.#owners.delete(id);
    this.#holders.get(owner)?.owned.delete(id);
  }
}

/** y-protocols' awareness update: count, then (client id, clock, JSON state) each. */
function decodeEntries(update: Uint8Array): Entry[] | 'too_many' {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > PRESENCE_LIMITS.maxEntries) return 'too_many';
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    const id = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    entries.push({ id, clock, state: decoding.readVarUint8Array(decoder) });
  }
  return entries;
}

function encodeEntries(entries: Entry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { id, clock, state } of entries) {
    encoding.writeVarUint(encoder, id);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarUint8Array(encoder, state);
  }
  return encoding.toUint8Array(encoder);
}

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

function toEntry({ id, clock, state }: SharedEntry): Entry {
  return { id, clock, state: utf8Encoder.encode(state) };
}

function isNullState(state: Uint8Array): boolean {
  return state.length < 16 && utf8.decode(state).trim() === 'null';
}
