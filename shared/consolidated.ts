// The one consolidated document of a workshop that every export renders: built on
// the server from the stored boards, plain data only. Imports only types.
import type { CardView, ClusterView, SectionContent } from './board.js';
import type { Language } from './model.js';
import type { PhaseKind } from './session.js';

export interface ConsolidatedGroup {
  id: string;
  /** The group's name, as the facilitator created it. */
  name: string;
  /** The board's own title (the heading of the group in the document); the name when empty. */
  title: string;
  question: string;
  sections: SectionContent[];
  /** The board's idea cards, in board order (the archive keeps them; documents show the annex). */
  cards: CardView[];
  /** The board's clusters (each card names its own); absent when it has none. */
  clusters?: ClusterView[];
}

export interface AnnexCard {
  text: string;
  author: string;
  dots: number;
  voters: number;
}

/** A cluster of cards and the dots it got as one, with its cards in board order. */
export interface AnnexCluster {
  title: string;
  dots: number;
  voters: number;
  cards: Array<Pick<AnnexCard, 'text' | 'author'>>;
}

/** One group's cards, most votes first, and its clusters, most votes first. */
export interface AnnexGroup {
  groupId: string;
  title: string;
  cards: AnnexCard[];
  /** Absent when the board has no clusters (and in archives: the archive keeps cards, not clusters). */
  clusters?: AnnexCluster[];
}

export interface AgendaItem {
  name: string;
  kind: PhaseKind;
  durationSec: number;
}

export interface Consolidated {
  workshop: {
    title: string;
    language: Language;
    /** The workshop's day, YYYY-MM-DD. */
    date: string;
    place: string;
    createdAt: number;
  };
  groups: ConsolidatedGroup[];
  agenda: AgendaItem[];
  annex?: AnnexGroup[];
}

/** A group's heading in the document. */
export const groupTitle = (g: Pick<ConsolidatedGroup, 'title' | 'name'>): string => (g.title.trim() !== '' ? g.title : g.name);
