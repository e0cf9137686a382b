// A validated archive → a new workshop: new ids, the same title, day, groups, agenda,
// and every board written back through the registry (stored like any other change).
import { writeBoardContent } from '../../shared/board.js';
import { boardDocName } from '../../shared/doc-name.js';
import type { CreateWorkshopResponse } from '../../shared/model.js';
import type { Template } from '../../shared/templates.js';
import type { BoardRegistry } from '../docsync/registry.js';
import type { Archive } from '../export/json-archive.js';
import type { WorkshopService } from '../workshops/workshop-service.js';

export interface ArchiveImportDeps {
  workshops: WorkshopService;
  registry: BoardRegistry;
}

export async function importArchive(deps: ArchiveImportDeps, archive: Archive): Promise<CreateWorkshopResponse> {
  const w = archive.workshop;
  const groups = archive.groups.map((g) => ({ name: g.name, question: g.question, sections: [] }));
  const template: Template | null =
    archive.agenda.length > 0
      ? { id: 'archive', name: w.title, language: w.language, title: w.title, groups, agenda: archive.agenda, builtIn: false }
      : null;
  const created = await deps.workshops.create({ title: w.title, place: w.place, language: w.language, groups, createdAt: w.createdAt }, template);
  for (const [i, group] of created.groups.entries()) {
    const source = archive.groups[i];
    if (!source) continue;
    const board = await deps.registry.open(boardDocName({ workshopId: created.id, groupId: group.id }));
    await board.change((doc) =>
      writeBoardContent(doc, {
        meta: { title: source.board.title, question: source.question },
        sections: source.board.sections,
        cards: source.board.cards,
      }),
    );
  }
  return created;
}
