// The plenary page: who we are (rapporteur, facilitator, or a reader), the plenary board's
// live session (its sections edited like a group's draft), its items as the server lists
// them (sources, whether they changed), the groups' content to pull from, and the
// facilitated session around it (lock, spotlight, a vote over the items).
import { diffWords } from 'diff';
import { PLENARY_BOARD } from '../../../shared/doc-name.js';
import { itemText, listItems, plenaryTypes, removeItem, type GroupSources, type PlenaryItemView, type PlenaryItemRow, type SourceRef } from '../../../shared/plenary.js';
import type { Api, WorkshopView } from '../api.js';
import { BoardSession } from '../board-session.svelte.js';
import { describeError, type ShownError } from '../errors.js';
import { BoardFacilitation } from '../facilitation/board-facilitation.svelte.js';
import { mayWrite, resolveIdentity, type BoardIdentity } from '../identity.js';
import { paths } from '../routes.js';
import type { SessionStore } from '../session.js';
import type { PlenaryApi } from './plenary-api.js';

export interface PlenaryPageDeps {
  api: Api;
  plenary: PlenaryApi;
  session: SessionStore;
  serverUrl: string;
  /** A token from the link's fragment (`#k=…`): a rapporteur link. */
  fragmentToken: string | null;
  names: { facilitator: string; rapporteur: string };
  storage: Storage | null;
  navigate: (path: string) => void;
  following: boolean;
}

/** How often the items are read again: a source edited on a group's board says nothing here. */
const POLL_MS = 5000;

export type DiffPart = { text: string; kind: 'same' | 'added' | 'removed' };

/** The words a source gained and lost since it was pulled. */
export function sourceDiff(before: string, after: string): DiffPart[] {
  return diffWords(before, after).map((p) => ({ text: p.value, kind: p.added ? 'added' : p.removed ? 'removed' : 'same' }));
}

/** An item as a reader's page lists it, from the live doc: whether its sources changed is the writers' concern. */
const readerRow = (item: PlenaryItemView): PlenaryItemRow => ({
  itemId: item.id,
  groupId: item.sources[0]?.groupId ?? '',
  text: item.text,
  pulledAt: item.sources[0]?.pulledAt ?? item.createdAt,
  sourceChanged: false,
  sources: item.sources.map((s) => ({ ...s, currentText: s.pulledText, changed: false })),
});

export class PlenaryPageModel {
  readonly workshopId: string;
  readonly identity: BoardIdentity | null;
  readonly board: BoardSession | null;
  readonly facilitation: BoardFacilitation | null;
  readonly #deps: PlenaryPageDeps;
  #workshop = $state<WorkshopView | null>(null);
  #items = $state.raw<PlenaryItemRow[]>([]);
  #sources = $state.raw<GroupSources[]>([]);
  #selected = $state.raw<ReadonlySet<string>>(new Set());
  #error = $state<ShownError | null>(null);
  /** Actions in flight: pulls run side by side (each button says its own), merges wait for none. */
  #inFlight = $state(0);
  /** Each read of the items is numbered: an older answer arriving late never replaces a newer one. */
  #itemsRead = 0;
  #timer: ReturnType<typeof setInterval> | null = null;
  #unobserve: (() => void) | null = null;

  constructor(workshopId: string, deps: PlenaryPageDeps) {
    this.workshopId = workshopId;
    this.#deps = deps;
    if (deps.fragmentToken) deps.session.setRapporteurToken(workshopId, deps.fragmentToken);
    this.identity = resolveIdentity(deps.session, workshopId, {
      // A browser that also joined as a participant opens the synthesis as its facilitator, unless a rapporteur link brought it.
      preferFacilitator: deps.fragmentToken === null,
      preferRapporteur: deps.fragmentToken !== null,
      facilitatorName: deps.names.facilitator,
      rapporteurName: deps.names.rapporteur,
    });
    const identity = this.identity;
    this.facilitation = identity
      ? new BoardFacilitation({ workshopId, groupId: PLENARY_BOARD, identity, following: deps.following, session: deps.session, storage: deps.storage, navigate: deps.navigate })
      : null;
    this.board = identity
      ? new BoardSession({
          workshopId,
          groupId: PLENARY_BOARD,
          token: identity.token,
          user: identity.user,
          readOnly: !mayWrite(identity, PLENARY_BOARD),
          locked: () => this.facilitation?.locked ?? false,
          serverUrl: deps.serverUrl,
        })
      : null;
  }

  /** Loads the workshop, the items and the groups' content, and keeps the items fresh. */
  start(): void {
    if (!this.identity) return;
    void this.#deps.api.getWorkshop(this.workshopId, this.identity.token).then((w) => (this.#workshop = w), () => undefined);
    void this.refresh();
    this.observe();
    if (!this.#writer) return;
    // Only writers ask the server (which reads the groups' boards): readers read the items from the live doc.
    void this.loadSources();
    this.#timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  /** The items list changes on the board (a pull, a merge, someone's edit): read them again. */
  observe(): void {
    this.#unobserve?.();
    const board = this.board;
    if (!board) return;
    const items = plenaryTypes(board.doc).items;
    let pending: ReturnType<typeof setTimeout> | null = null;
    const handler = () => {
      if (pending) return;
      pending = setTimeout(() => {
        pending = null;
        void this.refresh();
      }, 300);
    };
    items.observeDeep(handler);
    this.#unobserve = () => {
      items.unobserveDeep(handler);
      if (pending) clearTimeout(pending);
    };
  }

  get workshop(): WorkshopView | null {
    return this.#workshop;
  }

  get items(): PlenaryItemRow[] {
    return this.#items;
  }

  get sources(): GroupSources[] {
    return this.#sources;
  }

  get error(): ShownError | null {
    return this.#error;
  }

  get busy(): boolean {
    return this.#inFlight > 0;
  }

  /** Writes here: the facilitator or a rapporteur, board not locked. */
  get mayWrite(): boolean {
    return !!this.board && !this.board.readOnly;
  }

  get isFacilitator(): boolean {
    return this.identity?.role === 'facilitator';
  }

  groupName(groupId: string): string {
    return this.#workshop?.groups.find((g) => g.id === groupId)?.name ?? groupId;
  }

  /** A group's board, opened as this page's identity. */
  groupPath(groupId: string): string {
    const role = this.identity?.role;
    const path = paths.board(this.workshopId, groupId);
    return role === 'facilitator' || role === 'rapporteur' ? `${path}?as=${role}` : path;
  }

  get consolePath(): string {
    return paths.facilitate(this.workshopId);
  }

  dismissError(): void {
    this.#error = null;
  }

  /** The facilitator or a rapporteur, locked or not: sees whether sources changed, pulls, merges. */
  get #writer(): boolean {
    return !!this.board && !this.board.viewOnly;
  }

  async refresh(): Promise<void> {
    if (!this.identity) return;
    if (!this.#writer && this.board) {
      this.#items = listItems(this.board.doc).map(readerRow);
      return;
    }
    const read = ++this.#itemsRead;
    try {
      const items = await this.#deps.plenary.items(this.workshopId, this.identity.token);
      if (read !== this.#itemsRead) return;
      this.#items = items;
      const ids = new Set(this.#items.map((i) => i.itemId));
      if ([...this.#selected].some((id) => !ids.has(id))) this.#selected = new Set([...this.#selected].filter((id) => ids.has(id)));
    } catch {
      // Offline for a moment: the next poll tries again; the board itself says it is offline.
    }
  }

  async loadSources(): Promise<void> {
    if (!this.identity) return;
    try {
      this.#sources = await this.#deps.plenary.sources(this.workshopId, this.identity.token);
    } catch (err) {
      this.#error = describeError(err);
    }
  }

  /** Runs a write, then reads the items again. `exclusive` (a merge, taking new text) waits for nothing else in flight. */
  async #act(action: (token: string) => Promise<unknown>, exclusive = false): Promise<boolean> {
    if (!this.identity || (exclusive && this.#inFlight > 0)) return false;
    this.#inFlight++;
    this.#error = null;
    try {
      await action(this.identity.token);
      await this.refresh();
      return true;
    } catch (err) {
      this.#error = describeError(err);
      return false;
    } finally {
      this.#inFlight--;
    }
  }

  /** Pulls a card or section, or a passage of it. */
  pull(ref: SourceRef, passage?: string): Promise<boolean> {
    return this.#act((token) => this.#deps.plenary.pull(this.workshopId, ref, token, passage));
  }

  takeNewText(itemId: string): Promise<boolean> {
    return this.#act((token) => this.#deps.plenary.refresh(this.workshopId, itemId, token), true);
  }

  isSelected(itemId: string): boolean {
    return this.#selected.has(itemId);
  }

  toggle(itemId: string): void {
    const next = new Set(this.#selected);
    if (!next.delete(itemId)) next.add(itemId);
    this.#selected = next;
  }

  get selectedCount(): number {
    return this.#selected.size;
  }

  /** Merges the selected items, in list order, into the first of them. */
  async mergeSelected(): Promise<void> {
    const ids = this.#items.map((i) => i.itemId).filter((id) => this.#selected.has(id));
    if (ids.length < 2) return;
    if (await this.#act((token) => this.#deps.plenary.merge(this.workshopId, ids, token), true)) this.#selected = new Set();
  }

  /** The item's text the textarea binds to (the live doc's). */
  itemText(itemId: string) {
    return this.board ? itemText(this.board.doc, itemId) : undefined;
  }

  /** Takes an item off the synthesis (undo brings it back). */
  removeItem(itemId: string): void {
    const board = this.board;
    if (board && !board.readOnly) board.undo.change(() => removeItem(board.doc, itemId));
  }

  /** Whether a source is on the plenary board already, whole (its pull button says so; a passage of it does not count). */
  pulled(ref: SourceRef): boolean {
    return this.#items.some((i) => i.sources.some((s) => s.passage === undefined && s.groupId === ref.groupId && (s.cardId ?? null) === (ref.cardId ?? null) && (s.sectionId ?? null) === (ref.sectionId ?? null)));
  }

  destroy(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#unobserve?.();
    this.facilitation?.destroy();
    void this.board?.destroy();
  }
}
