// The plenary synthesis heads every document format: its sections, then the
// recommendations in their ranked order with their dots, each naming its source groups
// (a link to the group's chapter: a fragment in Markdown and HTML, a bookmark in DOCX, a
// named destination in PDF); `synthesis` chooses the parts.
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { extractText, getDocumentProxy } from 'unpdf';
import { consolidate, type ConsolidateOptions } from '../../server/export/consolidate.js';
import { renderDocx } from '../../server/export/docx.js';
import { renderHtml } from '../../server/export/html.js';
import { renderMarkdown } from '../../server/export/markdown.js';
import { renderPdf } from '../../server/export/pdf.js';
import type { Consolidated, SynthesisMode } from '../../shared/consolidated.js';
import type { PlenaryContent } from '../../shared/plenary.js';
import { WORKSHOP, fixtureBoards, plenarySource } from '../support/export-fixtures.js';

const groups = fixtureBoards();
const src = plenarySource;

const PLENARY: PlenaryContent = {
  title: '',
  sections: [{ id: 's1', heading: 'Conclusiones generales', body: [{ type: 'paragraph', content: [{ type: 'text', text: 'El sistema aprende en red.' }] }] }],
  items: [
    { id: 'i1', text: 'Formación docente continua', sources: [src('grupo-b')], position: 1, createdAt: 1 },
    { id: 'i2', text: 'Escalar con alianzas locales', sources: [src('grupo-d'), src('grupo-b')], position: 2, createdAt: 2 },
    { id: 'i3', text: 'Sin votos todavía', sources: [src('grupo-d')], position: 3, createdAt: 3 },
  ],
};
// The closed round put the second item first.
const VOTES: ConsolidateOptions['votes'] = [
  { groupId: 'plenary', cardId: 'i2', dots: 7, voters: 4 },
  { groupId: 'plenary', cardId: 'i1', dots: 3, voters: 2 },
];

const model = (synthesis?: SynthesisMode, content: PlenaryContent = PLENARY): Consolidated =>
  consolidate(WORKSHOP, groups, { votes: VOTES, ...(synthesis ? { synthesis } : {}), plenary: { content, groups: groups.map((g) => g.group) } });

const docxText = async (bytes: Buffer) => {
  const xml = (await (await JSZip.loadAsync(bytes)).file('word/document.xml')?.async('string')) ?? '';
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')).join('\n');
};
const pdfText = async (bytes: Buffer) => (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text.replace(/\s+/g, ' ');

const RENDER: Record<string, (m: Consolidated) => Promise<string>> = {
  md: async (m) => renderMarkdown(m),
  html: async (m) => renderHtml(m).replace(/<[^>]+>/g, ''),
  docx: async (m) => docxText(await renderDocx(m)),
  pdf: async (m) => pdfText(await renderPdf(m)),
};

/** Positions of each needle in the text, in order; -1 when missing. */
const at = (text: string, needles: string[]) => needles.map((n) => text.indexOf(n));

describe('the synthesis in the consolidated export', () => {
  for (const [format, render] of Object.entries(RENDER)) {
    it(`${format}: opens with the synthesis, its sections, then the items ranked with their dots and groups, then the chapters`, async () => {
      const text = await render(model());
      const order = at(text, ['Síntesis', 'Conclusiones generales', 'El sistema aprende en red.', 'Recomendaciones', 'Escalar con alianzas locales', 'Formación docente continua', 'Sin votos todavía']);
      expect(order.every((p) => p >= 0), `${format}: ${order.join(',')}`).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      // The groups' chapters come after the synthesis.
      const lastItem = text.indexOf('Sin votos todavía');
      const chapter = text.indexOf('Grupo B: Cambio Sistémico', lastItem);
      expect(chapter).toBeGreaterThan(lastItem);
      // Each item with its dots and its groups.
      const item2 = text.slice(text.indexOf('Escalar con alianzas locales'), text.indexOf('Formación docente continua'));
      expect(item2).toContain('Puntos: 7');
      expect(item2).toContain('Votantes: 4');
      expect(item2).toMatch(/Origen: (\[)?Grupo B: Cambio Sistémico.*Grupo D: Escalamiento/s);
      const item3 = text.slice(lastItem, chapter);
      expect(item3).toContain('Puntos: 0');
    });
  }

  it('markdown links each group to its chapter heading and html to its section', async () => {
    const md = renderMarkdown(model());
    expect(md).toContain('Origen: [Grupo B: Cambio Sistémico](#grupo-b-cambio-sistémico), [Grupo D: Escalamiento](#grupo-d-escalamiento)');
    expect(md).toContain('\n## Grupo B: Cambio Sistémico\n');
    const html = renderHtml(model());
    expect(html).toContain('<a href="#grupo-1">Grupo B: Cambio Sistémico</a>, <a href="#grupo-2">Grupo D: Escalamiento</a>');
    expect(html).toMatch(/<section class="group" id="grupo-1">\n<h2>Grupo B: Cambio Sistémico<\/h2>/);
  });

  it("docx links each group's name to a bookmark on its chapter heading", async () => {
    const xml = (await (await JSZip.loadAsync(await renderDocx(model()))).file('word/document.xml')?.async('string')) ?? '';
    const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => m[0]);
    const textOf = (p: string) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('');
    // The recommendation "Escalar con alianzas locales" names its groups in workshop order, each an internal link.
    const item = paragraphs.find((p) => textOf(p).startsWith('Escalar con alianzas locales')) ?? '';
    const links = [...item.matchAll(/<w:hyperlink [^>]*w:anchor="([^"]+)"[^>]*>([\s\S]*?)<\/w:hyperlink>/g)].map((m) => ({ anchor: m[1], text: textOf(m[2] ?? '') }));
    expect(links.map((l) => l.text)).toEqual(['Grupo B: Cambio Sistémico', 'Grupo D: Escalamiento']);
    for (const link of links) {
      // The bookmark of that name opens the Heading 1 paragraph of the same group.
      const chapter = paragraphs.filter((p) => p.includes(`<w:bookmarkStart w:name="${link.anchor}"`));
      expect(chapter, link.anchor).toHaveLength(1);
      expect(chapter[0]).toContain('<w:pStyle w:val="Heading1"/>');
      expect(textOf(chapter[0] ?? '')).toBe(link.text);
    }
    expect(item).not.toContain('r:id='); // no external relationship: a place in the document
  });

  it("pdf links each group's name to its chapter's first page", async () => {
    const pdf = await getDocumentProxy(new Uint8Array(await renderPdf(model())));
    const pages = await Promise.all(Array.from({ length: pdf.numPages }, async (_, i) => {
      const page = await pdf.getPage(i + 1);
      const items = (await page.getTextContent()).items.flatMap((t) => ('str' in t ? [t.str] : [])).join(' ');
      return { items, links: (await page.getAnnotations()) as Array<{ subtype: string; dest?: unknown; rect: number[] }> };
    }));
    const synthesisPage = pages.findIndex((p) => p.items.includes('Recomendaciones'));
    const dests = pages[synthesisPage]?.links.flatMap((a) => (a.subtype === 'Link' && typeof a.dest === 'string' && a.dest.startsWith('grupo-') ? [a.dest] : [])) ?? [];
    // Three group names in the list (B; D and B), a name broken over two lines having two boxes.
    expect(new Set(dests)).toEqual(new Set(['grupo-1', 'grupo-2']));
    for (const [name, title] of [['grupo-1', 'Grupo B: Cambio Sistémico'], ['grupo-2', 'Grupo D: Escalamiento']] as const) {
      const dest = (await pdf.getDestination(name)) as [{ num: number; gen: number }, ...unknown[]] | null;
      expect(dest, name).not.toBeNull();
      const page = await pdf.getPageIndex((dest as [{ num: number; gen: number }])[0]);
      expect(page).toBeGreaterThan(synthesisPage);
      expect(pages[page]?.items.replace(/\s+/g, ' '), name).toContain(title);
      // The chapter starts on that page: its heading is the page's first line after the page's top.
      expect(pages.findIndex((p) => p.items.replace(/\s+/g, ' ').includes(title) && p !== pages[synthesisPage]), name).toBe(page);
    }
  });

  it("a merged item's texts stay apart, each from a new line of the same list item", async () => {
    const merged: PlenaryContent = { ...PLENARY, items: [{ id: 'm', text: 'Formación docente continua\n\nEscalar  con alianzas\nlocales', sources: [src('grupo-b'), src('grupo-d')], position: 1, createdAt: 1 }] };
    const md = renderMarkdown(model('with', merged));
    expect(md).toMatch(/1\. \*\*Formación docente continua\*\*\\\n {3}\*\*Escalar con alianzas locales\*\* — Puntos: 0/);
    expect(renderHtml(model('with', merged))).toContain('<strong>Formación docente continua</strong><br>');
    const pdf = await pdfText(await renderPdf(model('with', merged)));
    expect(pdf).toContain('Formación docente continua Escalar con alianzas locales — Puntos: 0');
  });

  it('synthesis=only has no group chapters (groups named in plain text); none has no synthesis', async () => {
    const only = model('only');
    expect(only.groups).toEqual([]);
    const md = renderMarkdown(only);
    expect(md).toContain('Origen: Grupo B: Cambio Sistémico, Grupo D: Escalamiento');
    expect(md).not.toContain('## Grupo B');
    expect(md).not.toContain('](#');
    for (const [format, render] of Object.entries(RENDER)) {
      const text = await render(only);
      expect(text, format).toContain('Recomendaciones');
      expect(text.indexOf('Grupo B: Cambio Sistémico'), format).toBeGreaterThan(text.indexOf('Escalar con alianzas locales'));
      expect(text, format).not.toContain('Conclusiones y Recomendaciones');
    }
    const none = model('none');
    expect(none.synthesis).toBeUndefined();
    for (const [format, render] of Object.entries(RENDER)) {
      const text = await render(none);
      expect(text, format).not.toContain('Síntesis');
      expect(text, format).not.toContain('Escalar con alianzas locales');
      expect(text, format).toContain('Conclusiones y Recomendaciones');
    }
  });

  it('an empty plenary board adds nothing: the document is the one without a synthesis', () => {
    const empty = model('with', { title: '', sections: [{ id: 's', heading: '', body: [] }], items: [] });
    expect(empty.synthesis).toBeUndefined();
    expect(renderMarkdown(empty)).toBe(renderMarkdown(consolidate(WORKSHOP, groups, { votes: VOTES })));
  });

  it('labels the synthesis in English and Portuguese', () => {
    for (const [language, words] of [['en', ['## Synthesis', '### Recommendations', 'Dots: 7', 'From: [']], ['pt', ['## Síntese', '### Recomendações', 'Pontos: 7', 'Origem: [']]] as const) {
      const md = renderMarkdown(consolidate({ ...WORKSHOP, language }, groups, { votes: VOTES, plenary: { content: PLENARY, groups: groups.map((g) => g.group) } }));
      for (const w of words) expect(md, language).toContain(w);
    }
  });
});
