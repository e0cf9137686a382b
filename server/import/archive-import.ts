// A validated archive → a new workshop: new ids, the same title, day, groups, agenda,
// and every board written back through the write guard (stored like any other change).
// Not a way around the guard: the boards are written as the new workshop's facilitator
// — the importer, who alone receives its link — through the same check as every other
// write, and a workshop this new has no lock and no other member yet.
import { addCard, writeBoardContent } from '../../shared/board.js';
import type { CreateWorkshopResponse } from '../../shared/model.js';
import type { Template } from '../../shared/templates.js';
import type { Principal } from '../auth/principal.js';
import type { BoardWriter } from '../docsync/board-writer.js';
import type { Archive } from '../export/json-archive.js';
import type { WorkshopService } from '../workshops/workshop-service.js';

/** Cards written to a board in one change (see below). */
const CARDS_PER_WRITE = 200;

export interface ArchiveImportDeps {
  workshops: WorkshopService;
  writer: BoardWriter;
}

export async function importArchive(deps: ArchiveImportDeps, archive: Archive): Promise<CreateWorkshopResponse> {
  const w = archive.workshop;
  const groups = archive.groups.map((g) => ({ name: g.name, question: g.question, sections: [] }));
  const template: Template | null =
    archive.agenda.length > 0
      ? { id: 'archive', name: w.title, language: w.language, title: w.title, groups, agenda: archive.agenda, builtIn: false }
      : null;
  const created = await deps.workshops.create({ title: w.title, place: w.place, language: w.language, groups, createdAt: w.createdAt }, template);
  const facilitator: Principal = { role: 'facilitator', workshopId: created.id, groupId: null, participantId: null, name: '' };
  for (const [i, group] of created.groups.entries()) {
    const source = archive.groups[i];
    if (!source) continue;
    const board = { workshopId: created.id, groupId: group.id };
    const { cards } = source.board;
    await deps.writer.change(facilitator, board, (doc) =>
      writeBoardContent(doc, {
        meta: { title: source.board.title, question: source.question },
        sections: source.board.sections,
        cards: cards.slice(0, CARDS_PER_WRITE),
      }),
    );
    // The rest of the cards a batch at a time: each write is encoded, stored and relayed on
    // the event loop, and a few megabytes of cards in one would hold it for a long moment.
    for (let from = CARDS_PER_WRITE; from < cards.length; from += CARDS_PER_WRITE) {
      await deps.writer.change(facilitator, board, (doc) => {
        cards.slice(from, from + CARDS_PER_WRITE).forEach((card, i) => addCard(doc, { ...card, position: from + i + 1 }));
      });
    }
  }
  return created;
}
