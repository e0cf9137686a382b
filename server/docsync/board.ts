// One live board: a Y.Doc, its awareness, the connections that have it open, and
// the only path by which its state changes. Every write runs through `#commit`:
//   apply (capturing what Yjs emits) → append to the store → relay to the others.
// Writes are applied one at a time, in arrival order, and each is sent to the store at
// once; a write does not wait for the one before it to be stored (the store keeps their
// order), but each is relayed only once stored, in the same order. What is relayed is
// what was stored, and it is decided by the write's origin alone: the sending
// connection does not get its own update back. Whoever reads the board (a sync step 1,
// a compaction, an export) is answered once all it read is stored.
// If applying throws or storing fails, the live doc may hold state nobody else
// has: the board is "broken", dropped from memory, and its clients reconnect to a
// copy freshly loaded from the store (they still hold their edits and resend them).
// A write that adds what does not fit the board's shape (shape-check.ts) is followed,
// in the same commit, by a server change that removes it, relayed to everyone.
// In cluster mode each stored update is also handed on (`onStored`, with its per-board
// sequence number) to the other nodes, which apply it with `applyStored`: in number
// order, updates past a hole held back until it closes — by this node's own appends being
// answered, by the missing message arriving within a grace period, or else by a read from
// the store that never holds the queue up (doc-sequence.ts, held-back.ts, docs/ARCHITECTURE.md).
// Presence its own connections said is handed on too (`onLocalPresence`), and other
// nodes' presence comes in through `applyRemotePresence` (server/cluster/board-awareness.ts).
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { CloseCode } from '../../shared/close-codes.js';
import { parseBoardDocName } from '../../shared/doc-name.js';
import type { Store, StoredDoc } from '../store/store.js';
import type { Logger } from '../lib/logger.js';
import { awarenessMessage, updateMessage } from './messages.js';
import { RelayedMessage } from './relayed-message.js';
import type { DeleteSet } from './update-check.js';
import { boardTextLength, isLargeRemoval, measureRemoval, type Removal } from './removal.js';
import type { WritePermit } from './write-permit.js';
import { BoardPresence, REMOTE_PRESENCE, type PresenceResult, type SharedEntry } from './presence.js';
import { conformToShape, shapeOf, type DocShape } from './shape-check.js';
import { blankAuthors } from './anonymity.js';
import { DocSequence } from './doc-sequence.js';
import { DEFAULT_HOLE_GRACE_MS, HeldBack } from './held-back.js';

/** A compaction that is due runs within this long, at a random moment. */
const COMPACTION_SPREAD_MS = 5_000;
/** Past this many updates on their way to the store, a writer waits for its own to be stored. */
const MAX_UPDATES_IN_FLIGHT = 1_000;
/** A failed read of a hole is tried again after this long (the store is in trouble: no hurry). */
const FILL_RETRY_MS = 1_000;

/** Board versions, unique across every board of the process (`Board.version`). */
let lastVersion = 0;
const nextVersion = (): number => ++lastVersion;

/** A write's origin: a connection (anything with `send`), or the server itself. */
export interface Peer {
  /** Who is behind the connection (a participant, or a role): one person may reconnect as a new peer. */
  readonly identity: string;
  /** Who, as people read it in the history: a display name, or the role. */
  readonly displayName: string;
  send(message: Uint8Array): void;
  /** Sends a message the board sends to many peers: framed once for all of them (relayed-message.ts). */
  relay(message: RelayedMessage): void;
  close(code: number, reason: string): void;
}
export const SERVER_ORIGIN = Symbol('server');
export type Origin = Peer | typeof SERVER_ORIGIN;
/** What another node stored, or what the store held that this copy lacked: relayed to every peer. */
const STORE_ORIGIN = Symbol('store');

interface Captured {
  update: Uint8Array;
  origin: unknown;
}

/** `refused`: the write guard said no when the write's turn came (a lock set meanwhile): nothing was applied. */
export type CommitResult = 'applied' | 'unchanged' | 'incomplete' | 'refused';
/** A write once applied: `stored` settles when it is stored and relayed, and rejects if storing failed. */
interface Written {
  result: CommitResult;
  stored: Promise<void>;
}

export class BadUpdateError extends Error {}
export class StorageError extends Error {}
export class BoardBrokenError extends Error {}

/** What a board measures on its write path (server/lib/metrics.ts); seconds. */
export interface BoardMetrics {
  storeAppended(seconds: number): void;
  relayed(seconds: number): void;
  /** A hole in another node's updates was read from the store, taking this long. */
  holeFilled(seconds: number): void;
}

export interface BoardDeps {
  store: Store;
  log: Logger;
  metrics?: BoardMetrics;
  /** Compact after this many appended updates. */
  compactEvery: number;
  idleMs: number;
  onIdle(board: Board): void;
  onBroken(board: Board): void;
  onCommit?(board: Board, updates: number): void;
  /** An update is stored under `seq` (and relayed here): cluster mode hands it to the other nodes. */
  onStored?(board: Board, update: Uint8Array, seq: number): void;
  /** Cluster mode: how long a hole another node left waits for its message before the store is read (default DEFAULT_HOLE_GRACE_MS). */
  holeGraceMs?: number;
  /**
   * A peer's update is about to remove much of the board (removal.ts): `snapshot` is the
   * whole board right before it. Called in the write path: keep it cheap, store later.
   */
  onLargeRemoval?(board: Board, snapshot: Uint8Array, removal: Removal, by: Peer): void;
  /** Anonymous ideas are on for this board's workshop: no card keeps an author (anonymity.ts). */
  isAnonymous?(board: Board): boolean;
  /** Cluster mode: presence states this node's connections changed (or left with), for the other nodes. */
  onLocalPresence?(board: Board, ids: number[]): void;
}

export class Board {
  readonly name: string;
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly peers = new Set<Peer>();
  readonly #deps: BoardDeps;
  /** Who speaks for which awareness client id, within bounds (presence.ts). */
  readonly #presence: BoardPresence;
  /** What the board may hold (a group board's shape, or the plenary board's): by its name, so once. */
  readonly #shape: DocShape;
  #queue: Promise<unknown> = Promise.resolve();
  /** Settles once every write applied so far is stored and relayed (or the board broke). */
  #stored: Promise<void> = Promise.resolve();
  /** The last append sent to the store: the store answers in order, so all before it are answered once it is. */
  #lastAppend: Promise<unknown> = Promise.resolve();
  #inFlight = 0;
  /** The updates a commit's changes emit, with their origins (who is not sent one back). */
  #captured: Captured[] | null = null;
  /** The transactions of the commit being applied, for the shape check. */
  #transactions: Y.Transaction[] | null = null;
  /** Peers already logged for writing what does not fit (once per connection is enough to find them). */
  readonly #warned = new WeakSet<Peer>();
  /** Which stored updates the doc holds: compaction folds only through its contiguous head. */
  readonly #seq: DocSequence;
  /** Other nodes' updates numbered past a hole, waiting for it to close. */
  readonly #heldBack = new HeldBack();
  /** Runs while a hole's grace period lasts; null once it is over (or there is no hole). */
  #graceTimer: NodeJS.Timeout | null = null;
  /** The grace period of the current hole is over: if it is not this node's own, read it from the store. */
  #graceOver = false;
  /** The read from the store under way (one per board at a time), and whether another was asked for meanwhile. */
  #filling: Promise<void> | null = null;
  #fillAgain = false;
  /**
   * The number of this node's last append answered. The store numbers one board's appends
   * from one node in the order they are sent, so those still in flight get higher numbers:
   * a missing number below this one is not ours.
   */
  #lastOwnSeq = 0;
  #updatesSinceSnapshot: number;
  #compactScheduled = false;
  #idleTimer: NodeJS.Timeout | null = null;
  #state: 'live' | 'retired' | 'broken' | 'destroyed' = 'live';
  /** Moves with every change the doc takes (a write, a stored update, a server change): see `version`. */
  #version = nextVersion();

  constructor(name: string, doc: Y.Doc, stored: { lastSeq: number; updates: number }, deps: BoardDeps) {
    this.name = name;
    this.doc = doc;
    this.#deps = deps;
    this.#shape = shapeOf(name);
    this.#seq = new DocSequence(stored.lastSeq);
    this.#updatesSinceSnapshot = stored.updates;
    this.awareness = new Awareness(doc);
    this.awareness.setLocalState(null);
    this.#presence = new BoardPresence(this.awareness);
    doc.on('update', this.#onDocUpdate);
    doc.on('afterTransaction', this.#onTransaction);
    this.awareness.on('update', this.#onAwarenessUpdate);
    this.#armIdleTimer();
  }

  /**
   * A number that moves with every change applied to the doc, whoever made it: while it
   * stays the same, so does the doc, and what a reader derived from it (the console's
   * figures) holds. No two copies of a board share one (a copy reloaded from the store
   * starts past every earlier number), so a reader may keep it by board name.
   */
  get version(): number {
    return this.#version;
  }

  get isLive(): boolean {
    return this.#state === 'live';
  }

  /** Runs tasks one at a time, in arrival order, so a write is stored before anyone reads past it. */
  #run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.#queue.then(task);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  readonly #onDocUpdate = (update: Uint8Array, origin: unknown) => {
    this.#version = nextVersion();
    if (this.#captured) this.#captured.push({ update, origin });
    else this.#deps.log.error('board changed outside a commit', { board: this.name });
  };

  readonly #onTransaction = (transaction: Y.Transaction) => {
    this.#transactions?.push(transaction);
  };

  /**
   * Removes what the commit's transactions added that does not fit the board's shape, as
   * a server change (relayed to all, the writer too), and logs the writer once. A failure
   * here is logged and leaves the write as it is: readers skip what they cannot read.
   */
  #conform(transactions: Y.Transaction[], origin: Origin, anonymous: boolean): void {
    try {
      const report = conformToShape(this.doc, transactions, SERVER_ORIGIN, this.#shape);
      if (report.removed === 0) return;
      if (origin !== SERVER_ORIGIN && this.#warned.has(origin)) return;
      if (origin !== SERVER_ORIGIN) this.#warned.add(origin);
      this.#deps.log.warn('removed from a board what does not fit its shape', {
        board: this.name,
        workshop: parseBoardDocName(this.name)?.workshopId,
        principal: origin === SERVER_ORIGIN ? 'server' : origin.identity,
        // While ideas are anonymous, the writer's name stays out of the log too.
        name: origin === SERVER_ORIGIN || anonymous ? undefined : origin.displayName,
        removed: report.removed,
        what: report.reasons,
      });
    } catch (err) {
      this.#deps.log.error('checking a write against the board shape failed', { board: this.name, err });
    }
  }

  readonly #onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    const changed = added.concat(updated, removed);
    this.#relay(awarenessMessage(this.awareness, changed));
    // Each node times its own states out; another node's changes are its to publish.
    if (this.#deps.onLocalPresence && origin !== REMOTE_PRESENCE && origin !== 'timeout') this.#deps.onLocalPresence(this, changed);
  };

  /** Sends `message` to every peer but `except` (a write's origin is not sent its own update), framed once for all. */
  #relay(message: Uint8Array, except?: unknown): void {
    const relayed = new RelayedMessage(message);
    for (const peer of this.peers) if (peer !== except) peer.relay(relayed);
  }

  /** Presence another node's member accepted from its connections (cluster mode): applied and relayed to the peers here. */
  applyRemotePresence(entries: SharedEntry[], member: string): void {
    if (this.#state === 'live') this.#presence.applyRemote(entries, member);
  }

  /** Another node's member is gone, or no longer holds the board: its presence leaves. */
  dropRemotePresence(member: string): void {
    if (this.#state === 'live') this.#presence.dropRemote(member);
  }

  /** This node's states were dropped by the others (its heartbeat lapsed): said again, newer. */
  renewLocalPresence(): void {
    if (this.#state === 'live') this.#presence.renewLocal();
  }

  /** The states of `ids` said through this node (all of them without `ids`), for the other nodes. */
  sharedPresence(ids?: Iterable<number>): SharedEntry[] {
    if (this.#state === 'destroyed' || this.#state === 'broken') return [];
    return this.#presence.shared(ids ?? this.#presence.localIds());
  }

  /**
   * Applies what a peer may say of a presence update (presence.ts): only its own client
   * ids, within the limits; the same person reconnecting takes its ids over from its
   * old socket. Throws on a malformed update.
   */
  applyAwareness(update: Uint8Array, peer: Peer): PresenceResult {
    return this.#presence.apply(update, peer);
  }

  /** Whether a peer's query for every presence state is within its rate. */
  mayAnswerAwarenessQuery(peer: Peer): boolean {
    return this.#presence.mayAnswerQuery(peer);
  }

  addPeer(peer: Peer): void {
    this.peers.add(peer);
    this.#presence.join(peer);
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }

  removePeer(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    this.#presence.leave(peer, this.#state !== 'live');
    if (this.peers.size === 0) this.#armIdleTimer();
  }

  #armIdleTimer(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      if (this.peers.size === 0 && this.#state === 'live') this.#deps.onIdle(this);
    }, this.#deps.idleMs);
    this.#idleTimer.unref();
  }

  /**
   * Applies an update from a peer: untrusted bytes, decoded by Yjs as it applies them. If
   * that throws, the sender is closed with 4400 and nothing is stored or relayed; when the
   * throw came after Yjs placed part of them, the board breaks too (see `#commit`). `deletes` is what the update deletes when it was decoded first
   * (`deletesBeforeApplying`: null for a typing update), for the large-removal check.
   * `mayWrite` is the write guard, asked again when the update's turn comes (`refused` if
   * it says no then). Resolves once applied: storing and relaying follow, and a storage
   * failure breaks the board. `receivedAt` (performance.now() when the socket received it)
   * measures the relay latency.
   */
  async applyUpdate(update: Uint8Array, origin: Peer, mayWrite: () => boolean, deletes: DeleteSet | null, receivedAt?: number): Promise<CommitResult> {
    const { result, stored } = await this.#write(origin, () => Y.applyUpdate(this.doc, update, origin), () => {
      if (!mayWrite()) return 'refused';
      if (deletes) this.#watchRemoval(deletes, origin);
      return null;
    }, receivedAt);
    // A store that falls behind slows the writers down instead of piling their updates up in memory.
    if (this.#inFlight > MAX_UPDATES_IN_FLIGHT) await stored.catch(() => undefined);
    return result;
  }

  /**
   * Hands the board as it is to `onLargeRemoval` when the update about to be applied
   * removes much of it. Measured from the update's delete set (what it names, not the
   * whole board); the snapshot is encoded only then.
   */
  #watchRemoval(deletes: DeleteSet, by: Peer): void {
    const onLargeRemoval = this.#deps.onLargeRemoval;
    if (!onLargeRemoval || deletes.clients.size === 0) return;
    const removal = measureRemoval(this.doc, deletes);
    if (!isLargeRemoval(removal, () => boardTextLength(this.doc))) return;
    onLargeRemoval(this, Y.encodeStateAsUpdate(this.doc), removal, by);
  }

  /**
   * A change made by the server on someone's behalf (import, restore, reveal): only with a
   * permit from BoardWriter, whose check runs again right before applying (and throws its
   * refusal). Resolves once stored and relayed to all.
   */
  async change(permit: WritePermit, mutate: (doc: Y.Doc) => void): Promise<CommitResult> {
    const { result, stored } = await this.#write(SERVER_ORIGIN, () => this.doc.transact(() => mutate(this.doc), SERVER_ORIGIN), () => {
      permit.assert();
      return null;
    });
    await stored;
    return result;
  }

  /**
   * A write takes its place in the queue only while the board is live; when its turn
   * comes, `guard` may still refuse it (a result) or throw, and nothing is applied.
   */
  #write(origin: Origin, mutate: () => void, guard: () => 'refused' | null, receivedAt?: number): Promise<Written> {
    if (!this.isLive) return Promise.reject(new BoardBrokenError(`board ${this.name} is ${this.#state}`));
    return this.#run(() => (guard() === 'refused' ? { result: 'refused', stored: this.#stored } : this.#commit(origin, mutate, receivedAt)));
  }

  /** The whole doc as one update (a version's snapshot, an export's source), read like `read`. */
  state(): Promise<Uint8Array> {
    return this.read((doc) => Y.encodeStateAsUpdate(doc));
  }

  /** The update a client with state vector `sv` lacks: read after every write queued before it, answered once that is stored. */
  diffSince(stateVector: Uint8Array): Promise<Uint8Array> {
    return this.read((doc) => Y.encodeStateAsUpdate(doc, stateVector));
  }

  /** Reads the doc in queue order (after every write queued before it); answers once what it read is stored. */
  async read<T>(reader: (doc: Y.Doc) => T): Promise<T> {
    const [value, stored] = await this.#run(() => {
      this.#assertLive();
      return [reader(this.doc), this.#stored] as const;
    });
    await stored;
    // Storing failed: the board broke, and what was read may hold what is not kept.
    if (this.#state === 'broken') throw new BoardBrokenError(`board ${this.name} is broken`);
    return value;
  }

  /**
   * Reads the doc as it is now, without waiting for the writes queued or being stored: for
   * checks that need no durability (is this card on the board?), which must not queue
   * behind a busy board's store.
   */
  peek<T>(reader: (doc: Y.Doc) => T): T {
    this.#assertLive();
    return reader(this.doc);
  }

  #assertLive(): void {
    if (this.#state !== 'live') throw new BoardBrokenError(`board ${this.name} is ${this.#state}`);
  }

  /** Applies now; storing and relaying follow (see `Written`). */
  #commit(origin: Origin, mutate: () => void, receivedAt?: number): Written {
    // A write accepted while the board was live is stored even if the board has retired
    // since (its writer left, the board went idle): the unload waits for it.
    if (this.#state !== 'live' && this.#state !== 'retired') throw new BoardBrokenError(`board ${this.name} is ${this.#state}`);
    const captured: Captured[] = [];
    const transactions: Y.Transaction[] = [];
    this.#captured = captured;
    this.#transactions = transactions;
    const rootsBefore = this.doc.share.size;
    try {
      mutate();
      this.#transactions = null;
      const anonymous = this.#deps.isAnonymous?.(this) === true;
      this.#conform(transactions, origin, anonymous);
      if (anonymous && transactions.length > 0 && blankAuthors(this.doc, transactions, SERVER_ORIGIN) > 0) {
        // Stored and relayed as one update read from the doc, where the blanked names are
        // already gone: the writer's own bytes, which hold them, are never kept or sent.
        const before = Y.encodeStateVector(transactions[0]!.beforeState);
        captured.splice(0, captured.length, { update: Y.encodeStateAsUpdate(this.doc, before), origin: SERVER_ORIGIN });
      }
    } catch (err) {
      // Bytes Yjs refused while reading them, before it placed anything (garbage, a
      // truncation): the doc is as it was, so only the sender hears of it (4400). Anything
      // placed before the throw may be half an update: the board breaks and reloads.
      if (!changedAnything(transactions, this.doc)) {
        dropRootsAddedSince(this.doc, rootsBefore);
        throw new BadUpdateError(String(err));
      }
      this.#break('applying an update threw', err, origin);
      throw new BadUpdateError(String(err));
    } finally {
      this.#captured = null;
      this.#transactions = null;
    }
    // Structs whose dependencies we lack wait in the store's pending queue. They came
    // from untrusted bytes: drop them (Yjs would later merge them with mergeUpdates, which
    // can hang on crafted input) and have the sender reconnect and resend in full.
    const incomplete = this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
    this.doc.store.pendingStructs = null;
    this.doc.store.pendingDs = null;
    const result: CommitResult = incomplete ? 'incomplete' : captured.length > 0 ? 'applied' : 'unchanged';
    if (captured.length === 0) return { result, stored: this.#stored };
    // Sent to the store now, in order; relayed one by one once stored, after every write before.
    const appends = captured.map(({ update }) => this.#deps.store.appendUpdate(this.name, update));
    const metrics = this.#deps.metrics;
    const sentAt = metrics ? performance.now() : 0;
    const timed = metrics ? () => metrics.storeAppended((performance.now() - sentAt) / 1000) : undefined;
    for (const append of appends) append.then(timed, () => undefined); // awaited in turn below
    this.#lastAppend = appends.at(-1)!;
    this.#inFlight += captured.length;
    const stored = this.#stored.then(async () => {
      if (this.#state === 'broken') throw new BoardBrokenError(`board ${this.name} is broken`);
      try {
        for (const [i, { update, origin: from }] of captured.entries()) {
          const seq = await appends[i]!;
          this.#seq.add(seq);
          this.#inFlight--;
          this.#lastOwnSeq = Math.max(this.#lastOwnSeq, seq);
          // This node's own number may close a hole other nodes' updates wait behind.
          if (this.#heldBack.size > 0) this.#drainSoon();
          this.#updatesSinceSnapshot++;
          this.#relay(updateMessage(update), from);
          this.#deps.onStored?.(this, update, seq);
        }
      } catch (err) {
        this.#break('storing an update failed', err);
        throw new StorageError(String(err));
      }
      if (metrics && receivedAt !== undefined) metrics.relayed((performance.now() - receivedAt) / 1000);
      this.#scheduleCompaction();
      this.#deps.onCommit?.(this, captured.length);
    });
    this.#stored = stored.catch(() => undefined);
    return { result, stored };
  }

  /**
   * An update another node stored under `seq` (cluster mode): applied in number order, in
   * queue order, and relayed to every peer here after all before it; never stored again.
   * One numbered past a hole is held back until the hole closes: by this node's own appends
   * in flight being answered (they fill it, and are already in the doc), by the missing
   * message arriving within the grace period, or else by a read from the store (which holds
   * the hole, published only once stored) that runs beside the queue, not in it. The store's
   * bytes are trusted, as when a board loads: the shape check ran on the node that took the
   * write, and its removal is an update of its own. Without `update`, a node only says it
   * stored through `seq` (after Redis was away): whatever this copy lacks through it is lost
   * on the way, and read from the store at once.
   */
  applyStored(seq: number, update: Uint8Array | null): Promise<void> {
    if (!this.isLive || this.#seq.has(seq)) return Promise.resolve();
    if (!update) return this.#fill();
    if (!this.#heldBack.has(seq)) this.#heldBack.hold(seq, update);
    return this.#run(() => this.#drain());
  }

  /** The highest sequence number this copy holds (what it tells other nodes it stored). */
  get storedThrough(): number {
    return this.#seq.latest;
  }

  /** Fills every hole from the store: after Redis comes back, anything published meanwhile is there. */
  catchUp(): Promise<void> {
    if (!this.isLive) return Promise.resolve();
    return this.#fill();
  }

  #drainSoon(): void {
    this.#run(() => this.#drain()).catch(() => undefined); // a stored update that throws breaks the board, which says so
  }

  /** Applies the held-back updates that now follow the head, then watches what hole is left (in the queue). */
  #drain(): void {
    if (!this.isLive) return;
    const before = this.#seq.head;
    for (let update = this.#heldBack.take(this.#seq.head + 1); update; update = this.#heldBack.take(this.#seq.head + 1)) {
      const seq = this.#seq.head + 1;
      this.#applyTrusted([update]);
      if (!this.isLive) return;
      this.#seq.add(seq);
    }
    this.#heldBack.dropThrough(this.#seq.head); // duplicates of what the doc holds
    this.#watchHole(this.#seq.head > before);
  }

  /**
   * A hole is left while updates are held back: it gets a grace period (again whenever the
   * head moves on, the hole then being a newer one), after which it is read from the store —
   * unless this node's own appends still in flight may be what it lacks.
   */
  #watchHole(progressed: boolean): void {
    if (this.#heldBack.size === 0 || !this.isLive) {
      this.#endGrace();
      this.#graceOver = false;
      return;
    }
    if (progressed) this.#endGrace();
    if (progressed || (this.#graceTimer === null && !this.#graceOver)) this.#startGrace(this.#deps.holeGraceMs ?? DEFAULT_HOLE_GRACE_MS);
    else this.#fillIfLost();
  }

  #startGrace(ms: number): void {
    this.#endGrace();
    this.#graceOver = false;
    this.#graceTimer = setTimeout(() => {
      this.#graceTimer = null;
      this.#graceOver = true;
      this.#fillIfLost();
    }, ms);
    this.#graceTimer.unref();
  }

  #endGrace(): void {
    if (this.#graceTimer) clearTimeout(this.#graceTimer);
    this.#graceTimer = null;
  }

  /** Past the grace period, a hole larger than this node's own appends in flight is read from the store. */
  #fillIfLost(): void {
    if (!this.#graceOver || this.#filling || this.#heldBack.size === 0 || !this.isLive) return;
    if (this.#mayBeOwn()) return; // checked again as each of this node's appends is answered
    this.#fill().catch((err: unknown) => {
      this.#deps.log.warn('filling a hole from the store failed; trying again', { board: this.name, err });
      this.#startGrace(FILL_RETRY_MS);
    });
  }

  /** Whether this node's appends in flight may be all the hole lacks: never once one of them was numbered past its start. */
  #mayBeOwn(): boolean {
    return this.#inFlight > 0 && this.#seq.head + 1 > this.#lastOwnSeq && this.#heldBack.missing(this.#seq) <= this.#inFlight;
  }

  /**
   * Reads what the store holds past the head, beside the queue (local writes go on, and are
   * stored and relayed meanwhile); applies it in the queue. One read per board at a time: a
   * fill asked for while one runs is one more read after it.
   */
  #fill(): Promise<void> {
    if (this.#filling) {
      this.#fillAgain = true;
      return this.#filling;
    }
    const filling = this.#readMissing().finally(() => {
      this.#filling = null;
      if (!this.#fillAgain || !this.isLive) return;
      this.#fillAgain = false;
      this.#fill().catch((err: unknown) => this.#deps.log.warn('filling a hole from the store failed', { board: this.name, err }));
    });
    this.#filling = filling;
    return filling;
  }

  async #readMissing(): Promise<void> {
    const startedAt = performance.now();
    let missing: StoredDoc;
    try {
      missing = await this.#deps.store.loadDoc(this.name, this.#seq.head);
    } finally {
      this.#deps.metrics?.holeFilled((performance.now() - startedAt) / 1000);
    }
    await this.#run(() => {
      if (!this.isLive) return;
      // The head may have moved on meanwhile: what the doc holds already changes nothing.
      this.#applyTrusted(missing.snapshot ? [missing.snapshot, ...missing.updates] : missing.updates);
      if (!this.isLive) return;
      this.#seq.addThrough(missing.lastSeq);
      this.#graceOver = false;
      this.#drain();
    });
  }

  /** Applies stored updates (what Yjs already holds changes nothing) and relays what changed, in queue order. */
  #applyTrusted(updates: Uint8Array[]): void {
    if (updates.length === 0) return;
    const captured: Captured[] = [];
    this.#captured = captured;
    try {
      this.doc.transact(() => {
        for (const update of updates) Y.applyUpdate(this.doc, update, STORE_ORIGIN);
      }, STORE_ORIGIN);
    } catch (err) {
      this.#break('applying a stored update threw', err);
      throw new BadUpdateError(String(err));
    } finally {
      this.#captured = null;
    }
    // Numbered updates arrive after all they build on: anything left pending means this copy lacks what the store has.
    if (this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) {
      this.#break('a stored update lacks what it builds on', new Error('pending structs after applying stored updates'));
      return;
    }
    if (captured.length === 0) return;
    this.#updatesSinceSnapshot += updates.length;
    const messages = captured.map(({ update }) => updateMessage(update));
    this.#stored = this.#stored.then(() => {
      if (this.#state !== 'live') return;
      for (const message of messages) this.#relay(message);
      this.#scheduleCompaction();
    });
  }

  /**
   * Drops the board: its peers reconnect (1013) to a copy loaded from the store —
   * except `culprit`, whose update could not be applied: told to retry, it would
   * send the same bytes again and break the board for everyone, over and over.
   */
  #break(why: string, err: unknown, culprit?: Origin): void {
    this.#deps.log.error(`board ${this.name}: ${why}; reloading it from the store`, { board: this.name, err });
    this.#state = 'broken';
    this.#deps.onBroken(this);
    for (const peer of [...this.peers]) {
      if (peer === culprit) peer.close(CloseCode.BadMessage, 'bad update');
      else peer.close(CloseCode.TryAgainLater, 'board reloading, retry');
    }
    this.destroy();
  }

  #scheduleCompaction(): void {
    if (this.#compactScheduled || this.#updatesSinceSnapshot < this.#deps.compactEvery) return;
    this.#compactScheduled = true;
    // Boards whose writing started together (a phase begins) reach the threshold together;
    // 50 compactions in one burst stall every socket (bench/RESULTS.md). Spread them out.
    setTimeout(() => {
      this.#compactScheduled = false;
      this.compact().catch((err) => this.#deps.log.error('compaction failed', { board: this.name, err }));
    }, Math.random() * COMPACTION_SPREAD_MS).unref();
  }

  /** Replaces the stored updates by one snapshot of the current state. */
  compact(): Promise<void> {
    return this.#run(async () => {
      await this.#stored; // the snapshot holds only what is stored (the queue holds new writes back meanwhile)
      if ((this.#state !== 'live' && this.#state !== 'retired') || this.#updatesSinceSnapshot === 0) return;
      const snapshot = Y.encodeStateAsUpdate(this.doc);
      const through = this.#seq.head;
      const count = this.#updatesSinceSnapshot;
      await this.#deps.store.compactDoc(this.name, snapshot, through);
      this.#updatesSinceSnapshot -= count;
    });
  }

  /** Settles when the store has answered every append sent so far (a broken board's too). */
  async settled(): Promise<void> {
    await this.#lastAppend.catch(() => undefined);
  }

  /** Takes the board out of service (unload, shutdown): no new peers or writes, compaction still allowed. */
  retire(): void {
    if (this.#state === 'live') this.#state = 'retired';
  }

  /** Frees the board's memory; call after it has been dropped from the registry. */
  destroy(): void {
    this.#state = this.#state === 'broken' ? 'broken' : 'destroyed';
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#endGrace();
    this.awareness.off('update', this.#onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.off('update', this.#onDocUpdate);
    this.doc.off('afterTransaction', this.#onTransaction);
    this.doc.destroy();
  }
}

/**
 * Whether a failed apply left any trace in the doc. Yjs appends each struct it integrates
 * to its client's list: one with a length moves the state vector; a zero-length one (only
 * crafted bytes have them) stays last in its list unless a later one moved the state. An
 * item also marks its parent changed, and a deletion or a struct held pending shows too.
 */
function changedAnything(transactions: Y.Transaction[], doc: Y.Doc): boolean {
  if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) return true;
  if (transactions.some((tr) => tr.deleteSet.clients.size > 0 || tr.changed.size > 0 || !sameState(tr.beforeState, tr.afterState))) return true;
  for (const structs of doc.store.clients.values()) if (structs.at(-1)?.length === 0) return true;
  return false;
}

function sameState(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [client, clock] of a) if (b.get(client) !== clock) return false;
  return true;
}

/** Decoding names root types as it meets them (`doc.get`): the empty ones refused bytes added go again. */
function dropRootsAddedSince(doc: Y.Doc, rootsBefore: number): void {
  const added = [...doc.share.keys()].slice(rootsBefore);
  for (const name of added) {
    const type = doc.share.get(name);
    if (type && type._start === null && type._map.size === 0) doc.share.delete(name);
  }
}
