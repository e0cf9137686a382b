// Keeps a board to its shape — BOARD_SHAPE (shared/board.ts) for a group's board,
// PLENARY_SHAPE (shared/plenary.ts) for the plenary board, `shapeOf(name)`: after a write is applied, what it added
// that does not fit is removed, in one more change. Only what the write touched is looked
// at — the structs it inserted and the maps it changed — so a keystroke costs a walk up
// from the typed text to its root, never a walk over the board.
//
// Removed: anything in a list that is not a Y.Map; an element (card, section, trashed
// card) whose required field is missing or of the wrong type, or that arrived with a text
// over its limit; a field the shape does not name, or of the wrong type (on an existing
// element, only a key this write set or deleted is judged); in a body, any
// node that is not one of the editor's, or nested too deep; anything under an unknown
// root. Cut back to the limit: a string over it, and the text of an existing element
// that grew past it (the newest characters go).
import * as Y from 'yjs';
import { BOARD_SHAPE, type FieldShape, type MapShape, type RootShape } from '../../shared/board.js';
import { parseBoardDocName, isPlenaryBoard } from '../../shared/doc-name.js';
import { PLENARY_SHAPE } from '../../shared/plenary.js';

type YType = Y.AbstractType<unknown>;
/** A document's roots and what each holds. */
export type DocShape = Readonly<Record<string, RootShape>>;
type BoardRootName = string;

/** The shape of the document named `name`: the plenary board's, or a group board's. */
export function shapeOf(name: string): DocShape {
  const address = parseBoardDocName(name);
  return address && isPlenaryBoard(address.groupId) ? PLENARY_SHAPE : BOARD_SHAPE;
}

/** Where a Y type sits on the board. */
type Place =
  | { at: 'root'; root: BoardRootName | null }
  | { at: 'element'; fields: MapShape; item: Y.Item; root: BoardRootName }
  | { at: 'field'; fields: MapShape; element: Y.Item; shape: FieldShape; root: BoardRootName }
  | { at: 'xml'; nodes: ReadonlySet<string>; maxDepth: number; depth: number; root: BoardRootName }
  /** Inside something that holds no types (a string field, a text): it goes wherever it is found new. */
  | { at: 'stray' };

/** What a check removed, for the log. */
export interface ShapeReport {
  removed: number;
  /** A few of the reasons, as paths people read (`cards[]: a string`). */
  reasons: string[];
}

const MAX_REASONS = 5;

const isPlainText = (v: unknown): v is Y.Text => v instanceof Y.Text && !(v instanceof Y.XmlText);
const isPlainFragment = (v: unknown): v is Y.XmlFragment => v instanceof Y.XmlFragment && !(v instanceof Y.XmlElement);
const describe = (v: unknown): string =>
  v instanceof Y.AbstractType ? v.constructor.name : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
/** What an inserted struct holds, for the log. */
const describeContent = (content: Y.Item['content']): string =>
  content instanceof Y.ContentType ? describe(content.type) : content instanceof Y.ContentDoc ? 'a Y.Doc' : describe(content.getContent()[0]);

/** Whether `value` is what `shape` says; `long` when only its length is over the limit. */
function fits(shape: FieldShape, value: unknown): 'yes' | 'no' | 'long' {
  switch (shape.type) {
    case 'string':
      if (typeof value !== 'string' || (shape.oneOf && !shape.oneOf.includes(value))) return 'no';
      return value.length > shape.max ? 'long' : 'yes';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? 'yes' : 'no';
    case 'boolean':
      return typeof value === 'boolean' ? 'yes' : 'no';
    case 'Y.Text':
      if (!isPlainText(value)) return 'no';
      return value.length > shape.max ? 'long' : 'yes';
    case 'Y.XmlFragment':
      return isPlainFragment(value) ? 'yes' : 'no';
  }
}

/** The shape's roots by type, per doc, from the doc's first check. */
const rootsByDoc = new WeakMap<Y.Doc, { shape: DocShape; byType: Map<YType, BoardRootName | null> }>();

/**
 * The doc's roots, typed and named once. The first check makes every root of the shape its
 * own type, and a typed root keeps its object, so any root not found here later is one the
 * shape does not name, added by a write since: unknown, as `null` says.
 */
function rootsOf(doc: Y.Doc, shape: DocShape): ReadonlyMap<YType, BoardRootName | null> {
  const known = rootsByDoc.get(doc);
  if (known?.shape === shape) return known.byType;
  // The board's roots as their own types (a root first seen in an update is a bare AbstractType).
  for (const [name, root] of Object.entries(shape)) void (root.type === 'Y.Map' ? doc.getMap(name) : doc.getArray(name));
  const byType = new Map<YType, BoardRootName | null>();
  for (const [name, type] of doc.share) byType.set(type as YType, name in shape ? name : null);
  rootsByDoc.set(doc, { shape, byType });
  return byType;
}

/** A shape's fields as entries, made once per shape. */
const fieldEntries = new WeakMap<MapShape, ReadonlyArray<readonly [string, FieldShape]>>();
function entriesOf(fields: MapShape): ReadonlyArray<readonly [string, FieldShape]> {
  let entries = fieldEntries.get(fields);
  if (!entries) fieldEntries.set(fields, (entries = Object.entries(fields)));
  return entries;
}

class ShapeCheck {
  readonly #doc: Y.Doc;
  readonly #shape: DocShape;
  readonly #before: Map<number, number>;
  /** The keys the write set or deleted, by map: Yjs records them for every map older than the write. */
  readonly #changed: Y.Transaction['changed'];
  readonly #roots: ReadonlyMap<YType, BoardRootName | null>;
  readonly #places = new Map<YType, Place>();
  /** Items to delete, and elements and maps to check whole once every struct was seen. */
  readonly #doomed = new Set<Y.Item>();
  readonly #elements = new Map<Y.Item, Extract<Place, { at: 'element' }>>();
  #metaTouched = false;
  readonly report: ShapeReport = { removed: 0, reasons: [] };

  constructor(doc: Y.Doc, tr: Y.Transaction, shape: DocShape) {
    this.#doc = doc;
    this.#before = tr.beforeState;
    this.#changed = tr.changed;
    this.#shape = shape;
    this.#roots = rootsOf(doc, shape);
  }

  #reject(item: Y.Item, why: string): void {
    if (item.deleted || this.#doomed.has(item)) return;
    this.#doomed.add(item);
    if (this.report.reasons.length < MAX_REASONS) this.report.reasons.push(why);
  }

  #isNew(item: Y.Item): boolean {
    return item.id.clock >= (this.#before.get(item.id.client) ?? 0);
  }

  /** The place of `type`, found by walking up (iteratively: a crafted tree may be deep) to a known place. */
  #placeOf(type: YType): Place {
    const chain: YType[] = [];
    let t: YType | null = type;
    while (t && !this.#places.has(t)) {
      chain.push(t);
      t = t._item ? (t._item.parent as YType | null) : null;
    }
    let place: Place = t ? this.#places.get(t)! : { at: 'stray' };
    for (let i = chain.length - 1; i >= 0; i--) {
      place = this.#placeBelow(chain[i]!, t === null && i === chain.length - 1 ? null : place);
      this.#places.set(chain[i]!, place);
    }
    return place;
  }

  /** The place of `type` given its parent's (null: `type` is a root). */
  #placeBelow(type: YType, parent: Place | null): Place {
    const item = type._item;
    if (parent === null || !item) return { at: 'root', root: this.#roots.get(type) ?? null };
    const key = item.parentSub;
    if (parent.at === 'root' && parent.root !== null && key === null) {
      const root = this.#shape[parent.root];
      if (root?.type === 'Y.Array') return { at: 'element', fields: root.of, item, root: parent.root };
    }
    if (parent.at === 'element' && key !== null) {
      const shape = parent.fields[key];
      if (shape) return { at: 'field', fields: parent.fields, element: parent.item, shape, root: parent.root };
    }
    if (parent.at === 'field' && parent.shape.type === 'Y.XmlFragment' && key === null) {
      return { at: 'xml', nodes: new Set(parent.shape.nodes), maxDepth: parent.shape.maxDepth, depth: 1, root: parent.root };
    }
    if (parent.at === 'xml' && key === null) return { ...parent, depth: parent.depth + 1 };
    return { at: 'stray' };
  }

  /** Looks at one struct the write inserted. */
  visit(item: Y.Item): void {
    const parent = item.parent as YType | null;
    if (item.deleted || !parent) return;
    const place = this.#placeOf(parent);
    const key = item.parentSub;
    const content = item.content;
    switch (place.at) {
      case 'root':
        if (place.root === null) return this.#reject(item, 'an unknown root');
        if (this.#shape[place.root]?.type === 'Y.Map') {
          if (key === null) return this.#reject(item, `${place.root}: a list item in a map`);
          this.#metaTouched = true;
          return;
        }
        if (key !== null) return this.#reject(item, `${place.root}: a map key in a list`);
        if (content instanceof Y.ContentType && content.type instanceof Y.Map) {
          this.#elements.set(item, this.#placeOf(content.type as YType) as Extract<Place, { at: 'element' }>);
          return;
        }
        return this.#reject(item, `${place.root}[]: ${describeContent(content)}`);
      case 'element':
        if (key === null) return this.#reject(item, `${place.root}[]: a list item in a map`);
        this.#elements.set(place.item, place);
        return;
      case 'field':
        if (place.shape.type === 'Y.Text' && key === null && (content instanceof Y.ContentString || content instanceof Y.ContentFormat)) {
          this.#elements.set(place.element, { at: 'element', fields: place.fields, item: place.element, root: place.root });
          return;
        }
        if (place.shape.type === 'Y.XmlFragment' && key === null) return this.#visitXml(item, { ...this.#xmlOf(place), depth: 1 });
        return this.#reject(item, `${place.root}[]: ${describeContent(content)} inside a field`);
      case 'xml':
        return this.#visitXml(item, { ...place, depth: place.depth + 1 });
      case 'stray':
        return this.#reject(item, 'something nested where nothing nests');
    }
  }

  #xmlOf(place: Extract<Place, { at: 'field' }>): Extract<Place, { at: 'xml' }> {
    const shape = place.shape as Extract<FieldShape, { type: 'Y.XmlFragment' }>;
    return { at: 'xml', nodes: new Set(shape.nodes), maxDepth: shape.maxDepth, depth: 0, root: place.root };
  }

  /** A struct inside a body, at `at.depth` (its parent is one level up). */
  #visitXml(item: Y.Item, at: Extract<Place, { at: 'xml' }>): void {
    const parent = item.parent;
    const content = item.content;
    if (item.parentSub !== null) {
      // An attribute: only on an element, and a plain value.
      if (parent instanceof Y.XmlElement && content instanceof Y.ContentAny) return;
      return this.#reject(item, `${at.root}[].body: a bad attribute`);
    }
    if (parent instanceof Y.XmlText) {
      if (content instanceof Y.ContentString || content instanceof Y.ContentFormat) return;
      return this.#reject(item, `${at.root}[].body: ${describeContent(content)} inside text`);
    }
    if (!(content instanceof Y.ContentType)) return this.#reject(item, `${at.root}[].body: ${describeContent(content)}`);
    const node = content.type;
    if (at.depth > at.maxDepth) return this.#reject(item, `${at.root}[].body: nested deeper than ${at.maxDepth}`);
    if (node instanceof Y.XmlText) return;
    if (node instanceof Y.XmlElement && at.nodes.has(node.nodeName)) return;
    this.#reject(item, `${at.root}[].body: ${node instanceof Y.XmlElement ? `<${node.nodeName.slice(0, 40)}>` : describe(node)}`);
  }

  /** A map the write changed (a key set or deleted): checked afterwards. */
  changedMap(type: YType): void {
    const place = this.#placeOf(type);
    if (place.at === 'element') this.#elements.set(place.item, place);
    else if (place.at === 'root' && place.root !== null && this.#shape[place.root]?.type === 'Y.Map') this.#metaTouched = true;
  }

  /** Removes what does not fit, in one transaction with `origin`. */
  apply(origin: unknown): ShapeReport {
    const fixes: Array<(tr: Y.Transaction) => void> = [];
    for (const [item, place] of this.#elements) if (!this.#doomed.has(item) && !item.deleted) this.#checkElement(item, place, fixes);
    if (this.#metaTouched) this.#checkMeta(fixes);
    if (this.#doomed.size === 0 && fixes.length === 0) return this.report;
    let removed = fixes.length;
    this.#doc.transact((tr) => {
      for (const item of this.#doomed) {
        if (item.deleted) continue; // inside something removed already
        item.delete(tr);
        removed++;
      }
      for (const fix of fixes) fix(tr);
    }, origin);
    this.report.removed = removed;
    return this.report;
  }

  /**
   * A new element must fit whole. An existing one is judged on what this write did to it:
   * the keys it set or deleted (`transaction.changed`), and a text it grew past the limit.
   * What the element held before stays as it was, so a card written under an earlier shape
   * (a field a later release makes required, or types otherwise) is not dropped at the next
   * keystroke.
   */
  #checkElement(item: Y.Item, place: Extract<Place, { at: 'element' }>, fixes: Array<(tr: Y.Transaction) => void>): void {
    const type = (item.content as Y.ContentType).type;
    const map = type as Y.Map<unknown>;
    const label = `${place.root}[]`;
    const isNew = this.#isNew(item);
    const touched = isNew ? null : this.#changed.get(type);
    const judged = (key: string) => isNew || touched?.has(key) === true;
    for (const [key, shape] of entriesOf(place.fields)) {
      const value = map.get(key);
      const fit = value === undefined ? (shape.required ? 'no' : 'yes') : fits(shape, value);
      if (fit === 'yes' || (fit === 'no' && !judged(key))) continue;
      // A new element must fit whole (a 1 MB card is not cut to a 2,000-character one); an existing one loses only the excess.
      if (shape.required && (fit === 'no' || isNew)) {
        return this.#reject(item, `${label}: ${key} ${fit === 'long' ? 'over its limit' : value === undefined ? 'missing' : `is ${describe(value)}`}`);
      }
      this.#fixField(map, key, shape, value, fit, label, fixes);
    }
    // The map's own table, read directly: `keys()` builds two lib0 iterators a call, on every keystroke.
    for (const [key, entry] of map._map) if (!entry.deleted && !(key in place.fields) && judged(key)) this.#fixField(map, key, null, map.get(key), 'no', label, fixes);
  }

  #checkMeta(fixes: Array<(tr: Y.Transaction) => void>): void {
    for (const [name, root] of Object.entries(this.#shape)) {
      if (root.type !== 'Y.Map') continue;
      const map = this.#doc.getMap<unknown>(name);
      const fields: MapShape = root.fields;
      for (const key of [...map.keys()]) {
        const shape = fields[key] ?? null;
        const value = map.get(key);
        const fit = shape ? fits(shape, value) : 'no';
        if (fit !== 'yes') this.#fixField(map, key, shape, value, fit, name, fixes);
      }
    }
  }

  /** Cuts a value over its limit back to it; removes a key that should not be there or holds the wrong type. */
  #fixField(map: Y.Map<unknown>, key: string, shape: FieldShape | null, value: unknown, fit: 'no' | 'long', label: string, fixes: Array<(tr: Y.Transaction) => void>): void {
    if (this.report.reasons.length < MAX_REASONS) {
      this.report.reasons.push(`${label}.${key.slice(0, 40)}: ${fit === 'long' ? 'over its limit' : shape ? `is ${describe(value)}` : 'not a field'}`);
    }
    if (fit === 'long' && shape?.type === 'string' && typeof value === 'string') fixes.push(() => map.set(key, value.slice(0, shape.max)));
    else if (fit === 'long' && shape?.type === 'Y.Text' && isPlainText(value)) fixes.push(() => value.delete(shape.max, value.length - shape.max));
    else fixes.push(() => map.delete(key));
  }
}

/**
 * Checks what the transactions of one write added or changed against `shape` and
 * removes what does not fit, as a change of its own with `origin`. Returns what it did.
 */
export function conformToShape(doc: Y.Doc, transactions: readonly Y.Transaction[], origin: unknown, shape: DocShape = BOARD_SHAPE): ShapeReport {
  if (transactions.length === 1) return checkTransaction(doc, transactions[0]!, origin, shape); // a peer's update: one
  const reports = transactions.map((tr) => checkTransaction(doc, tr, origin, shape));
  return {
    removed: reports.reduce((n, r) => n + r.removed, 0),
    reasons: reports.flatMap((r) => r.reasons).slice(0, MAX_REASONS),
  };
}

/** Checks one transaction's insertions and changed maps, then removes what does not fit. */
function checkTransaction(doc: Y.Doc, tr: Y.Transaction, origin: unknown, shape: DocShape): ShapeReport {
  const check = new ShapeCheck(doc, tr, shape);
  for (const [client, after] of tr.afterState) {
    const before = tr.beforeState.get(client) ?? 0;
    const structs = doc.store.clients.get(client);
    if (after <= before || !structs) continue;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const struct = structs[i]!;
      if (struct.id.clock >= after) break;
      if (struct instanceof Y.Item) check.visit(struct);
    }
  }
  for (const [type, keys] of tr.changed) if (type instanceof Y.Map && keys.size > 0) check.changedMap(type as YType);
  return check.apply(origin);
}
