// How much of a board one incoming update would remove, measured before it is applied
// from its delete set alone: the cards and sections it deletes and the characters of
// text that go with them. A keystroke's update deletes nothing or one character: this
// looks up the few structs its delete set names (a binary search each) and never reads
// the rest of the board. Only an update that removes many characters at once makes the
// board's whole text length worth counting (`isLargeRemoval`).
import * as Y from 'yjs';
import { boardTypes } from '../../shared/board.js';
import type { DeleteSet } from './update-check.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types are invariant in their event type
type YType = Y.AbstractType<any>;

export interface Removal {
  cards: number;
  sections: number;
  /** Characters of text (card texts, headings, section bodies) removed. */
  chars: number;
}

/** When a removal is "much of a board": a version of the board is kept right before it. */
export const LARGE_REMOVAL = {
  /** More cards than this at once. */
  cards: 3,
  /** Or this share of the board's text at once… */
  share: 1 / 5,
  /** …counting only removals of at least this many characters (a few words): a board of ten words is not wiped by deleting two. */
  minChars: 40,
} as const;

/** What applying a delete set to `doc` would remove: items already deleted, or unknown to `doc`, count for nothing. */
export function measureRemoval(doc: Y.Doc, deletes: DeleteSet): Removal {
  const removal: Removal = { cards: 0, sections: 0, chars: 0 };
  if (deletes.clients.size === 0) return removal;
  const { cards, sections } = boardTypes(doc);
  const types = new Set<YType>();
  const typeItems: Y.Item[] = [];
  const strings: Array<{ item: Y.Item; chars: number }> = [];
  for (const [client, ranges] of deletes.clients) {
    const structs = doc.store.clients.get(client);
    const last = structs?.at(-1);
    if (!structs || !last) continue;
    const known = last.id.clock + last.length;
    for (const { clock, len } of ranges) {
      if (len <= 0 || clock >= known) continue;
      const end = clock + len;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i];
        if (!struct || struct.id.clock >= end) break;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        if (struct.content instanceof Y.ContentType) {
          types.add(struct.content.type);
          typeItems.push(struct);
        } else if (struct.content instanceof Y.ContentString) {
          const from = Math.max(clock, struct.id.clock);
          const to = Math.min(end, struct.id.clock + struct.length);
          strings.push({ item: struct, chars: to - from });
        }
      }
    }
  }
  // What a removed type holds is counted once, with the outermost removed type.
  for (const item of typeItems) {
    if (insideAny(item, types)) continue;
    if (item.parent === cards) removal.cards++;
    else if (item.parent === sections) removal.sections++;
    removal.chars += textLength((item.content as Y.ContentType).type);
  }
  for (const { item, chars } of strings) if (!insideAny(item, types)) removal.chars += chars;
  return removal;
}

/** Whether `removal` is much of the board: `boardChars` is asked only for a removal of many characters. */
export function isLargeRemoval(removal: Removal, boardChars: () => number): boolean {
  if (removal.cards > LARGE_REMOVAL.cards) return true;
  if (removal.chars < LARGE_REMOVAL.minChars) return false;
  return removal.chars >= boardChars() * LARGE_REMOVAL.share;
}

/** Characters of text on the board: cards and sections (not the trash, whose cards are already off the board). */
export function boardTextLength(doc: Y.Doc): number {
  const { cards, sections } = boardTypes(doc);
  return textLength(cards) + textLength(sections);
}

/** Whether one of `item`'s ancestors is among `types`. */
function insideAny(item: Y.Item, types: ReadonlySet<YType>): boolean {
  let parent = item.parent as YType | null;
  while (parent) {
    if (types.has(parent)) return true;
    parent = parent._item ? (parent._item.parent as YType) : null;
  }
  return false;
}

/** Characters of text a type holds, at any depth (walked with a stack: no recursion to overflow). */
function textLength(root: YType): number {
  let chars = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const type = stack.pop();
    if (type instanceof Y.Text) chars += type.length; // Y.XmlText too
    else if (type instanceof Y.Map) type.forEach((value: unknown) => stack.push(value));
    else if (type instanceof Y.Array || type instanceof Y.XmlFragment) for (const child of type.toArray() as unknown[]) stack.push(child);
  }
  return chars;
}
