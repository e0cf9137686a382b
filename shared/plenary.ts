// The plenary board (relatoría general): one per workshop, at `<workshopId>/plenary`,
// where the rapporteur weaves the groups' conclusions. It holds the group board's
// `meta` and `sections` (same shape, same editor, same readers in board.ts) and a list of
// items, each pulled from a group's card or section (or a passage of one) and keeping
// where it came from.
//
// An item's sources are written only by the server (pull, refresh, merge), whole, as one
// JSON string: a source is a record that never changes piecemeal, and a string keeps the
// board inside the shape vocabulary the server checks (shape-check.ts). Readers parse it
// leniently and skip what does not fit, like every reader of a board: never a throw.
import * as Y from 'yjs';
import { BOARD_LIMITS, BOARD_SHAPE, findById, isMap, listCards, listSections, newId, positionBetween, readMeta, sectionBody, xmlPlainText, type SectionContent } from './board.js';
import type { RootShape } from './board.js';
import { isPlenaryBoard } from './doc-name.js';
import { readRichText } from './rich-text-yjs.js';
import type { RankedCard } from './session.js';

export { PLENARY_BOARD } from './doc-name.js';
const isPlenary = isPlenaryBoard;

const ITEMS = 'items';

export const PLENARY_LIMITS = {
  /** An item's text: merged items join several texts. */
  itemText: 8000,
  /** What a source's text is kept as (a section may be long). */
  pulledText: 4000,
  /** A passage selected in a card or section and pulled alone. */
  passage: 4000,
  sourcesPerItem: 50,
  authorsPerSource: 50,
  sourcesJson: 300_000,
} as const;

/** Every root of a plenary board: a group board's meta and sections, and the items. */
export const PLENARY_SHAPE = {
  meta: BOARD_SHAPE.meta,
  sections: BOARD_SHAPE.sections,
  [ITEMS]: {
    type: 'Y.Array',
    of: {
      id: { type: 'string', max: BOARD_LIMITS.id, required: true },
      text: { type: 'Y.Text', max: PLENARY_LIMITS.itemText, required: true },
      sources: { type: 'string', max: PLENARY_LIMITS.sourcesJson, required: true, note: 'JSON: [{groupId, cardId?, sectionId?, authors, pulledText, pulledAt, passage?}]' },
      position: { type: 'number', note: 'order (not the array index)' },
      createdAt: { type: 'number', note: 'ms since 1970' },
    },
  },
} as const satisfies Record<string, RootShape>;

/** What an item was pulled from: one card or one section of a group's board. */
export type SourceRef = { groupId: string; cardId: string; sectionId?: undefined } | { groupId: string; sectionId: string; cardId?: undefined };

/** A card or section, or one passage of it. */
export type SourceOrigin = SourceRef & { passage?: string };

export type PlenarySource = SourceRef & {
  authors: string[];
  /** The source's text when it was pulled (or last refreshed); a passage's own words while it is one. */
  pulledText: string;
  pulledAt: number;
  /**
   * Only part of the source was pulled: these words, as selected. It stays unchanged while
   * the words occur in the source (whitespace aside); once they do not, the source reads as
   * changed, and taking its new text takes the whole card or section (it is a passage no more).
   */
  passage?: string;
};

export interface PlenaryItemView {
  id: string;
  text: string;
  sources: PlenarySource[];
  position: number;
  createdAt: number;
}

export interface PlenaryContent {
  title: string;
  sections: Array<SectionContent & { id: string }>;
  items: PlenaryItemView[];
}

const itemArray = (doc: Y.Doc) => doc.getArray<unknown>(ITEMS);
/** The items list, for observers. */
export const plenaryTypes = (doc: Y.Doc) => ({ items: itemArray(doc) });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const shortString = (v: unknown, max: number): string | null => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : null);

/** One stored source, or null when it does not fit. */
function readSource(v: unknown): PlenarySource | null {
  if (!isRecord(v)) return null;
  const groupId = shortString(v.groupId, BOARD_LIMITS.id);
  const cardId = shortString(v.cardId, BOARD_LIMITS.id);
  const sectionId = shortString(v.sectionId, BOARD_LIMITS.id);
  if (!groupId || (cardId === null) === (sectionId === null)) return null;
  const authors = Array.isArray(v.authors)
    ? v.authors.filter((a): a is string => typeof a === 'string').map((a) => a.slice(0, BOARD_LIMITS.authorName)).slice(0, PLENARY_LIMITS.authorsPerSource)
    : [];
  const passage = shortString(v.passage, PLENARY_LIMITS.passage);
  const rest = {
    authors, pulledText: typeof v.pulledText === 'string' ? v.pulledText.slice(0, PLENARY_LIMITS.pulledText) : '', pulledAt: num(v.pulledAt),
    ...(passage !== null ? { passage } : {}),
  };
  return cardId !== null ? { groupId, cardId, ...rest } : { groupId, sectionId: sectionId as string, ...rest };
}

/** An item's sources as stored, skipping what does not fit (a board is user-written data). */
export function parseSources(raw: unknown): PlenarySource[] {
  if (typeof raw !== 'string' || raw.length > PLENARY_LIMITS.sourcesJson) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.slice(0, PLENARY_LIMITS.sourcesPerItem).map(readSource).filter((s): s is PlenarySource => s !== null);
}

const writeSources = (sources: PlenarySource[]): string => JSON.stringify(sources.slice(0, PLENARY_LIMITS.sourcesPerItem));

export const sameSource = (a: SourceRef, b: SourceRef): boolean =>
  a.groupId === b.groupId && (a.cardId ?? null) === (b.cardId ?? null) && (a.sectionId ?? null) === (b.sectionId ?? null);

/** One source of an item: the same card or section, and the same passage of it (or the whole of it). */
export const sameOrigin = (a: SourceOrigin, b: SourceOrigin): boolean => sameSource(a, b) && (a.passage ?? null) === (b.passage ?? null);

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Whether a passage occurs in a text, whitespace aside (a selection across paragraphs joins them its own way). */
export const passageOccurs = (text: string, passage: string): boolean => {
  const words = squash(passage);
  return words !== '' && squash(text).includes(words);
};

export function listItems(doc: Y.Doc): PlenaryItemView[] {
  return itemArray(doc)
    .toArray()
    .filter(isMap)
    .map((m) => {
      const text = m.get('text');
      return {
        id: typeof m.get('id') === 'string' ? (m.get('id') as string).slice(0, BOARD_LIMITS.id) : '',
        text: text instanceof Y.Text ? text.toString().slice(0, PLENARY_LIMITS.itemText) : '',
        sources: parseSources(m.get('sources')),
        position: num(m.get('position')),
        createdAt: num(m.get('createdAt')),
      };
    })
    .filter((i) => i.id !== '')
    .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function findItem(doc: Y.Doc, id: string): Y.Map<unknown> | undefined {
  return findById(itemArray(doc), id);
}

/** The item's text the editor binds to. */
export function itemText(doc: Y.Doc, id: string): Y.Text | undefined {
  const text = findItem(doc, id)?.get('text');
  return text instanceof Y.Text ? text : undefined;
}

/** Adds an item at the end; returns its id. */
export function addItem(doc: Y.Doc, item: { text: string; sources: PlenarySource[]; createdAt: number }): string {
  const id = newId();
  const last = listItems(doc).at(-1);
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    m.set('id', id);
    m.set('text', new Y.Text(item.text.slice(0, PLENARY_LIMITS.itemText)));
    m.set('sources', writeSources(item.sources));
    m.set('position', positionBetween(last?.position, undefined));
    m.set('createdAt', item.createdAt);
    itemArray(doc).push([m]);
  });
  return id;
}

export function removeItem(doc: Y.Doc, id: string): void {
  const array = itemArray(doc);
  for (let i = array.length - 1; i >= 0; i--) {
    const m = array.get(i);
    if (isMap(m) && m.get('id') === id) array.delete(i, 1);
  }
}

/**
 * Takes a source's new text: the source's `pulledText` becomes `now`'s text, and the
 * item's text follows — the old passage replaced where the item still holds it word for
 * word, the whole text for a one-source item, otherwise the new text added at the end (the
 * rapporteur rewrote it). False when the item has no such source.
 */
export function refreshSource(doc: Y.Doc, itemId: string, ref: SourceOrigin, current: string, at: number): boolean {
  const m = findItem(doc, itemId);
  const text = m?.get('text');
  if (!m || !(text instanceof Y.Text)) return false;
  const sources = parseSources(m.get('sources'));
  const i = sources.findIndex((s) => sameOrigin(s, ref));
  const source = sources[i];
  if (!source) return false;
  const fresh = current.slice(0, PLENARY_LIMITS.pulledText);
  doc.transact(() => {
    const now = text.toString();
    const where = source.pulledText === '' ? -1 : now.indexOf(source.pulledText);
    if (where >= 0) {
      text.delete(where, source.pulledText.length);
      text.insert(where, fresh);
    } else if (sources.length === 1) {
      text.delete(0, text.length);
      text.insert(0, fresh);
    } else {
      text.insert(text.length, `\n\n${fresh}`);
    }
    if (text.length > PLENARY_LIMITS.itemText) text.delete(PLENARY_LIMITS.itemText, text.length - PLENARY_LIMITS.itemText);
    const next: PlenarySource = { ...source, pulledText: fresh, pulledAt: at };
    delete next.passage; // its words were gone: the item took the whole source's text now
    sources[i] = next;
    m.set('sources', writeSources(sources));
  });
  return true;
}

/**
 * Merges items into the first of `ids` (in the order given), in one change: its text is
 * every text joined by a blank line, its sources all of theirs (each once); the others go.
 * Returns the kept item's id, or null unless every id names an item.
 */
export function mergeItems(doc: Y.Doc, ids: string[]): string | null {
  const all = new Map(listItems(doc).map((i) => [i.id, i]));
  const items = [...new Set(ids)].map((id) => all.get(id));
  if (items.length < 2 || items.some((i) => i === undefined)) return null;
  const [keep, ...rest] = items as PlenaryItemView[];
  const target = findItem(doc, keep!.id);
  const text = target?.get('text');
  if (!target || !(text instanceof Y.Text)) return null;
  const sources: PlenarySource[] = [];
  for (const s of items.flatMap((i) => i!.sources)) if (!sources.some((t) => sameOrigin(s, t))) sources.push(s);
  doc.transact(() => {
    const joined = items.map((i) => i!.text.trim()).filter((t) => t !== '').join('\n\n').slice(0, PLENARY_LIMITS.itemText);
    text.delete(0, text.length);
    text.insert(0, joined);
    target.set('sources', writeSources(sources));
    for (const i of rest) removeItem(doc, i.id);
  });
  return keep!.id;
}

// ---- sources on the groups' boards ------------------------------------------------------

/** The text of a card or section on its group's board now (a section: its body's text, cut to `max`), or null when it is gone. */
export function sourceText(groupDoc: Y.Doc, ref: SourceRef, max: number = PLENARY_LIMITS.pulledText): string | null {
  if (ref.cardId !== undefined) return listCards(groupDoc).find((c) => c.id === ref.cardId)?.text ?? null;
  if (!listSections(groupDoc).some((s) => s.id === ref.sectionId)) return null;
  const body = sectionBody(groupDoc, ref.sectionId);
  return body ? xmlPlainText(body).slice(0, max) : '';
}

/**
 * A source's text now, to hold against its `pulledText`: a whole card or section's text;
 * for a passage, the passage itself while it still occurs in the source (unchanged), else
 * the source's whole text. Null when the source is gone.
 */
export function sourceNow(groupDoc: Y.Doc, source: PlenarySource): string | null {
  if (source.passage === undefined) return sourceText(groupDoc, source);
  const whole = sourceText(groupDoc, source, Number.POSITIVE_INFINITY);
  if (whole === null) return null;
  return passageOccurs(whole, source.passage) ? source.pulledText : whole.slice(0, PLENARY_LIMITS.pulledText);
}

// ---- whole content (export) ----------------------------------------------------------

/** Everything on the plenary board as plain data, for exporters; never throws on a board's content. */
export function readPlenary(doc: Y.Doc): PlenaryContent {
  return {
    title: readMeta(doc).title,
    sections: listSections(doc).map((s) => {
      const body = sectionBody(doc, s.id);
      return { id: s.id, heading: s.heading, body: body ? readRichText(body) : [] };
    }),
    items: listItems(doc),
  };
}

export interface RankedItem extends PlenaryItemView {
  /** Dots of the round over the plenary board (0 when it has none). */
  dots: number;
  voters: number;
}

/** The items in the order a ranking puts them (ranked first, best first; the rest in board order). */
export function rankItems(items: PlenaryItemView[], ranking: readonly RankedCard[] | null): RankedItem[] {
  const order = new Map((ranking ?? []).filter((r) => isPlenary(r.groupId)).map((r, i) => [r.cardId, { i, dots: r.dots, voters: r.voters }]));
  return items
    .map((item, i) => ({ item, i, r: order.get(item.id) }))
    .sort((a, b) => (a.r?.i ?? Infinity) - (b.r?.i ?? Infinity) || a.i - b.i)
    .map(({ item, r }) => ({ ...item, dots: r?.dots ?? 0, voters: r?.voters ?? 0 }));
}

// ---- the HTTP API's view ---------------------------------------------------------------

/** A source as `GET /api/workshops/:id/plenary/items` lists it: with its text now. */
export type SourceState = PlenarySource & {
  /** The source's text on its group's board now; null when it was deleted. */
  currentText: string | null;
  /** The source was edited since it was pulled (or last refreshed); a deleted source is not "changed". */
  changed: boolean;
};

/** One item as the API lists it: its first source's fields on top, every source below. */
export interface PlenaryItemRow {
  itemId: string;
  groupId: string;
  cardId?: string;
  sectionId?: string;
  text: string;
  pulledAt: number;
  sourceChanged: boolean;
  sources: SourceState[];
}

/** A group's content as the plenary page's side panel offers it (`GET …/plenary/sources`). */
export interface GroupSources {
  groupId: string;
  cards: Array<{ id: string; text: string; author: string }>;
  sections: Array<{ id: string; heading: string; text: string }>;
}

/** What of a group's board can be pulled: its cards, and its sections with their text. */
export function readGroupSources(groupId: string, doc: Y.Doc): GroupSources {
  return {
    groupId,
    cards: listCards(doc).map((c) => ({ id: c.id, text: c.text, author: c.author })),
    sections: listSections(doc).map((s) => ({ id: s.id, heading: s.heading, text: sourceText(doc, { groupId, sectionId: s.id }) ?? '' })),
  };
}

/** A source's state against its text now (null: gone). */
export function sourceState(source: PlenarySource, current: string | null): SourceState {
  return { ...source, currentText: current, changed: current !== null && current !== source.pulledText };
}
