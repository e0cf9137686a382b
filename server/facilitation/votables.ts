// What gets dots on a board: each card, and each cluster as one (`cluster:<id>`), with
// the text every screen shows — a cluster's title, and its cards' texts. On the plenary
// board, each synthesis item.
import type * as Y from 'yjs';
import { listBoardItems } from '../../shared/board.js';
import { isPlenaryBoard } from '../../shared/doc-name.js';
import { listItems } from '../../shared/plenary.js';
import { clusterKey } from '../../shared/voting.js';

export interface Votable {
  text: string;
  /** A cluster's cards' texts, in board order. */
  cards?: string[];
}

/** Everything on the board (of group `groupId`, or the plenary) that may get dots, by its ballot id. */
export function readVotables(doc: Y.Doc, groupId: string): Map<string, Votable> {
  if (isPlenaryBoard(groupId)) return new Map(listItems(doc).map((i) => [i.id, { text: i.text }]));
  const out = new Map<string, Votable>();
  for (const item of listBoardItems(doc)) {
    if (item.kind === 'card') {
      out.set(item.card.id, { text: item.card.text });
      continue;
    }
    out.set(clusterKey(item.cluster.id), { text: item.cluster.title, cards: item.cards.map((c) => c.text) });
    for (const card of item.cards) out.set(card.id, { text: card.text });
  }
  return out;
}

/**
 * How much of a card's text (a cluster's title) the live ranking carries, and of each of a
 * cluster's cards: a ranking row shows the start of a card, and a card being written while
 * it gets dots then changes the preview only while the writing is within it — typing at
 * the end of a long card sends its text to the room again no more. The frozen ranking at
 * the close holds the whole texts (`closeRound`).
 */
export const LIVE_PREVIEW = { text: 280, card: 120 } as const;

/** `text` cut to `max` characters (code points, so no character is split), with an ellipsis when cut. */
export function previewText(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** What the live ranking shows of a card or cluster (see LIVE_PREVIEW). */
export const previewOf = (votable: Votable | null | undefined): Votable | null | undefined =>
  votable && {
    text: previewText(votable.text, LIVE_PREVIEW.text),
    ...(votable.cards ? { cards: votable.cards.map((text) => previewText(text, LIVE_PREVIEW.card)) } : {}),
  };

/** A ranking entry with what the server knows of its card or cluster. */
export const withVotable = <T extends object>(entry: T, votable: Votable | null | undefined): T & Partial<Votable> =>
  votable ? { ...entry, text: votable.text, ...(votable.cards ? { cards: votable.cards } : {}) } : entry;
