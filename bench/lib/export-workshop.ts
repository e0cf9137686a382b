// A 50-group workshop as its boards would hold it at the end of the day: each board
// a real Y.Doc with its title and question, sections written from the two real
// group documents in ../shared/fixtures (or, without them, from made-up rich text
// with every kind of block), and twenty idea cards.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { addCard, initBoard, writeSections, type SectionContent } from '../../shared/board.js';
import type { Group, Workshop } from '../../shared/model.js';
import { text as t, type Block, type Inline } from '../../shared/rich-text.js';
import { importMarkdown } from '../../server/import/markdown.js';
import { REPO_ROOT } from './server-process.js';

const FIXTURES_DIR = join(REPO_ROOT, '..', 'shared', 'fixtures');
const FIXTURES = ['grupo-b-cambio-sistemico.md', 'grupo-d-escalamiento.md'];

export interface ExportWorkshop {
  workshop: Workshop;
  boards: Array<{ group: Group; doc: Y.Doc }>;
  /** Where the sections' text came from. */
  source: string;
}

const p = (...content: Inline[]): Block => ({ type: 'paragraph', content });
const cell = (text: string, header = false) => ({ header, colspan: 1, rowspan: 1, align: null, content: [p(t(text, header ? undefined : {}))] });

/** Made-up sections with every block the editor writes, when the fixtures are absent. */
function madeUpSections(g: number): SectionContent[] {
  const sentence = `El grupo ${g} propone fortalecer la articulación territorial con señales claras de financiamiento y liderazgo local. `;
  return [
    { heading: 'Conclusiones', body: [p(t(sentence.repeat(4)), { type: 'footnote', content: 'Según la plenaria.' }), p(t('Con '), t('énfasis', { bold: true }), t(' y '), t('un enlace', { link: 'https://ejemplo.org' }), t('.'))] },
    { heading: 'Propuestas', body: [{ type: 'list', ordered: false, start: 1, items: Array.from({ length: 6 }, (_, i) => [p(t(`Propuesta ${i + 1}: ${sentence}`))]) }] },
    { heading: 'Actores', body: [{ type: 'table', rows: [[cell('Actor', true), cell('Rol', true)], ...Array.from({ length: 5 }, (_, i) => [cell(`Actor ${i + 1}`), cell(sentence)])] }] },
  ];
}

export function buildExportWorkshop(groups: number, cardsPerGroup: number): ExportWorkshop {
  const haveFixtures = FIXTURES.every((f) => existsSync(join(FIXTURES_DIR, f)));
  const imported = haveFixtures ? FIXTURES.map((f) => importMarkdown(readFileSync(join(FIXTURES_DIR, f), 'utf8'), { names: [] })) : [];
  const workshop: Workshop = { id: 'bench', title: 'Encuentro de Innovación Social: 50 grupos', place: 'San José', language: 'es', joinCode: 'BENCH2', createdAt: Date.UTC(2025, 10, 21, 15) };
  const boards = Array.from({ length: groups }, (_, g) => {
    const group: Group = { id: `g${g + 1}`, name: `Grupo ${g + 1}`, question: `¿Qué propone el grupo ${g + 1}?`, position: g };
    const doc = new Y.Doc();
    initBoard(doc, { title: group.name, question: group.question, language: 'es' });
    writeSections(doc, haveFixtures ? imported[g % imported.length]!.sections : madeUpSections(g + 1), 'replace');
    for (let c = 0; c < cardsPerGroup; c++) addCard(doc, { text: `Idea ${c + 1} del grupo ${g + 1}: liderazgo local y compañía`, author: `Persona ${c + 1}` });
    return { group, doc };
  });
  return { workshop, boards, source: haveFixtures ? `the real group documents in ${FIXTURES_DIR}` : 'made-up rich text (../shared/fixtures is absent)' };
}
