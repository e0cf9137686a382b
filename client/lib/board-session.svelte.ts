// One open board: owns the live connection (doc + provider + local copy + awareness),
// turns wire events into state the page shows, and offers the board's actions.
// When the server refuses a write, the local copy is replaced by the server's: a new
// connection generation, to which the page re-binds (`generation`). Every action is made
// as this person's own change (`undo`), so undo takes back only what they did.
import { tick } from 'svelte';
import { removeAwarenessStates } from 'y-protocols/awareness';
import {
  addCard, addSection, cardText, clusterTitle, createCluster, groupCardWith, moveCard, moveItem, moveSection, promoteCard, removeCluster,
  removeSection, restoreCard, sectionBody, sectionHeading, setCardCluster, setCardColor, setClusterCollapsed, trashCard, type CardColor,
} from '../../shared/board.js';
import { CloseCode, DENIED_READ_ONLY } from '../../shared/close-codes.js';
import { boardDocName } from '../../shared/doc-name.js';
import { publishDrag, publishUser, type BoardUser, type CardDragState } from './board/awareness-state.js';
import { BoardConnection, indexedDbCopy, type LocalCopyFactory } from './board/board-connection.js';
import { BoardUndo } from './board/board-undo.svelte.js';
import { BoardView } from './board/board-view.svelte.js';

export type LinkState = 'syncing' | 'connected' | 'offline';
export type BoardNotice = 'denied' | 'retrying';

export interface BoardSessionOptions {
  workshopId: string;
  groupId: string;
  token: string;
  user: BoardUser;
  readOnly: boolean;
  /** Whether the facilitator has locked the board now (read reactively; the server enforces it). */
  locked?: () => boolean;
  /** Whether ideas are anonymous now: new cards carry no author (the server blanks one anyway). */
  anonymous?: () => boolean;
  /** `ws(s)://host/yjs` */
  serverUrl: string;
  /** How to keep the local copy; null keeps none. Defaults to IndexedDB. */
  localCopy?: LocalCopyFactory | null;
  WebSocketPolyfill?: typeof WebSocket;
}

/** Resets closer together than this wait: a client that keeps writing where it may not must not spin. */
const MIN_RESET_INTERVAL_MS = 3000;

export class BoardSession {
  readonly user: BoardUser;
  /** Read-only for who this is (another group's board), locked or not. */
  readonly viewOnly: boolean;
  readonly #opts: BoardSessionOptions;
  #conn = $state.raw() as BoardConnection;
  #view = $state.raw() as BoardView;
  #undo = $state.raw() as BoardUndo;
  #generation = $state(0);
  #link = $state<LinkState>('syncing');
  #closed = $state<{ code: number; reason: string } | null>(null);
  #notice = $state<BoardNotice | null>(null);
  #resetting: Promise<void> | null = null;
  #lastReset = 0;
  #destroyed = false;
  readonly #onNetwork = () => {
    this.#refreshLink();
    // Offline, the others' carets would stay where they were as if they were here: drop
    // them (the server sends them again with the next sync).
    if (this.#link === 'offline') {
      const awareness = this.#conn.awareness;
      const others = [...awareness.getStates().keys()].filter((id) => id !== awareness.clientID);
      if (others.length > 0) removeAwarenessStates(awareness, others, 'offline');
    }
  };

  constructor(opts: BoardSessionOptions) {
    this.#opts = opts;
    this.user = opts.user;
    this.viewOnly = opts.readOnly;
    this.#conn = this.#open();
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.#onNetwork);
      window.addEventListener('offline', this.#onNetwork);
    }
  }

  #open(after?: Promise<unknown>): BoardConnection {
    const { workshopId, groupId } = this.#opts;
    const open = this.#opts.localCopy === undefined ? indexedDbCopy : this.#opts.localCopy;
    const conn: BoardConnection = new BoardConnection(
      {
        serverUrl: this.#opts.serverUrl,
        room: boardDocName({ workshopId, groupId }),
        token: this.#opts.token,
        localCopy: open ? { name: `relatoria:${workshopId}/${groupId}`, open } : null,
        after,
        ...(this.#opts.WebSocketPolyfill ? { WebSocketPolyfill: this.#opts.WebSocketPolyfill } : {}),
      },
      {
        changed: () => conn === this.#conn && this.#onChanged(),
        denied: (reason) => conn === this.#conn && this.#onDenied(reason),
        dropped: (code) => conn === this.#conn && this.#onDropped(code),
        closed: (code, reason) => conn === this.#conn && this.#onClosed(code, reason),
      },
    );
    publishUser(conn.awareness, this.user);
    this.#view = new BoardView(conn.doc, conn.awareness);
    this.#undo = new BoardUndo(conn.doc);
    return conn;
  }

  /** The facilitator locked this board: nobody writes to it until it is unlocked. */
  get locked(): boolean {
    return this.#opts.locked?.() ?? false;
  }

  /** Nothing may be written from here now: another group's board, or a locked one. */
  get readOnly(): boolean {
    return this.viewOnly || this.locked;
  }

  /** Bumped each time the doc is replaced: whatever binds to the doc re-binds. */
  get generation(): number {
    return this.#generation;
  }

  get view(): BoardView {
    return this.#view;
  }

  /** Undo and redo of this person's own changes (outside the editor, which has its own). */
  get undo(): BoardUndo {
    return this.#undo;
  }

  get connection(): BoardConnection {
    return this.#conn;
  }

  get link(): LinkState {
    return this.#link;
  }

  /** Set when the server closed for good (4401, 4403, 4404): reconnecting cannot help. */
  get closed(): { code: number; reason: string } | null {
    return this.#closed;
  }

  get notice(): BoardNotice | null {
    return this.#notice;
  }

  dismissNotice(): void {
    this.#notice = null;
  }

  #refreshLink(): void {
    const conn = this.#conn;
    const online = typeof navigator === 'undefined' || navigator.onLine !== false;
    if (conn.synced && online) this.#link = 'connected';
    else if (!online || (!conn.connected && conn.failing)) this.#link = 'offline';
    else this.#link = 'syncing';
  }

  #onChanged(): void {
    this.#refreshLink();
    if (this.#conn.synced && this.#notice === 'retrying') this.#notice = null;
  }

  #onDropped(code: number | null): void {
    if (code === CloseCode.TryAgainLater) this.#notice = 'retrying';
    this.#refreshLink();
  }

  #onClosed(code: number, reason: string): void {
    this.#closed = { code, reason };
  }

  #onDenied(reason: string): void {
    if (reason !== DENIED_READ_ONLY) return;
    this.#notice = 'denied';
    void this.reset();
  }

  /** Throws the local copy away and starts again from the server's. */
  reset(): Promise<void> {
    this.#resetting ??= this.#reset().finally(() => (this.#resetting = null));
    return this.#resetting;
  }

  async #reset(): Promise<void> {
    const wait = this.#lastReset + MIN_RESET_INTERVAL_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (this.#destroyed) return;
    this.#lastReset = Date.now();
    const old = this.#conn;
    const oldUndo = this.#undo;
    const cleared = old.shutdown({ clearLocal: true });
    this.#conn = this.#open(cleared);
    this.#generation++;
    this.#refreshLink();
    await tick(); // the page has re-bound to the new doc: the old one may go
    oldUndo.destroy();
    old.destroyDoc();
    await cleared.catch(() => undefined);
  }

  async destroy(): Promise<void> {
    this.#destroyed = true;
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.#onNetwork);
      window.removeEventListener('offline', this.#onNetwork);
    }
    await this.#resetting;
    await this.#conn.shutdown({ clearLocal: false });
    this.#undo.destroy();
    this.#conn.destroyDoc();
  }

  // ---- actions ---------------------------------------------------------------

  get doc() {
    return this.#conn.doc;
  }

  addCard(text: string, color: CardColor): void {
    const author = this.#opts.anonymous?.() ? '' : this.user.name;
    if (text.trim() !== '') this.#undo.change(() => addCard(this.doc, { text: text.trim(), author, color }));
  }

  cardText(id: string) {
    return cardText(this.doc, id);
  }

  setCardColor(id: string, color: CardColor): void {
    this.#undo.change(() => setCardColor(this.doc, id, color));
  }

  moveCard(id: string, toIndex: number): void {
    this.#undo.change(() => moveCard(this.doc, id, toIndex));
  }

  /** Moves a grid item (an ungrouped card, or `cluster:<id>`), or a grouped card within its cluster. */
  moveItem(id: string, toIndex: number): void {
    this.#undo.change(() => moveItem(this.doc, id, toIndex));
  }

  // ---- clusters ----

  /** Groups the cards into a new cluster; returns its id. */
  createCluster(cardIds: readonly string[]): string | null {
    return this.#undo.change(() => createCluster(this.doc, cardIds));
  }

  /** A card dropped onto another card or a cluster (`cluster:<id>`). */
  groupCardWith(cardId: string, targetId: string): string | null {
    return this.#undo.change(() => groupCardWith(this.doc, cardId, targetId));
  }

  leaveCluster(cardId: string): void {
    this.#undo.change(() => setCardCluster(this.doc, cardId, null));
  }

  /** Removes the cluster; its cards stay, ungrouped. */
  ungroup(clusterId: string): void {
    this.#undo.change(() => removeCluster(this.doc, clusterId));
  }

  setClusterCollapsed(clusterId: string, collapsed: boolean): void {
    this.#undo.change(() => setClusterCollapsed(this.doc, clusterId, collapsed));
  }

  clusterTitle(id: string) {
    return clusterTitle(this.doc, id);
  }

  /** Whether a card is this person's own: deleting someone else's asks first. */
  isOwnCard(author: string): boolean {
    return author === this.user.name;
  }

  /** Deletes a card to the board's trash, from which anyone in the group restores it. */
  trashCard(id: string): void {
    this.#undo.change(() => trashCard(this.doc, id, this.user.name));
  }

  restoreCard(id: string): void {
    this.#undo.change(() => restoreCard(this.doc, id));
  }

  promoteCard(cardId: string, sectionId: string): boolean {
    return this.#undo.change(() => promoteCard(this.doc, cardId, sectionId));
  }

  /** Shows others where a dragged card would land; only the drop is written to the doc. */
  setDrag(drag: CardDragState | null): void {
    publishDrag(this.#conn.awareness, drag);
  }

  addSection(heading: string, afterId?: string): string {
    return this.#undo.change(() => addSection(this.doc, heading, afterId));
  }

  sectionHeading(id: string) {
    return sectionHeading(this.doc, id);
  }

  sectionBody(id: string) {
    return sectionBody(this.doc, id);
  }

  moveSection(id: string, toIndex: number): void {
    this.#undo.change(() => moveSection(this.doc, id, toIndex));
  }

  removeSection(id: string): void {
    this.#undo.change(() => removeSection(this.doc, id));
  }
}
