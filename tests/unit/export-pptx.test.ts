// The plenary synthesis as a slide deck: a title slide, one per synthesis section, one
// per recommendation (text, source groups, dots), the ranking, and one per group.
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { consolidate, type ConsolidateOptions } from '../../server/export/consolidate.js';
import { EXPORT_FORMATS, exportFileName } from '../../server/export/formats.js';
import { PPTX_LIMITS, renderPptx } from '../../server/export/pptx.js';
import type { Consolidated } from '../../shared/consolidated.js';
import type { PlenaryContent } from '../../shared/plenary.js';
import { FIXTURES, WORKSHOP, fixtureBoards, plenarySource } from '../support/export-fixtures.js';

const groups = fixtureBoards();
const src = plenarySource;
const nameOf = (id: string) => FIXTURES.find((f) => f.id === id)?.name ?? '';

const PLENARY: PlenaryContent = {
  title: '',
  sections: [{ id: 's1', heading: 'Conclusiones generales', body: [{ type: 'paragraph', content: [{ type: 'text', text: `El sistema aprende en red. ${'largo '.repeat(400)}` }] }] }],
  items: [
    { id: 'i1', text: 'Formación docente continua', sources: [src('grupo-b')], position: 1, createdAt: 1 },
    { id: 'i2', text: 'Escalar con alianzas locales', sources: [src('grupo-d'), src('grupo-b')], position: 2, createdAt: 2 },
    { id: 'i3', text: 'Sin votos todavía', sources: [src('grupo-d')], position: 3, createdAt: 3 },
  ],
};
const VOTES: ConsolidateOptions['votes'] = [
  { groupId: 'plenary', cardId: 'i2', dots: 7, voters: 4 },
  { groupId: 'plenary', cardId: 'i1', dots: 3, voters: 2 },
];
const model = (votes: ConsolidateOptions['votes'] = VOTES): Consolidated => consolidate(WORKSHOP, groups, { votes, plenary: { content: PLENARY, groups: groups.map((g) => g.group) } });

/** Each slide's text runs joined, in slide order. */
async function slides(bytes: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n)).sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
  return Promise.all(names.map(async (n) => [...((await zip.file(n)?.async('string')) ?? '').matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => m[1]).join(' ')));
}
const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");

describe('the PPTX export', () => {
  it('has a title slide, a slide per section, per recommendation, the ranking, and one per group', async () => {
    const m = model();
    const texts = (await slides(await renderPptx(m))).map(unescape);
    const slide = (i: number) => texts[i] ?? '';
    expect(texts).toHaveLength(1 + 1 + 3 + 1 + m.groups.length);
    expect(slide(0)).toContain(WORKSHOP.title);
    expect(slide(0)).toContain('2025');
    expect(slide(1)).toContain('Conclusiones generales');
    expect(slide(1)).toContain('El sistema aprende en red.');
    // Trimmed to fit: the 2,400-character body is cut with an ellipsis.
    expect(slide(1).length).toBeLessThan(PPTX_LIMITS.sectionText + 200);
    expect(slide(1)).toContain('…');
    // The recommendations in ranked order, each with its groups and dots.
    expect(slide(2)).toContain('Recomendación 1'); // one recommendation, numbered
    expect(slide(2)).toContain('Escalar con alianzas locales');
    expect(slide(2)).toContain(nameOf('grupo-d'));
    expect(slide(2)).toContain(nameOf('grupo-b'));
    expect(slide(2)).toContain('Puntos: 7 · Votantes: 4');
    expect(slide(3)).toContain('Formación docente continua');
    expect(slide(3)).toContain(nameOf('grupo-b'));
    expect(slide(3)).toContain('Puntos: 3');
    expect(slide(4)).toContain('Sin votos todavía');
    expect(slide(4)).toContain('Puntos: 0');
    const ranking = slide(5);
    expect(ranking).toContain('Priorización');
    const order = ['1. Escalar con alianzas locales (Puntos: 7)', '2. Formación docente continua (Puntos: 3)', '3. Sin votos todavía (Puntos: 0)'].map((s) => ranking.indexOf(s));
    expect(order.every((p) => p >= 0), ranking).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    m.groups.forEach((g, i) => expect(slide(6 + i)).toContain(g.name));
    expect(slide(6)).toContain(m.groups[0]?.sections[0]?.heading ?? 'no section');
  });

  it('shows no dots before a round over the plenary closed', async () => {
    const texts = await slides(await renderPptx(model([])));
    const slide = (i: number) => texts[i] ?? '';
    expect(texts.join('\n')).not.toContain('Puntos');
    expect(slide(2)).toContain('Formación docente continua');
  });

  it('is an export format with the presentation media type and a .pptx name', () => {
    expect(EXPORT_FORMATS.pptx.mediaType).toBe('application/vnd.openxmlformats-officedocument.presentationml.presentation');
    expect(exportFileName(model(), 'pptx')).toMatch(/\.pptx$/);
  });
});
