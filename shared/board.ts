// The board's shape over Yjs types, and the only functions that read or change it.
// Nothing else in the code base calls getMap/getArray with a literal key.
//
// BOARD_SHAPE (below) is the shape, as data: the server checks every write against it
// (server/docsync/shape-check.ts), and `describeBoardShape()` prints it for people (the
// README's "What a board holds" is that text, and a test keeps them equal).
//
// The trash holds deleted cards, flat (a card's fields as plain values, and who deleted it
// when), until someone restores one: it is part of the board, so it syncs and is stored
// like the rest, but nothing reads it as content (exports, versions' views and diffs).
//
// Order is a `position` number, not the array index: moving an item only sets one
// number, so two people moving cards at once never duplicate or lose one (moving a
// Y.Map inside a Y.Array would mean delete + re-insert, which races badly).
// Every reader type-checks what it reads, skips what does not fit, and reads a text no
// longer than its limit: a board is user-written data, and one stored before the server
// checked shapes may hold anything. A reader never throws on a board's content, and roots
// the shape does not name are never read.
import * as Y from 'yjs';
import { LIMITS, type Language } from './model.js';
import { FOOTNOTE_CONTENT_ATTR, NODE, fitToEditor, isBlank, type Block } from './rich-text.js';
import { MAX_BODY_DEPTH, readRichText, writeRichText } from './rich-text-yjs.js';

const META = 'meta';
const CARDS = 'cards';
const SECTIONS = 'sections';
const TRASH = 'trash';
const CLUSTERS = 'clusters';

export const CARD_COLORS = ['yellow', 'pink', 'blue', 'green', 'orange', 'purple'] as const;
export type CardColor = (typeof CARD_COLORS)[number];

export const BOARD_LIMITS = { cardText: 2000, heading: LIMITS.sectionHeadingLength, authorName: 60, id: 64, clusterTitle: 200 } as const;

// ---- the shape ------------------------------------------------------------------

/** What one field of a map on the board holds. `required`: an element without it is not one. */
export type FieldShape = { required?: true; note?: string } & (
  | { type: 'string'; max: number; oneOf?: readonly string[] }
  | { type: 'number' }
  | { type: 'boolean' }
  | { type: 'Y.Text'; max: number }
  | { type: 'Y.XmlFragment'; nodes: readonly string[]; maxDepth: number }
);
export type MapShape = Readonly<Record<string, FieldShape>>;
export type RootShape = { type: 'Y.Map'; fields: MapShape } | { type: 'Y.Array'; of: MapShape };

/** Every root of a board and what it holds; nothing else is read, and the server removes what does not fit. */
export const BOARD_SHAPE = {
  [META]: {
    type: 'Y.Map',
    fields: {
      title: { type: 'string', max: LIMITS.titleLength },
      question: { type: 'string', max: LIMITS.questionLength },
      frontMatter: { type: 'string', max: LIMITS.frontMatterLength, note: "an imported document's YAML front matter, as written" },
    },
  },
  [CARDS]: {
    type: 'Y.Array',
    of: {
      id: { type: 'string', max: BOARD_LIMITS.id, required: true },
      text: { type: 'Y.Text', max: BOARD_LIMITS.cardText, required: true },
      author: { type: 'string', max: BOARD_LIMITS.authorName },
      color: { type: 'string', max: 20, oneOf: CARD_COLORS },
      position: { type: 'number', note: 'order (not the array index)' },
      createdAt: { type: 'number', note: 'ms since 1970' },
      cluster: { type: 'string', max: BOARD_LIMITS.id, note: "its cluster's id (none, or one no longer there: not grouped)" },
    },
  },
  [CLUSTERS]: {
    type: 'Y.Array',
    of: {
      id: { type: 'string', max: BOARD_LIMITS.id, required: true },
      title: { type: 'Y.Text', max: BOARD_LIMITS.clusterTitle, required: true },
      collapsed: { type: 'boolean' },
      position: { type: 'number', note: 'order among clusters and ungrouped cards' },
      createdAt: { type: 'number', note: 'ms since 1970' },
    },
  },
  [SECTIONS]: {
    type: 'Y.Array',
    of: {
      id: { type: 'string', max: BOARD_LIMITS.id, required: true },
      heading: { type: 'Y.Text', max: BOARD_LIMITS.heading, required: true },
      body: { type: 'Y.XmlFragment', nodes: Object.values(NODE), maxDepth: MAX_BODY_DEPTH, required: true, note: "Tiptap's nodes" },
      position: { type: 'number', note: 'order (not the array index)' },
    },
  },
  [TRASH]: {
    type: 'Y.Array',
    of: {
      id: { type: 'string', max: BOARD_LIMITS.id, required: true },
      text: { type: 'string', max: BOARD_LIMITS.cardText },
      author: { type: 'string', max: BOARD_LIMITS.authorName },
      color: { type: 'string', max: 20, oneOf: CARD_COLORS },
      position: { type: 'number' },
      createdAt: { type: 'number' },
      cluster: { type: 'string', max: BOARD_LIMITS.id },
      deletedBy: { type: 'string', max: BOARD_LIMITS.authorName },
      deletedAt: { type: 'number', note: 'ms since 1970' },
    },
  },
} as const satisfies Record<string, RootShape>;

export type BoardRootName = keyof typeof BOARD_SHAPE;

/** The shape as lines people read (README, docs): one per root, one per field. */
export function describeBoardShape(): string {
  const field = (name: string, f: FieldShape): string[] => {
    const head = `    ${name}${f.required ? '' : '?'}: `;
    const note = f.note ? ` — ${f.note}` : '';
    switch (f.type) {
      case 'string':
        return [`${head}${f.oneOf ? `one of ${f.oneOf.join(' | ')}` : `string ≤ ${f.max}`}${note}`];
      case 'number':
        return [`${head}finite number${note}`];
      case 'boolean':
        return [`${head}boolean${note}`];
      case 'Y.Text':
        return [`${head}Y.Text ≤ ${f.max} characters${note}`];
      case 'Y.XmlFragment': {
        const lines = [`${head}Y.XmlFragment of Y.XmlText and Y.XmlElement, ≤ ${f.maxDepth} levels deep, named${f.note ? ` (${f.note})` : ''}:`];
        let line = '';
        for (const node of f.nodes) {
          if (line.length + node.length > 76) {
            lines.push(`      ${line.trimEnd()}`);
            line = '';
          }
          line += `${node} `;
        }
        if (line !== '') lines.push(`      ${line.trimEnd()}`);
        return lines;
      }
    }
  };
  const lines: string[] = [];
  for (const [name, root] of Object.entries(BOARD_SHAPE) as Array<[string, RootShape]>) {
    const fields = root.type === 'Y.Map' ? root.fields : root.of;
    lines.push(root.type === 'Y.Map' ? `${name}: Y.Map` : `${name}: Y.Array of Y.Map`);
    for (const [key, f] of Object.entries(fields)) lines.push(...field(key, f));
  }
  return lines.join('\n');
}

export const DEFAULT_SECTION_HEADING: Record<Language, string> = {
  es: 'Conclusiones y Recomendaciones',
  en: 'Conclusions and Recommendations',
  pt: 'Conclusões e Recomendações',
};

export interface BoardMeta {
  title: string;
  question: string;
  /** The YAML front matter of the document imported into the board (absent when none). */
  frontMatter?: string;
}

export interface CardView {
  id: string;
  text: string;
  author: string;
  color: CardColor;
  position: number;
  createdAt: number;
  /** The id of the cluster it is in, '' (or absent) when none or its cluster is gone. */
  cluster?: string;
}

export interface ClusterView {
  id: string;
  title: string;
  collapsed: boolean;
  position: number;
  createdAt: number;
}

export interface SectionView {
  id: string;
  heading: string;
  position: number;
}

const meta = (doc: Y.Doc) => doc.getMap<unknown>(META);
// Arrays of unknown: a stock client can push anything into them. Read them through `maps`.
const cardArray = (doc: Y.Doc) => doc.getArray<unknown>(CARDS);
const sectionArray = (doc: Y.Doc) => doc.getArray<unknown>(SECTIONS);
const trashArray = (doc: Y.Doc) => doc.getArray<unknown>(TRASH);
const clusterArray = (doc: Y.Doc) => doc.getArray<unknown>(CLUSTERS);

export const isMap = (v: unknown): v is Y.Map<unknown> => v instanceof Y.Map;
/** The Y.Maps of a list, skipping anything else in it. */
const maps = (array: Y.Array<unknown>): Array<Y.Map<unknown>> => array.toArray().filter(isMap);

/** Y types the UI binds to directly (observers, Tiptap's Collaboration fragment, undo). */
export const boardTypes = (doc: Y.Doc) => ({
  meta: meta(doc),
  cards: cardArray(doc),
  sections: sectionArray(doc),
  trash: trashArray(doc),
  clusters: clusterArray(doc),
});

/** A new id for a card, cluster, section or plenary item. */
export function newId(): string {
  return globalThis.crypto.randomUUID().replaceAll('-', '').slice(0, 16);
}

const str = (v: unknown, fallback = ''): string =>
  typeof v === 'string' ? v : v instanceof Y.Text ? v.toString() : fallback;
/** A text field as read: a string or Y.Text, no longer than the shape allows (a board stored before the check may hold a 1 MB card). */
const field = (m: Y.Map<unknown>, key: string, max: number): string => str(m.get(key)).slice(0, max);
const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const color = (v: unknown): CardColor => (CARD_COLORS as readonly unknown[]).includes(v) ? (v as CardColor) : 'yellow';

/**
 * Sets up a new board: meta and its starting sections (one default section unless
 * `sections` names them). Called once, by the server, at creation.
 */
export function initBoard(doc: Y.Doc, init: BoardMeta & { language: Language; sections?: string[] }): void {
  doc.transact(() => {
    meta(doc).set('title', init.title);
    meta(doc).set('question', init.question);
    if (sectionArray(doc).length > 0) return;
    const headings = init.sections?.length ? init.sections : [DEFAULT_SECTION_HEADING[init.language]];
    for (const heading of headings) insertSection(doc, heading);
  });
}

export function readMeta(doc: Y.Doc): BoardMeta {
  const fields = BOARD_SHAPE.meta.fields;
  const frontMatter = field(meta(doc), 'frontMatter', fields.frontMatter.max);
  return {
    title: field(meta(doc), 'title', fields.title.max),
    question: field(meta(doc), 'question', fields.question.max),
    ...(frontMatter !== '' ? { frontMatter } : {}),
  };
}

export function setMeta(doc: Y.Doc, patch: Partial<BoardMeta>): void {
  doc.transact(() => {
    if (patch.title !== undefined) meta(doc).set('title', patch.title);
    if (patch.question !== undefined) meta(doc).set('question', patch.question);
    if (patch.frontMatter !== undefined) meta(doc).set('frontMatter', patch.frontMatter);
  });
}

// ---- ordering ---------------------------------------------------------------

function byPosition<T extends { position: number; id: string }>(a: T, b: T): number {
  return a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A position strictly between two neighbours (either may be missing). */
export function positionBetween(before: number | undefined, after: number | undefined): number {
  if (before === undefined && after === undefined) return 1;
  if (before === undefined) return (after as number) - 1;
  if (after === undefined) return before + 1;
  return (before + after) / 2;
}

/** The map with this `id` in one of a board's arrays. */
export function findById(array: Y.Array<unknown>, id: string): Y.Map<unknown> | undefined {
  for (const item of array) if (isMap(item) && item.get('id') === id) return item;
  return undefined;
}

function indexById(array: Y.Array<unknown>, id: string): number {
  let i = 0;
  for (const item of array) {
    if (isMap(item) && item.get('id') === id) return i;
    i++;
  }
  return -1;
}

/** Where an item lands when moved to `toIndex` of the ordered list (without itself). */
function positionForMove(ordered: Array<{ id: string; position: number }>, id: string, toIndex: number): number {
  const others = ordered.filter((o) => o.id !== id);
  const i = Math.max(0, Math.min(toIndex, others.length));
  return positionBetween(others[i - 1]?.position, others[i]?.position);
}

// ---- cards --------------------------------------------------------------------

export function listCards(doc: Y.Doc): CardView[] {
  const clusters = new Set(listClusters(doc).map((c) => c.id));
  return maps(cardArray(doc))
    .map((m) => {
      const cluster = field(m, 'cluster', BOARD_LIMITS.id);
      return {
        id: str(m.get('id')),
        text: field(m, 'text', BOARD_LIMITS.cardText),
        author: field(m, 'author', BOARD_LIMITS.authorName),
        color: color(m.get('color')),
        position: num(m.get('position')),
        createdAt: num(m.get('createdAt')),
        ...(clusters.has(cluster) ? { cluster } : {}),
      };
    })
    .filter((c) => c.id !== '')
    .sort(byPosition);
}

export function cardText(doc: Y.Doc, id: string): Y.Text | undefined {
  const text = findById(cardArray(doc), id)?.get('text');
  return text instanceof Y.Text ? text : undefined;
}

/**
 * Adds a card at the end; `id` only when the server must know it in advance (revealed
 * private cards), `position` when the caller knows it (writing many cards: reading them
 * all back for each one would make that quadratic).
 */
export function addCard(doc: Y.Doc, card: { text: string; author: string; color?: CardColor; createdAt?: number; id?: string; position?: number }): string {
  const id = card.id ?? newId();
  const position = card.position ?? positionBetween(listCards(doc).at(-1)?.position, undefined);
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    m.set('id', id);
    m.set('text', new Y.Text(card.text.slice(0, BOARD_LIMITS.cardText)));
    m.set('author', card.author.slice(0, BOARD_LIMITS.authorName));
    m.set('color', card.color ?? 'yellow');
    m.set('position', position);
    m.set('createdAt', card.createdAt ?? Date.now());
    cardArray(doc).push([m]);
  });
  return id;
}

export function setCardColor(doc: Y.Doc, id: string, value: CardColor): void {
  findById(cardArray(doc), id)?.set('color', value);
}

export function moveCard(doc: Y.Doc, id: string, toIndex: number): void {
  const card = findById(cardArray(doc), id);
  if (card) card.set('position', positionForMove(listCards(doc), id, toIndex));
}

/** Deletes a card outright (what a stock client does); people delete to the trash (`trashCard`). */
export function removeCard(doc: Y.Doc, id: string): void {
  const i = indexById(cardArray(doc), id);
  if (i >= 0) cardArray(doc).delete(i, 1);
}

// ---- trash --------------------------------------------------------------------

export interface TrashedCardView extends CardView {
  deletedBy: string;
  deletedAt: number;
}

/** Moves a card to the board's trash, in one change; false when there is no such card. */
export function trashCard(doc: Y.Doc, id: string, deletedBy: string, deletedAt = Date.now()): boolean {
  const card = listCards(doc).find((c) => c.id === id);
  if (!card) return false;
  doc.transact(() => {
    removeCard(doc, id);
    const m = new Y.Map<unknown>();
    m.set('id', card.id);
    m.set('text', card.text);
    m.set('author', card.author);
    m.set('color', card.color);
    m.set('position', card.position);
    m.set('createdAt', card.createdAt);
    if (card.cluster) m.set('cluster', card.cluster);
    m.set('deletedBy', deletedBy.slice(0, BOARD_LIMITS.authorName));
    m.set('deletedAt', deletedAt);
    trashArray(doc).push([m]);
  });
  return true;
}

/** The trashed cards, most recently deleted first (one per id). */
export function listTrash(doc: Y.Doc): TrashedCardView[] {
  const seen = new Set<string>();
  return maps(trashArray(doc))
    .map((m) => ({
      id: str(m.get('id')),
      text: field(m, 'text', BOARD_LIMITS.cardText),
      author: field(m, 'author', BOARD_LIMITS.authorName),
      color: color(m.get('color')),
      position: num(m.get('position')),
      createdAt: num(m.get('createdAt')),
      ...(str(m.get('cluster')) !== '' ? { cluster: field(m, 'cluster', BOARD_LIMITS.id) } : {}),
      deletedBy: field(m, 'deletedBy', BOARD_LIMITS.authorName),
      deletedAt: num(m.get('deletedAt')),
    }))
    .filter((c) => c.id !== '')
    .sort((a, b) => b.deletedAt - a.deletedAt)
    .filter((c) => {
      if (seen.has(c.id)) return false; // two people deleted it at once
      seen.add(c.id);
      return true;
    });
}

/**
 * Puts a trashed card back where it was, with its text, author, colour and creation
 * time, in one change; false when it is not in the trash. A card already back on the
 * board (someone undid its deletion) only leaves the trash.
 */
export function restoreCard(doc: Y.Doc, id: string): boolean {
  const card = listTrash(doc).find((c) => c.id === id);
  if (!card) return false;
  doc.transact(() => {
    const trash = trashArray(doc);
    for (let i = trash.length - 1; i >= 0; i--) {
      const item = trash.get(i);
      if (isMap(item) && item.get('id') === id) trash.delete(i, 1);
    }
    if (findById(cardArray(doc), id)) return;
    const m = new Y.Map<unknown>();
    m.set('id', card.id);
    m.set('text', new Y.Text(card.text.slice(0, BOARD_LIMITS.cardText)));
    m.set('author', card.author);
    m.set('color', card.color);
    m.set('position', card.position);
    m.set('createdAt', card.createdAt);
    // Back into its cluster if that is still there (a reader ignores it otherwise).
    if (card.cluster) m.set('cluster', card.cluster);
    cardArray(doc).push([m]);
  });
  return true;
}

// ---- clusters -------------------------------------------------------------------
// A card names its cluster in one field (last writer wins), and clusters hold no cards:
// two people grouping one card into two clusters at once converge on one of them, and a
// card is never in two places. A cluster no card names is not shown (listBoardItems).

/** The clusters, in order (one per id). */
export function listClusters(doc: Y.Doc): ClusterView[] {
  const seen = new Set<string>();
  return maps(clusterArray(doc))
    .map((m) => ({
      id: str(m.get('id')),
      title: field(m, 'title', BOARD_LIMITS.clusterTitle),
      collapsed: m.get('collapsed') === true,
      position: num(m.get('position')),
      createdAt: num(m.get('createdAt')),
    }))
    .filter((c) => {
      if (c.id === '' || seen.has(c.id)) return false;
      seen.add(c.id);
      return true;
    })
    .sort(byPosition);
}

export function clusterTitle(doc: Y.Doc, id: string): Y.Text | undefined {
  const title = findById(clusterArray(doc), id)?.get('title');
  return title instanceof Y.Text ? title : undefined;
}

/**
 * Groups cards into a new cluster, placed where the first of them (in board order) was;
 * cards already in another cluster leave it. Returns the new cluster's id, or null when
 * none of the cards is on the board.
 */
export function createCluster(doc: Y.Doc, cardIds: readonly string[], title = '', id = newId()): string | null {
  const wanted = new Set(cardIds);
  const cards = listCards(doc).filter((c) => wanted.has(c.id));
  if (cards.length === 0) return null;
  const items = listBoardItems(doc);
  const first = items.find((i) => (i.kind === 'card' ? wanted.has(i.card.id) : i.cards.some((c) => wanted.has(c.id))));
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    m.set('id', id);
    m.set('title', new Y.Text(title.slice(0, BOARD_LIMITS.clusterTitle)));
    m.set('collapsed', false);
    m.set('position', first ? itemPosition(first) : positionBetween(items.at(-1) && itemPosition(items.at(-1)!), undefined));
    m.set('createdAt', Date.now());
    clusterArray(doc).push([m]);
    for (const card of cards) findById(cardArray(doc), card.id)?.set('cluster', id);
  });
  return id;
}

/** Puts a card into a cluster, or (null) takes it out of the one it is in. */
export function setCardCluster(doc: Y.Doc, cardId: string, clusterId: string | null): void {
  const card = findById(cardArray(doc), cardId);
  if (!card) return;
  if (clusterId === null) card.delete('cluster');
  else if (findById(clusterArray(doc), clusterId)) card.set('cluster', clusterId);
}

/**
 * A card dropped onto a target (a card, or `cluster:<id>`): it joins the target's cluster,
 * or the two make a new one, placed where the target was. Returns the cluster's id.
 */
export function groupCardWith(doc: Y.Doc, cardId: string, targetId: string): string | null {
  if (cardId === targetId) return null;
  if (targetId.startsWith('cluster:')) {
    const clusterId = targetId.slice('cluster:'.length);
    if (!findById(clusterArray(doc), clusterId)) return null;
    setCardCluster(doc, cardId, clusterId);
    return clusterId;
  }
  const target = listCards(doc).find((c) => c.id === targetId);
  if (!target) return null;
  if (target.cluster) {
    setCardCluster(doc, cardId, target.cluster);
    return target.cluster;
  }
  return createCluster(doc, [targetId, cardId]);
}

export function setClusterCollapsed(doc: Y.Doc, id: string, collapsed: boolean): void {
  findById(clusterArray(doc), id)?.set('collapsed', collapsed);
}

/** Removes a cluster; its cards stay on the board, ungrouped. */
export function removeCluster(doc: Y.Doc, id: string): void {
  doc.transact(() => {
    const clusters = clusterArray(doc);
    for (let i = clusters.length - 1; i >= 0; i--) {
      const item = clusters.get(i);
      if (isMap(item) && item.get('id') === id) clusters.delete(i, 1);
    }
    for (const card of maps(cardArray(doc))) if (card.get('cluster') === id) card.delete('cluster');
  });
}

/** What the card grid shows, in order: clusters (with their cards) and the cards in none. */
export type BoardItem = { kind: 'card'; card: CardView } | { kind: 'cluster'; cluster: ClusterView; cards: CardView[] };

export const itemPosition = (item: BoardItem): number => (item.kind === 'card' ? item.card.position : item.cluster.position);
export const itemId = (item: BoardItem): string => (item.kind === 'card' ? item.card.id : `cluster:${item.cluster.id}`);

/** Clusters and ungrouped cards in one order; a cluster that no card names is left out. */
export function arrangeBoardItems(cards: readonly CardView[], clusters: readonly ClusterView[]): BoardItem[] {
  const known = new Set(clusters.map((c) => c.id));
  const members = new Map<string, CardView[]>();
  const items: BoardItem[] = [];
  for (const card of cards) {
    const cluster = card.cluster ?? '';
    if (!known.has(cluster)) items.push({ kind: 'card', card });
    else members.set(cluster, [...(members.get(cluster) ?? []), card]);
  }
  for (const cluster of clusters) {
    const inside = members.get(cluster.id);
    if (inside) items.push({ kind: 'cluster', cluster, cards: inside });
  }
  return items.sort((a, b) => itemPosition(a) - itemPosition(b) || (itemId(a) < itemId(b) ? -1 : itemId(a) > itemId(b) ? 1 : 0));
}

export const listBoardItems = (doc: Y.Doc): BoardItem[] => arrangeBoardItems(listCards(doc), listClusters(doc));

/**
 * Moves a grid item (an ungrouped card, or `cluster:<id>`) to `toIndex` of the grid's
 * order; a grouped card moves within its cluster.
 */
export function moveItem(doc: Y.Doc, id: string, toIndex: number): void {
  const items = listBoardItems(doc);
  if (id.startsWith('cluster:')) {
    const clusterId = id.slice('cluster:'.length);
    const ordered = items.map((i) => ({ id: itemId(i), position: itemPosition(i) }));
    findById(clusterArray(doc), clusterId)?.set('position', positionForMove(ordered, id, toIndex));
    return;
  }
  const card = findById(cardArray(doc), id);
  const inCluster = items.find((i) => i.kind === 'cluster' && i.cards.some((c) => c.id === id));
  const ordered = inCluster?.kind === 'cluster' ? inCluster.cards : items.map((i) => ({ id: itemId(i), position: itemPosition(i) }));
  card?.set('position', positionForMove(ordered, id, toIndex));
}

// ---- sections -------------------------------------------------------------------

export function listSections(doc: Y.Doc): SectionView[] {
  return maps(sectionArray(doc))
    .map((m) => ({ id: str(m.get('id')), heading: field(m, 'heading', BOARD_LIMITS.heading), position: num(m.get('position')) }))
    .filter((s) => s.id !== '')
    .sort(byPosition);
}

function insertSection(doc: Y.Doc, heading: string, position?: number): string {
  const id = newId();
  const m = new Y.Map<unknown>();
  m.set('id', id);
  m.set('heading', new Y.Text(heading.slice(0, BOARD_LIMITS.heading)));
  m.set('body', new Y.XmlFragment());
  m.set('position', position ?? positionBetween(listSections(doc).at(-1)?.position, undefined));
  sectionArray(doc).push([m]);
  return id;
}

/** Adds a section at the end, or right after `afterId`. */
export function addSection(doc: Y.Doc, heading: string, afterId?: string): string {
  let position: number | undefined;
  if (afterId !== undefined) {
    const ordered = listSections(doc);
    const i = ordered.findIndex((s) => s.id === afterId);
    if (i >= 0) position = positionBetween(ordered[i]?.position, ordered[i + 1]?.position);
  }
  let id = '';
  doc.transact(() => {
    id = insertSection(doc, heading, position);
  });
  return id;
}

export function sectionHeading(doc: Y.Doc, id: string): Y.Text | undefined {
  const heading = findById(sectionArray(doc), id)?.get('heading');
  return heading instanceof Y.Text ? heading : undefined;
}

/** The rich-text body Tiptap's Collaboration extension binds to. */
export function sectionBody(doc: Y.Doc, id: string): Y.XmlFragment | undefined {
  const body = findById(sectionArray(doc), id)?.get('body');
  return body instanceof Y.XmlFragment ? body : undefined;
}

export function moveSection(doc: Y.Doc, id: string, toIndex: number): void {
  const section = findById(sectionArray(doc), id);
  if (section) section.set('position', positionForMove(listSections(doc), id, toIndex));
}

export function removeSection(doc: Y.Doc, id: string): void {
  const i = indexById(sectionArray(doc), id);
  if (i >= 0) sectionArray(doc).delete(i, 1);
}

/**
 * Promotes a card into a section as a bullet: appended to the section's last
 * bullet list, or in a new list at its end. Uses Tiptap's node names.
 */
export function promoteCard(doc: Y.Doc, cardId: string, sectionId: string): boolean {
  const text = cardText(doc, cardId)?.toString();
  const body = sectionBody(doc, sectionId);
  if (text === undefined || body === undefined || text.trim() === '') return false;
  doc.transact(() => {
    const item = new Y.XmlElement('listItem');
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(text)]);
    item.insert(0, [paragraph]);
    const last = body.length > 0 ? body.get(body.length - 1) : undefined;
    if (last instanceof Y.XmlElement && last.nodeName === 'bulletList') {
      last.push([item]);
    } else {
      const list = new Y.XmlElement('bulletList');
      list.insert(0, [item]);
      body.push([list]);
    }
  });
  return true;
}

// ---- whole content (export, import, archive) -------------------------------------------

export interface SectionContent {
  heading: string;
  body: Block[];
}

export interface BoardContent {
  meta: BoardMeta;
  sections: Array<SectionContent & { id: string }>;
  cards: CardView[];
  /** Absent in content built before clusters (fixtures, archives): none. */
  clusters?: ClusterView[];
}

/** Everything written on a board, in order, as plain data. */
export function readBoardContent(doc: Y.Doc): BoardContent {
  return {
    meta: readMeta(doc),
    sections: listSections(doc).map((s) => {
      const body = sectionBody(doc, s.id);
      return { id: s.id, heading: s.heading, body: body ? readRichText(body) : [] };
    }),
    cards: listCards(doc),
    clusters: listClusters(doc),
  };
}

const DEFAULT_HEADINGS: ReadonlySet<string> = new Set(Object.values(DEFAULT_SECTION_HEADING));

/**
 * Writes sections at the end of the board, reshaped to what the editor holds (fitToEditor).
 * `replace` first removes every section;
 * `append` first removes only the untouched ones (a default or empty heading over an
 * empty body), which hold no words. Returns the new sections' ids.
 */
export function writeSections(doc: Y.Doc, sections: SectionContent[], mode: 'append' | 'replace'): string[] {
  const ids: string[] = [];
  doc.transact(() => {
    for (const s of listSections(doc)) {
      const body = sectionBody(doc, s.id);
      const untouched = (s.heading.trim() === '' || DEFAULT_HEADINGS.has(s.heading.trim())) && (!body || isBlank(readRichText(body)));
      if (mode === 'replace' || untouched) removeSection(doc, s.id);
    }
    for (const section of sections) {
      const id = insertSection(doc, section.heading);
      const body = sectionBody(doc, id);
      if (body) writeRichText(body, fitToEditor(section.body));
      ids.push(id);
    }
  });
  return ids;
}

/** Replaces a board's whole content (restoring an archive): meta, sections, cards in order. */
export function writeBoardContent(
  doc: Y.Doc,
  content: { meta: BoardMeta; sections: SectionContent[]; cards: Array<Pick<CardView, 'text' | 'author' | 'color' | 'createdAt'>> },
): void {
  doc.transact(() => {
    setMeta(doc, content.meta);
    writeSections(doc, content.sections, 'replace');
    cardArray(doc).delete(0, cardArray(doc).length);
    content.cards.forEach((card, i) => addCard(doc, { ...card, position: i + 1 }));
  });
}

// ---- plain text ----------------------------------------------------------------------

/**
 * Replaces a Y.Text's content with `next` by the smallest single splice (common
 * prefix and suffix kept), so a concurrent edit elsewhere in the string survives.
 */
export function setTextByDiff(text: Y.Text, next: string, origin: unknown = null): void {
  const prev = text.toString();
  if (prev === next) return;
  let start = 0;
  const max = Math.min(prev.length, next.length);
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < max - start &&
    prev.charCodeAt(prev.length - 1 - end) === next.charCodeAt(next.length - 1 - end)
  ) end++;
  // Never split a surrogate pair: widen the splice to whole characters.
  if (start > 0 && isHighSurrogate(prev.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(prev.charCodeAt(prev.length - end))) end--;
  const splice = () => {
    text.delete(start, prev.length - end - start);
    text.insert(start, next.slice(start, next.length - end));
  };
  if (text.doc) text.doc.transact(splice, origin);
  else splice();
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Every word written on the board: card texts and section bodies (for activity figures).
 * Headings are left out: a new board's come from its template, and nobody wrote them.
 * `cards`: the board's `listCards`, when the caller has it already.
 */
export function countWords(doc: Y.Doc, cards: readonly CardView[] = listCards(doc)): number {
  let words = 0;
  const count = (s: string) => (words += s.split(/\s+/).filter(Boolean).length);
  for (const c of cards) count(c.text);
  for (const s of listSections(doc)) {
    const body = sectionBody(doc, s.id);
    if (body) count(xmlPlainText(body));
  }
  return words;
}

/** The text of a rich-text fragment: each block (paragraph, heading…) on its own line. */
export function xmlPlainText(node: Y.XmlFragment | Y.XmlElement): string {
  const lines: string[] = [];
  let line = '';
  const walk = (n: Y.XmlFragment | Y.XmlElement, depth: number) => {
    if (depth > MAX_BODY_DEPTH) return;
    for (const child of n.toArray()) {
      if (child instanceof Y.XmlText) {
        for (const op of child.toDelta() as Array<{ insert?: unknown }>) if (typeof op.insert === 'string') line += op.insert;
      } else if (child instanceof Y.XmlElement) {
        walk(child, depth + 1);
        if (line !== '') lines.push(line);
        line = '';
      }
    }
  };
  walk(node, 1);
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

// ---- footnotes ---------------------------------------------------------------------

export interface FootnoteView {
  sectionId: string;
  content: string;
}

/** Every footnote of the draft, in document order (sections in order, then body order). */
export function listFootnotes(doc: Y.Doc): FootnoteView[] {
  const notes: FootnoteView[] = [];
  const walk = (sectionId: string, n: Y.XmlFragment | Y.XmlElement, depth: number) => {
    if (depth > MAX_BODY_DEPTH) return;
    for (const child of n.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.nodeName === NODE.footnote) notes.push({ sectionId, content: str(child.getAttribute(FOOTNOTE_CONTENT_ATTR)) });
      else walk(sectionId, child, depth + 1);
    }
  };
  for (const s of listSections(doc)) {
    const body = sectionBody(doc, s.id);
    if (body) walk(s.id, body, 1);
  }
  return notes;
}

// ---- versions ------------------------------------------------------------------------

/**
 * Makes `doc` hold what `source` holds (a saved version), as one new change: every
 * client receives it like any other edit, and nothing of the history is rewritten.
 * The trash loses nothing: it keeps what it holds, less the cards the version puts back
 * on the board, plus the version's trashed cards that it lacks.
 */
export function replaceBoardWith(doc: Y.Doc, source: Y.Doc): void {
  const from = boardTypes(source);
  const to = boardTypes(doc);
  const idOf = (m: Y.Map<unknown>) => m.get('id');
  // What a version holds is read like any board: only what fits is copied (the write's shape check does the rest).
  const metaFields: ReadonlySet<string> = new Set(Object.keys(BOARD_SHAPE[META].fields));
  const [cards, sections, trash, clusters] = [maps(from.cards), maps(from.sections), maps(from.trash), maps(from.clusters)];
  doc.transact(() => {
    for (const key of [...to.meta.keys()]) if (!from.meta.has(key)) to.meta.delete(key);
    from.meta.forEach((value, key) => {
      if (metaFields.has(key) && typeof value === 'string') to.meta.set(key, value);
    });
    to.cards.delete(0, to.cards.length);
    to.cards.insert(0, cards.map((m) => m.clone()));
    to.sections.delete(0, to.sections.length);
    to.sections.insert(0, sections.map((m) => m.clone()));
    to.clusters.delete(0, to.clusters.length);
    to.clusters.insert(0, clusters.map((m) => m.clone()));
    const onBoard = new Set(cards.map(idOf));
    for (let i = to.trash.length - 1; i >= 0; i--) {
      const item = to.trash.get(i);
      if (isMap(item) && onBoard.has(idOf(item))) to.trash.delete(i, 1);
    }
    const inTrash = new Set(maps(to.trash).map(idOf));
    to.trash.push(trash.filter((m) => !inTrash.has(idOf(m)) && !onBoard.has(idOf(m))).map((m) => m.clone()));
  });
}
