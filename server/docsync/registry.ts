// Loads boards on demand and unloads idle ones. Concurrent opens of one board share
// one load; an idle board is dropped from the map before its final compaction, so a
// new connection then loads a fresh copy from the store — once the retiring copy has
// stored all it was given: its last writes may still be on their way to the store
// (the store is asynchronous), and a copy loaded without them would compact them away.
// In cluster mode a board joins its relay channel before it is read from the store and
// leaves it when it is dropped from the map (server/cluster/board-relay.ts); likewise its
// presence channel (server/cluster/board-awareness.ts).
import * as Y from 'yjs';
import type { Store } from '../store/store.js';
import type { Logger } from '../lib/logger.js';
import { parseBoardDocName } from '../../shared/doc-name.js';
import { WorkshopDeletedError, type ErasedWorkshops } from '../workshops/erased-workshops.js';
import { Board, type BoardMetrics } from './board.js';
import type { BoardMembership, BoardRelay } from '../cluster/board-relay.js';
import type { BoardPresenceMembership, BoardPresenceRelay } from '../cluster/board-awareness.js';

export interface RegistryOptions {
  store: Store;
  log: Logger;
  metrics?: BoardMetrics;
  idleMs: number;
  compactEvery?: number;
  /** Told after every stored change of a board (activity figures). */
  onCommit?: (name: string, updates: number) => void;
  /** Told, with the board as it was, right before a peer's update removes much of it (see Board). */
  onLargeRemoval?: (name: string, snapshot: Uint8Array, by: string) => void;
  /** Whether anonymous ideas are on for the board's workshop (asked on every write). */
  isAnonymous?: (name: string) => boolean;
  /** Workshops deleted: their boards never load again. */
  erased?: ErasedWorkshops;
  /** Cluster mode: the other nodes' updates of the boards loaded here, and ours to them. */
  relay?: BoardRelay;
  /** Cluster mode: board presence said on the other nodes, and this node's to them. */
  presenceRelay?: BoardPresenceRelay;
}

interface Entry {
  loading: Promise<Board>;
  board?: Board;
}

export class BoardRegistry {
  readonly #entries = new Map<string, Entry>();
  /** Boards being unloaded: settled when everything they accepted is in the store. */
  readonly #retiring = new Map<string, Promise<void>>();
  readonly #opts: RegistryOptions;
  /** Cluster mode: each entry's channel to the other nodes. */
  readonly #memberships = new Map<string, BoardMembership>();
  readonly #presenceMemberships = new Map<string, BoardPresenceMembership>();

  constructor(opts: RegistryOptions) {
    this.#opts = opts;
  }

  get loadedCount(): number {
    return this.#entries.size;
  }

  /** The board if it is in memory and live; never loads. */
  peek(name: string): Board | undefined {
    const board = this.#entries.get(name)?.board;
    return board?.isLive ? board : undefined;
  }

  /** Whether any board of the workshop is in memory (loaded, loading or being unloaded). */
  holdsWorkshop(workshopId: string): boolean {
    const prefix = `${workshopId}/`;
    for (const name of this.#entries.keys()) if (name.startsWith(prefix)) return true;
    for (const name of this.#retiring.keys()) if (name.startsWith(prefix)) return true;
    return false;
  }

  /** Whether someone has a board of the workshop open (a connection on it). */
  hasPeers(workshopId: string): boolean {
    const prefix = `${workshopId}/`;
    for (const [name, entry] of this.#entries) if (name.startsWith(prefix) && (entry.board?.peers.size ?? 0) > 0) return true;
    return false;
  }

  /** The live board, loaded from the store if needed; throws `WorkshopDeletedError` for a deleted workshop's. */
  async open(name: string): Promise<Board> {
    const workshopId = parseBoardDocName(name)?.workshopId;
    for (;;) {
      if (workshopId && this.#opts.erased?.has(workshopId)) throw new WorkshopDeletedError(workshopId);
      let entry = this.#entries.get(name);
      if (!entry) {
        const created: Entry = { loading: this.#load(name) };
        created.loading.then(
          (board) => (created.board = board),
          () => this.#entries.get(name) === created && this.#drop(name),
        );
        this.#entries.set(name, created);
        entry = created;
      }
      const board = await entry.loading;
      if (board.isLive) return board;
      this.#forget(board);
    }
  }

  async #load(name: string): Promise<Board> {
    await this.#retiring.get(name);
    // Subscribed first, then read: what another node stores meanwhile is kept, not missed.
    // (One entry per name at a time, so one membership: it is left when the entry goes.)
    const [membership, presence] = await Promise.all([this.#opts.relay?.join(name), this.#opts.presenceRelay?.join(name)]);
    if (membership) this.#memberships.set(name, membership);
    if (presence) this.#presenceMemberships.set(name, presence);
    const stored = await this.#opts.store.loadDoc(name);
    const doc = new Y.Doc();
    doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const update of stored.updates) Y.applyUpdate(doc, update);
    });
    const onLargeRemoval = this.#opts.onLargeRemoval;
    const relay = this.#opts.relay;
    const board = new Board(name, doc, { lastSeq: stored.lastSeq, updates: stored.updates.length }, {
      store: this.#opts.store,
      log: this.#opts.log,
      metrics: this.#opts.metrics,
      idleMs: this.#opts.idleMs,
      compactEvery: this.#opts.compactEvery ?? 500,
      onIdle: (board) => void this.#unload(board),
      onBroken: (board) => {
        // A fresh copy is loaded once the store has answered what the broken one sent it.
        this.#retire(board.name, board.settled());
        this.#forget(board);
      },
      onCommit: (board, updates) => this.#opts.onCommit?.(board.name, updates),
      isAnonymous: (board) => this.#opts.isAnonymous?.(board.name) === true,
      ...(onLargeRemoval ? { onLargeRemoval: (board, snapshot, _removal, by) => onLargeRemoval(board.name, snapshot, by.displayName) } : {}),
      ...(relay ? { onStored: (board, update, seq) => relay.publish(board.name, seq, update), holeGraceMs: relay.holeGraceMs } : {}),
      ...(presence ? { onLocalPresence: (_board, ids) => presence.changed(ids) } : {}),
    });
    membership?.attach(board);
    presence?.attach(board);
    return board;
  }

  #forget(board: Board): void {
    if (this.#entries.get(board.name)?.board === board) this.#drop(board.name);
  }

  /** Removes the entry; its board no longer hears the other nodes. */
  #drop(name: string): void {
    this.#memberships.get(name)?.leave();
    this.#memberships.delete(name);
    this.#presenceMemberships.get(name)?.leave();
    this.#presenceMemberships.delete(name);
    this.#entries.delete(name);
  }

  async #unload(board: Board): Promise<void> {
    board.retire();
    // Compaction runs after the board's queued writes, so when it is done the store holds them all.
    const stored = board.compact()
      .catch((err) => this.#opts.log.error('compaction on unload failed', { board: board.name, err }))
      .then(() => board.settled());
    this.#retire(board.name, stored);
    this.#forget(board);
    await stored;
    board.destroy();
  }

  /** Holds the next load of `name` back until `done` settles. */
  #retire(name: string, done: Promise<void>): void {
    this.#retiring.set(name, done);
    void done.then(() => this.#retiring.get(name) === done && this.#retiring.delete(name));
  }

  /**
   * Closes every board of a workshop being deleted (its `erased` entry is already made):
   * each connection is closed with `code`, what the board accepted before is stored, and
   * the board is dropped. Resolves once none of them can write to the store any more.
   */
  async closeWorkshop(workshopId: string, code: number, reason: string): Promise<void> {
    const prefix = `${workshopId}/`;
    const entries = [...this.#entries].filter(([name]) => name.startsWith(prefix));
    for (const [name] of entries) this.#drop(name);
    const unloading = [...this.#retiring].filter(([name]) => name.startsWith(prefix)).map(([, done]) => done);
    await Promise.all([
      ...unloading,
      ...entries.map(async ([, entry]) => {
        const board = await entry.loading.catch(() => null);
        if (!board) return;
        board.retire();
        for (const peer of [...board.peers]) peer.close(code, reason);
        // Runs after every write the board accepted, once they are stored: then nothing more comes.
        await board.compact().catch(() => undefined);
        await board.settled();
        board.destroy();
      }),
    ]);
  }

  /** Compacts and frees every board: for a graceful shutdown. */
  async closeAll(): Promise<void> {
    const boards = await Promise.allSettled([...this.#entries.values()].map((e) => e.loading));
    for (const name of [...this.#entries.keys()]) this.#drop(name);
    for (const result of boards) {
      if (result.status !== 'fulfilled') continue;
      const board = result.value;
      board.retire();
      for (const peer of [...board.peers]) peer.close(1001, 'server shutting down');
      await board.compact().catch(() => undefined);
      board.destroy();
    }
  }
}
