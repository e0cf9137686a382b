// Consolidated → the JSON archive of a workshop: everything needed to make it again
// (POST /api/workshops/import). Versioned; `server/import/archive.ts` reads it back.
import type { CardColor } from '../../shared/board.js';
import type { AgendaItem, AnnexGroup, Consolidated } from '../../shared/consolidated.js';
import type { Language } from '../../shared/model.js';
import type { Block } from '../../shared/rich-text.js';

export const ARCHIVE_FORMAT = 'relatoria-archive';
export const ARCHIVE_VERSION = 1;

export interface ArchiveCard {
  id: string;
  text: string;
  author: string;
  color: CardColor;
  createdAt: number;
}

export interface ArchiveGroup {
  id: string;
  name: string;
  question: string;
  board: {
    title: string;
    /** The YAML front matter of the document imported into the board, as written (absent when none). */
    frontMatter?: string;
    sections: Array<{ heading: string; body: Block[] }>;
    cards: ArchiveCard[];
  };
}

export interface Archive {
  format: typeof ARCHIVE_FORMAT;
  version: typeof ARCHIVE_VERSION;
  workshop: { title: string; language: Language; date: string; place: string; createdAt: number };
  agenda: AgendaItem[];
  groups: ArchiveGroup[];
  annex?: AnnexGroup[];
}

export function toArchive(model: Consolidated): Archive {
  return {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    workshop: { ...model.workshop },
    agenda: model.agenda.map((a) => ({ ...a })),
    groups: model.groups.map((g) => ({
      id: g.id,
      name: g.name,
      question: g.question,
      board: {
        title: g.title,
        ...(g.frontMatter ? { frontMatter: g.frontMatter } : {}),
        sections: g.sections.map((s) => ({ heading: s.heading, body: s.body })),
        cards: g.cards.map(({ id, text, author, color, createdAt }) => ({ id, text, author, color, createdAt })),
      },
    })),
    // Archive version 1 keeps each group's ranked cards; clusters are not part of it.
    ...(model.annex ? { annex: model.annex.map(({ groupId, title, cards }) => ({ groupId, title, cards })) } : {}),
  };
}

export const renderArchive = (model: Consolidated): string => `${JSON.stringify(toArchive(model), null, 2)}\n`;
