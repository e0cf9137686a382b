// A 50-group workshop as its boards would hold it at the end of the day: each board
// a real Y.Doc with its title and question, sections written from the two real
// group documents in tests/fixtures, and twenty idea cards.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { addCard, initBoard, writeSections } from '../../shared/board.js';
import type { Group, Workshop } from '../../shared/model.js';
import { importMarkdown } from '../../server/import/markdown.js';
import { REPO_ROOT } from './server-process.js';

const FIXTURES_DIR = join(REPO_ROOT, 'tests', 'fixtures');
const FIXTURES = ['grupo-b-cambio-sistemico.md', 'grupo-d-escalamiento.md'];

export interface ExportWorkshop {
  workshop: Workshop;
  boards: Array<{ group: Group; doc: Y.Doc }>;
  /** Where the sections' text came from. */
  source: string;
}

export function buildExportWorkshop(groups: number, cardsPerGroup: number): ExportWorkshop {
  const imported = FIXTURES.map((f) => importMarkdown(readFileSync(join(FIXTURES_DIR, f), 'utf8'), { names: [] }));
  const workshop: Workshop = { id: 'bench', title: 'Encuentro de Innovación Social: 50 grupos', place: 'San José', language: 'es', joinCode: 'BENCH2', createdAt: Date.UTC(2025, 10, 21, 15) };
  const boards = Array.from({ length: groups }, (_, g) => {
    const group: Group = { id: `g${g + 1}`, name: `Grupo ${g + 1}`, question: `¿Qué propone el grupo ${g + 1}?`, position: g };
    const doc = new Y.Doc();
    initBoard(doc, { title: group.name, question: group.question, language: 'es' });
    writeSections(doc, imported[g % imported.length]!.sections, 'replace');
    for (let c = 0; c < cardsPerGroup; c++) addCard(doc, { text: `Idea ${c + 1} del grupo ${g + 1}: liderazgo local y compañía`, author: `Persona ${c + 1}` });
    return { group, doc };
  });
  return { workshop, boards, source: 'the real group documents in tests/fixtures' };
}
