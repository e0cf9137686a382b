// A consolidated document made to push headings and footnotes toward every height of a
// page: the fixtures, plus sections whose body headings are followed by a code block or a
// list after one to five paragraphs, each section ending with a footnote.
import type { Consolidated } from '../../shared/consolidated.js';
import { text as t, type Block } from '../../shared/rich-text.js';
import { fixtureModel } from './export-fixtures.js';

export const para = (s: string): Block => ({ type: 'paragraph', content: [t(s)] });
const LOREM = 'Los proyectos analizados muestran que el escalamiento depende de incentivos, de la articulación entre actores y de la capacidad del sector financiero para acompañar a los proveedores locales.';

/**
 * The fixtures, plus sections that push a heading followed by a code block, a table or a
 * list toward every height of the page (on main, some of these headings ended a page).
 */
export function stressModel(): Consolidated {
  const model = fixtureModel({ features: true });
  const sections = Array.from({ length: 14 }, (_, i) => ({
    heading: `Sección de prueba ${i + 1}`,
    body: [
      ...Array.from({ length: 1 + (i % 5) }, () => para(LOREM)),
      { type: 'heading', level: 2, content: [t(`Riesgos Financieros ${i + 1}`)] } as Block,
      i % 2 === 0
        ? ({ type: 'code', language: 'text', text: Array.from({ length: 12 }, (_, k) => `KPI ${k + 1}: ${'█'.repeat(k + 4)}`).join('\n') } as Block)
        : ({ type: 'list', ordered: false, start: 1, items: Array.from({ length: 6 }, (_, k) => [para(`Elemento ${k + 1}. ${LOREM}`)]) } as Block),
      { type: 'paragraph', content: [t(`Cierre ${i + 1} con nota`), { type: 'footnote', content: `Nota de la sección ${i + 1}: la fuente es el informe anual.` }, t('.')] } as Block,
    ],
  }));
  const stress = { ...(model.groups[0] as Consolidated['groups'][number]), id: 'stress', name: 'Grupo S: Prueba de paginación', title: 'Grupo S: Prueba de paginación', sections };
  return { ...model, groups: [...model.groups, stress] };
}

