// Anonymous ideas: while the facilitator has anonymity on, no card on a board carries an
// author. After a write is applied, a card (or trashed card) that the write gave a
// non-empty author — a new one, or an author set on an existing one — has it blanked, in
// one more change. Only what the write touched is looked at: a keystroke in a card's text
// changes neither the card lists nor an author, and costs nothing here.
// The board then stores and relays the write and the blanking as one update encoded from
// its own doc (see Board), in which the author's characters are already gone: the name
// never reaches the store or another peer.
import * as Y from 'yjs';
import { boardTypes } from '../../shared/board.js';

const AUTHOR = 'author';

/** Blanks the authors the transactions wrote on cards and trashed cards; returns how many. */
export function blankAuthors(doc: Y.Doc, transactions: readonly Y.Transaction[], origin: unknown): number {
  const { cards, trash } = boardTypes(doc);
  const lists: ReadonlySet<unknown> = new Set<unknown>([cards, trash]);
  const suspects = new Set<Y.Map<unknown>>();
  for (const tr of transactions) {
    for (const [type, keys] of tr.changed) {
      if (lists.has(type)) {
        // Cards were added (or removed): a new card's own keys are not in `changed`, so look at each.
        for (const item of (type as Y.Array<unknown>).toArray()) if (item instanceof Y.Map) suspects.add(item);
      } else if (type instanceof Y.Map && keys.has(AUTHOR) && lists.has(type.parent)) {
        suspects.add(type);
      }
    }
  }
  const named = [...suspects].filter((m) => {
    const author = m.get(AUTHOR);
    return author !== undefined && author !== '';
  });
  if (named.length === 0) return 0;
  doc.transact(() => {
    for (const m of named) m.set(AUTHOR, '');
  }, origin);
  return named.length;
}
