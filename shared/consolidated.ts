// The one consolidated document of a workshop that every export renders: built on
// the server from the stored boards, plain data only. Imports only types.
import type { CardView, ClusterView, SectionContent } from './board.js';
import type { Language } from './model.js';
import type { PhaseKind } from './session.js';

export interface ConsolidatedGroup {
  id: string;
  /** The group's name, as the facilitator created it. */
  name: string;
  /** The board's own title (an imported document's title, say): a line under the group's name when it differs. */
  title: string;
  /** The YAML front matter of the document imported into the board, as written (absent or '' when none). */
  frontMatter?: string;
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

/** A recommendation of the plenary synthesis: its text, the dots the room gave it, and the groups it came from. */
export interface SynthesisItem {
  text: string;
  dots: number;
  voters: number;
  /** Its source groups, in workshop order, each once. */
  groups: Array<{ id: string; name: string }>;
}

/** The plenary board (relatoría general): its sections, then its items in ranked order. */
export interface ConsolidatedSynthesis {
  title: string;
  sections: SectionContent[];
  items: SynthesisItem[];
}

/** Which parts the export holds: the synthesis only, the synthesis and the groups' chapters, or the chapters only. */
export const SYNTHESIS_MODES = ['only', 'with', 'none'] as const;
export type SynthesisMode = (typeof SYNTHESIS_MODES)[number];

export interface Consolidated {
  workshop: {
    title: string;
    language: Language;
    /** The workshop's day, YYYY-MM-DD. */
    date: string;
    place: string;
    createdAt: number;
  };
  /** The plenary synthesis, first in every document; absent when the plenary board is empty or not asked for. */
  synthesis?: ConsolidatedSynthesis;
  groups: ConsolidatedGroup[];
  agenda: AgendaItem[];
  annex?: AnnexGroup[];
}

/** A group's heading in the document: the name the facilitator gave it (the board's title when it has none). */
export const groupTitle = (g: Pick<ConsolidatedGroup, 'title' | 'name'>): string => (g.name.trim() !== '' ? g.name : g.title);

const fold = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase();

/** The board's own title, shown under the group's name, when it says something else ('' when not). */
export const groupSubtitle = (g: Pick<ConsolidatedGroup, 'title' | 'name'>): string =>
  g.title.trim() !== '' && g.name.trim() !== '' && fold(g.title) !== fold(g.name) ? g.title.trim() : '';
