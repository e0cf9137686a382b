// Anonymous ideas: while the facilitator has anonymity on, no card written then carries an
// author. After a write is applied, a card that the write gave a non-empty author — a new
// one, or an author set on an existing one (or on a trashed card) — has it blanked, in one
// more change. Only what the write touched is looked at: a keystroke in a card's text
// changes neither the card lists nor an author, and costs nothing here.
// The board then stores and relays the write and the blanking as one update encoded from
// its own doc (see Board), in which the author's characters are already gone: the name
// never reaches the store or another peer.
import * as Y from 'yjs';
import { boardTypes } from '../../shared/board.js';

const AUTHOR = 'author';

/**
 * Blanks the authors the transactions wrote: on cards they added (a stock client's, or one
 * put back from the trash), and on any card or trashed card whose author they set. Cards
 * that were there before keep theirs: anonymity covers what is written while it is on.
 * Returns how many were blanked.
 */
export function blankAuthors(doc: Y.Doc, transactions: readonly Y.Transaction[], origin: unknown): number {
  const { cards, trash } = boardTypes(doc);
  const lists: ReadonlySet<unknown> = new Set<unknown>([cards, trash]);
  const before = transactions[0]?.beforeState ?? new Map<number, number>();
  const isNew = (m: Y.Map<unknown>) => m._item !== null && m._item.id.clock >= (before.get(m._item.id.client) ?? 0);
  const suspects = new Set<Y.Map<unknown>>();
  for (const tr of transactions) {
    for (const [type, keys] of tr.changed) {
      if (type === cards) {
        // Cards were added (or removed): a new card's own keys are not in `changed`, so find the new ones.
        for (const item of cards.toArray()) if (item instanceof Y.Map && isNew(item)) suspects.add(item);
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
