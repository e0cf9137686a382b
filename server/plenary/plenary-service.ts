// Pulling groups' cards and sections into the plenary board, and what follows: listing
// the items with whether their sources changed, taking a source's new text, merging.
// Every write goes through the BoardWriter (role, lock); reads of the groups' boards go
// through the registry, as the server reads any board.
import { boardDocName, PLENARY_BOARD, type BoardAddress } from '../../shared/doc-name.js';
import {
  addItem, listItems, mergeItems, passageOccurs, readGroupSources, refreshSource, sourceNow, sourceState, sourceText, PLENARY_LIMITS,
  type GroupSources, type PlenaryItemRow, type PlenaryItemView, type PlenarySource, type SourceRef,
} from '../../shared/plenary.js';
import { listCards } from '../../shared/board.js';
import type { Principal } from '../auth/principal.js';
import type { BoardWriter } from '../docsync/board-writer.js';
import type { BoardRegistry } from '../docsync/registry.js';
import type { SessionService } from '../facilitation/session-service.js';
import { badRequest, HttpError, notFound } from '../http/http-error.js';

export interface PlenaryServiceDeps {
  registry: BoardRegistry;
  writer: BoardWriter;
  sessions: SessionService;
  now?: () => number;
}

const plenaryOf = (workshopId: string): BoardAddress => ({ workshopId, groupId: PLENARY_BOARD });

export class PlenaryService {
  readonly #deps: PlenaryServiceDeps;
  readonly #now: () => number;

  constructor(deps: PlenaryServiceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /**
   * Brings a card or section into the plenary board as a new item, or only `passage` of it
   * (words selected in it, which must be in its text now); the new item's id.
   */
  async pull(principal: Principal, ref: SourceRef, passage?: string): Promise<string> {
    const { writer, sessions, registry } = this.#deps;
    const board = plenaryOf(principal.workshopId);
    await writer.assertMayWrite(principal, board); // who may not write learns nothing about the groups
    const session = await sessions.open(principal.workshopId);
    if (!session.groupIds.includes(ref.groupId)) throw notFound('No such group');
    const group = await registry.open(boardDocName({ workshopId: principal.workshopId, groupId: ref.groupId }));
    const found = await group.read((doc) => {
      // A passage may lie past what a whole section's text is kept as: look for it in all of it.
      const text = sourceText(doc, ref, passage === undefined ? PLENARY_LIMITS.pulledText : Number.POSITIVE_INFINITY);
      const author = ref.cardId !== undefined ? listCards(doc).find((c) => c.id === ref.cardId)?.author : undefined;
      return { text, author };
    });
    if (found.text === null) throw notFound(ref.cardId !== undefined ? 'No such card on that board' : 'No such section on that board');
    if (found.text.trim() === '') throw badRequest('There is nothing written there to pull');
    const words = passage?.trim();
    if (words === '') throw badRequest('The passage is empty: select some words to pull');
    if (words !== undefined && !passageOccurs(found.text, words)) {
      throw new HttpError(422, 'passage_not_found', `The passage is not in that ${ref.cardId !== undefined ? 'card' : 'section'}'s text now (was it edited meanwhile?): select it again`);
    }
    // A card has its author; a section was written by its group together.
    const authors = ref.cardId !== undefined
      ? (found.author ? [found.author] : [])
      : [...session.participants.values()].filter((p) => p.groupId === ref.groupId && p.removedAt === null).map((p) => p.name);
    const now = this.#now();
    const pulledText = words ?? found.text.slice(0, PLENARY_LIMITS.pulledText);
    const source: PlenarySource = {
      ...ref, authors: authors.slice(0, PLENARY_LIMITS.authorsPerSource), pulledText, pulledAt: now,
      ...(words !== undefined ? { passage: words } : {}),
    };
    let id = '';
    await writer.change(principal, board, (doc) => {
      id = addItem(doc, { text: pulledText, sources: [source], createdAt: now });
    });
    return id;
  }

  /** Every item, in board order, each source with its text now. */
  async list(principal: Principal): Promise<PlenaryItemRow[]> {
    const items = await this.#items(principal.workshopId);
    const current = await this.#currentTexts(principal.workshopId, items.flatMap((i) => i.sources));
    return items.map((item) => {
      const sources = item.sources.map((s) => sourceState(s, current(s)));
      const first = item.sources[0];
      return {
        itemId: item.id,
        groupId: first?.groupId ?? '',
        ...(first?.cardId !== undefined ? { cardId: first.cardId } : {}),
        ...(first?.sectionId !== undefined ? { sectionId: first.sectionId } : {}),
        text: item.text,
        pulledAt: first?.pulledAt ?? item.createdAt,
        sourceChanged: sources.some((s) => s.changed),
        sources,
      };
    });
  }

  /** Every group's cards and sections, in the workshop's group order: what may be pulled. */
  async sources(principal: Principal): Promise<GroupSources[]> {
    const session = await this.#deps.sessions.open(principal.workshopId);
    const out: GroupSources[] = [];
    for (const groupId of session.groupIds) {
      const group = await this.#deps.registry.open(boardDocName({ workshopId: principal.workshopId, groupId }));
      out.push(await group.read((doc) => readGroupSources(groupId, doc)));
    }
    return out;
  }

  /** Takes the new text of every source of the item that changed; false when none had. */
  async refresh(principal: Principal, itemId: string): Promise<boolean> {
    const board = plenaryOf(principal.workshopId);
    await this.#deps.writer.assertMayWrite(principal, board);
    const item = (await this.#items(principal.workshopId)).find((i) => i.id === itemId);
    if (!item) throw notFound('No such item on the plenary board');
    const current = await this.#currentTexts(principal.workshopId, item.sources);
    const changed = item.sources.flatMap((s) => {
      const text = current(s);
      return text !== null && text !== s.pulledText ? [{ source: s, text }] : [];
    });
    if (changed.length === 0) return false;
    const now = this.#now();
    await this.#deps.writer.change(principal, board, (doc) =>
      doc.transact(() => {
        for (const { source, text } of changed) refreshSource(doc, itemId, source, text, now);
      }),
    );
    return true;
  }

  /** Merges the items into the first, in one change; the kept item's id. */
  async merge(principal: Principal, itemIds: string[]): Promise<string> {
    const board = plenaryOf(principal.workshopId);
    await this.#deps.writer.assertMayWrite(principal, board);
    const known = new Set((await this.#items(principal.workshopId)).map((i) => i.id));
    const missing = itemIds.find((id) => !known.has(id));
    if (missing !== undefined) throw notFound(`No item ${missing} on the plenary board`);
    let kept: string | null = null;
    await this.#deps.writer.change(principal, board, (doc) => {
      kept = mergeItems(doc, itemIds);
    });
    if (kept === null) throw notFound('An item was removed meanwhile; nothing was merged');
    return kept;
  }

  async #items(workshopId: string): Promise<PlenaryItemView[]> {
    const plenary = await this.#deps.registry.open(boardDocName(plenaryOf(workshopId)));
    return plenary.read((doc) => listItems(doc));
  }

  /** The sources' texts now, one read per group board; a group gone reads as a source gone. */
  async #currentTexts(workshopId: string, sources: PlenarySource[]): Promise<(s: PlenarySource) => string | null> {
    const session = await this.#deps.sessions.open(workshopId);
    const texts = new Map<string, string | null>();
    const key = (s: PlenarySource) => JSON.stringify([s.groupId, s.cardId ?? '', s.sectionId ?? '', s.passage ?? null]);
    for (const groupId of new Set(sources.map((s) => s.groupId))) {
      if (!session.groupIds.includes(groupId)) continue;
      const group = await this.#deps.registry.open(boardDocName({ workshopId, groupId }));
      await group.read((doc) => {
        for (const s of sources) if (s.groupId === groupId) texts.set(key(s), sourceNow(doc, s));
      });
    }
    return (s) => texts.get(key(s)) ?? null;
  }
}
