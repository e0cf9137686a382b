// The models the export tests render: the two real documents of tests/fixtures,
// imported as the boards of one workshop, and a board that uses every kind of block
// and mark. Golden files live in tests/golden; UPDATE_GOLDEN=1 rewrites them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { BoardContent } from '../../shared/board.js';
import type { Consolidated } from '../../shared/consolidated.js';
import type { Group, Workshop } from '../../shared/model.js';
import type { PlenarySource } from '../../shared/plenary.js';
import { fitToEditor, text as t, type Block, type Inline } from '../../shared/rich-text.js';
import { consolidate } from '../../server/export/consolidate.js';
import { importMarkdown } from '../../server/import/markdown.js';
import { fixture } from './fixtures.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const GOLDEN_DIR = join(root, 'tests', 'golden');

export { fixture };

export const FIXTURES = [
  { file: 'grupo-b-cambio-sistemico.md', id: 'grupo-b', name: 'Grupo B: Cambio Sistémico' },
  { file: 'grupo-d-escalamiento.md', id: 'grupo-d', name: 'Grupo D: Escalamiento' },
] as const;

export const WORKSHOP: Workshop = {
  id: 'taller',
  title: 'Taller de intercambio: sistemas de mercado y escalamiento',
  place: '',
  language: 'es',
  joinCode: 'ABCDEF',
  createdAt: Date.UTC(2025, 10, 21, 15, 0, 0),
};

export function boardFromMarkdown(source: string, name: string): BoardContent {
  const imported = importMarkdown(source, { names: [name] });
  return {
    meta: { title: imported.title ?? name, question: imported.question ?? '' },
    sections: imported.sections.map((s, i) => ({ ...s, id: `s${i}` })),
    cards: [],
  };
}

const p = (...content: Inline[]): Block => ({ type: 'paragraph', content });

/** Every block and mark the editor can write, with Spanish text. */
export const FEATURE_BLOCKS: Block[] = [
  p(t('Texto con '), t('negrita', { bold: true }), t(', '), t('cursiva', { italic: true }), t(', '), t('tachado', { strike: true }), t(', '), t('subrayado', { underline: true }), t(', '), t('código', { code: true }), t(' y un '), t('enlace a la guía', { link: 'https://ejemplo.org/guía?x=1&y=2' }), t('.'), { type: 'footnote', content: 'Nota con acentos: ¿qué pasó? ¡Éxito! ñandú.' }),
  { type: 'heading', level: 2, content: [t('Subtítulo del cuerpo')] },
  p(t('Primera línea'), { type: 'hardBreak' }, t('segunda línea tras un salto.')),
  { type: 'list', ordered: true, start: 3, items: [[p(t('tercero'))], [p(t('cuarto')), { type: 'list', ordered: false, start: 1, items: [[p(t('viñeta anidada'))], [p(t('otra'), { type: 'footnote', content: 'Segunda nota.' })]] }]] },
  { type: 'quote', content: [p(t('Una cita de un participante.'))] },
  { type: 'code', language: 'text', text: 'línea 1\n  línea 2 con *asteriscos*' },
  { type: 'rule' },
  {
    type: 'table',
    rows: [
      [
        { header: true, colspan: 1, rowspan: 1, align: null, content: [p(t('Actor'))] },
        { header: true, colspan: 1, rowspan: 1, align: 'right', content: [p(t('Número'))] },
      ],
      [
        { header: false, colspan: 1, rowspan: 1, align: null, content: [p(t('Sector público', { bold: true }))] },
        { header: false, colspan: 1, rowspan: 1, align: null, content: [p(t('3'))] },
      ],
      [
        { header: false, colspan: 1, rowspan: 1, align: null, content: [p(t('Sector privado | gremios'))] },
        { header: false, colspan: 1, rowspan: 1, align: null, content: [p(t('12'))] },
      ],
    ],
  },
  p(t('Caracteres especiales: * _ # [corchetes] <etiqueta> & 100 % — “comillas” «latinas» ¿¡ ÁÉÍÓÚÜÑ áéíóúüñ.')),
];

/** The two fixture documents as the boards of two groups, in FIXTURES order. */
export function fixtureBoards(): Array<{ group: Group; board: BoardContent }> {
  return FIXTURES.map((f, position) => ({
    group: { id: f.id, name: f.name, question: '', position },
    board: boardFromMarkdown(fixture(f.file), f.name),
  }));
}

/** A plenary item's source: a card of the group `groupId`. */
export const plenarySource = (groupId: string): PlenarySource => ({ groupId, cardId: 'c', authors: [], pulledText: '', pulledAt: 1 });

export function fixtureModel(options: { features?: boolean; annex?: boolean } = {}): Consolidated {
  const boards = fixtureBoards();
  if (options.features) {
    boards.push({
      group: { id: 'grupo-f', name: 'Grupo F: Formatos', question: '¿Qué formatos usamos?', position: boards.length },
      board: {
        meta: { title: 'Grupo F: Formatos', question: '¿Qué formatos usamos?' },
        sections: [{ id: 'f1', heading: 'Todo lo que el editor escribe', body: FEATURE_BLOCKS }],
        cards: [
          { id: 'c1', text: 'Fortalecer espacios existentes', author: 'Ana', color: 'yellow', position: 1, createdAt: WORKSHOP.createdAt },
          { id: 'c2', text: 'Liderazgo local', author: 'Íñigo', color: 'blue', position: 2, createdAt: WORKSHOP.createdAt },
        ],
      },
    });
  }
  return consolidate(WORKSHOP, boards, {
    annex: options.annex ?? false,
    votes: [{ groupId: 'grupo-f', cardId: 'c2', dots: 5, voters: 3 }],
  });
}

/** Compares with tests/golden/<name>, or writes it when UPDATE_GOLDEN=1. */
export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.CI === 'true' && !existsSync(file)) throw new Error(`golden file ${name} is missing`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** The words of a text, in order: letters and digits, footnote labels and superscripts left out. */
export function words(s: string): string[] {
  return s.replace(/\[\^\d+\]:?/g, ' ').replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹]/g, ' ').match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A workshop of `count` groups, cycling through the fixtures and the feature board. */
export function bigModel(count: number): Consolidated {
  const model = fixtureModel({ features: true });
  const groups = Array.from({ length: count }, (_, i) => ({ ...(model.groups[i % model.groups.length] as Consolidated['groups'][number]), id: `g${i}` }));
  return { ...model, groups };
}

/** Issue 10's material: a strategy document (front matter, diagrams, KPI blocks) and a slide deck's text (tab tables), as boards hold them. */
export const FIDELITY = [
  { file: 'estrategia-analytics.md', id: 'grupo-e', name: 'Grupo E: Analytics' },
  { file: 'presentacion-red-pip.txt', id: 'grupo-pip', name: 'Red de proyectos PIP' },
] as const;

export function fidelityModel(): Consolidated {
  const boards = FIDELITY.map((f, position) => {
    const imported = importMarkdown(fixture(f.file), { names: [f.name] });
    const board: BoardContent = {
      meta: { title: imported.title ?? '', question: '', ...(imported.frontMatter ? { frontMatter: imported.frontMatter } : {}) },
      sections: imported.sections.map((s, i) => ({ heading: s.heading, body: fitToEditor(s.body), id: `s${i}` })),
      cards: [],
    };
    return { group: { id: f.id, name: f.name, question: '', position } satisfies Group, board };
  });
  return consolidate(WORKSHOP, boards);
}
