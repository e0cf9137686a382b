// The PDF as a document: where page breaks fall, where footnotes land and what they link
// to, the outline and the tags. Read back with pdf.js (unpdf) and checked by qpdf.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getDocumentProxy } from 'unpdf';
import type { Consolidated } from '../../shared/consolidated.js';
import type { Block } from '../../shared/rich-text.js';
import { renderPdf } from '../../server/export/pdf.js';
import { fixtureModel } from '../support/export-fixtures.js';
import { para, stressModel } from '../support/pdf-stress.js';

type Pdf = Awaited<ReturnType<typeof getDocumentProxy>>;
interface Item {
  str: string;
  x: number;
  y: number;
  size: number;
}
interface Outline {
  title: string;
  items: Outline[];
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const superscript = (n: number) => [...String(n)].map((d) => SUPERSCRIPT[Number(d)]).join('');

async function open(buffer: Buffer): Promise<Pdf> {
  return getDocumentProxy(new Uint8Array(buffer));
}

/** Every page's text items with position (y from the page's top) and font size. */
async function pageItems(pdf: Pdf): Promise<Item[][]> {
  const pages: Item[][] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    const height = page.getViewport({ scale: 1 }).height;
    const content = await page.getTextContent();
    const items: Item[] = [];
    for (const item of content.items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      const [a, b, , , x, y] = item.transform as number[];
      items.push({ str: item.str, x: x ?? 0, y: height - (y ?? 0), size: Math.round(Math.hypot(a ?? 0, b ?? 0) * 10) / 10 });
    }
    pages.push(items);
  }
  return pages;
}

/** The body's lines of a page (notes at 9 pt and the 8.5 pt footer left out; code, at 8.3 pt, kept), top to bottom. */
function bodyLines(items: Item[]): Array<{ y: number; text: string }> {
  const rows = new Map<number, Item[]>();
  for (const it of items.filter((i) => i.size !== 9 && i.size !== 8.5 && !SUPERSCRIPT.includes(i.str.trim()[0] ?? ''))) {
    const key = Math.round(it.y);
    rows.set(key, [...(rows.get(key) ?? []), it]);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([y, row]) => ({ y, text: row.sort((a, b) => a.x - b.x).map((i) => i.str).join('').replace(/\s+/g, ' ').trim() }));
}

/** Every heading of the model: groups, sections and the sections' own headings. */
function headingsOf(model: Consolidated): string[] {
  const out: string[] = [];
  const walk = (blocks: Block[]) => {
    for (const b of blocks) {
      if (b.type === 'heading') out.push(b.content.map((i) => (i.type === 'text' ? i.text : '')).join(''));
      else if (b.type === 'quote') walk(b.content);
      else if (b.type === 'list') b.items.forEach(walk);
    }
  };
  for (const g of model.groups) {
    out.push(g.name, g.title);
    for (const s of g.sections) {
      out.push(s.heading);
      walk(s.body);
    }
  }
  return out.map((h) => h.replace(/\s+/g, ' ').trim()).filter((h) => h !== '');
}

const dir = mkdtempSync(join(tmpdir(), 'relatoria-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function qpdf(buffer: Buffer, ...args: string[]): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, buffer);
  return execFileSync('qpdf', [...args, file], { encoding: 'utf8' });
}

describe('PDF layout', () => {
  it.each([
    ['the fixtures with every block and the annex', () => fixtureModel({ features: true, annex: true })],
    ['headings pushed toward every height of the page', stressModel],
  ])('never ends a page with a heading: %s', async (_, make) => {
    const model = make();
    const headings = new Set(headingsOf(model));
    const pages = await pageItems(await open(await renderPdf(model)));
    const stranded = pages.flatMap((items, i) => {
      const last = bodyLines(items).at(-1)?.text ?? '';
      return headings.has(last) ? [`page ${i + 1}: ${last}`] : [];
    });
    expect(stranded).toEqual([]);
  });

  it('puts each footnote at the foot of the page that cites it, linked both ways', async () => {
    const model = stressModel();
    const pdf = await open(await renderPdf(model));
    const pages = await pageItems(pdf);
    const notes = [...JSON.stringify(model).matchAll(/"type":"footnote"/g)].length;
    expect(notes).toBeGreaterThan(14);
    for (let n = 1; n <= notes; n++) {
      const cites = new RegExp(`(^|[^${SUPERSCRIPT}])${superscript(n)}($|[^${SUPERSCRIPT}])`);
      const mark = pages.findIndex((items) => items.some((i) => i.size >= 10 && cites.test(i.str)));
      const note = pages.findIndex((items) => items.some((i) => i.str.trim() === `${n}.` && i.size === 9));
      expect(mark, `mark ${n}`).toBeGreaterThanOrEqual(0);
      expect(note, `note ${n} on the page of its mark`).toBe(mark);
      // The note sits under the page's body.
      const bodyBottom = Math.max(...bodyLines(pages[mark] as Item[]).map((l) => l.y));
      const noteY = (pages[mark] as Item[]).find((i) => i.str.trim() === `${n}.` && i.size === 9)?.y ?? 0;
      expect(noteY).toBeGreaterThan(bodyBottom);
      const links = await (await pdf.getPage(mark + 1)).getAnnotations();
      const dests = links.map((a: { dest?: unknown }) => a.dest);
      expect(dests).toContain(`note-${n}`);
      expect(dests).toContain(`cite-${n}`);
    }
    expect(await pdf.getDestination('note-1')).not.toBeNull();
    expect(await pdf.getDestination('cite-1')).not.toBeNull();
  });

  it("sets a note too long for a page's foot under the paragraph that cites it, never off the page", async () => {
    const model = fixtureModel();
    const long = Array.from({ length: 120 }, (_, i) => `Frase ${i + 1} de una nota muy larga sobre el escalamiento.`).join(' ');
    const g = model.groups[0] as Consolidated['groups'][number];
    const groups = [{ ...g, sections: [{ heading: 'Con nota larga', body: [{ type: 'paragraph', content: [{ type: 'text', text: 'Párrafo que cita' }, { type: 'footnote', content: long }] } as Block, para('Párrafo siguiente.')] }] }];
    const buffer = await renderPdf({ ...model, groups });
    const pages = await pageItems(await open(buffer));
    const words = pages.flat().map((i) => i.str).join(' ');
    expect(words).toContain('Frase 120 de una nota muy larga');
    // Nothing but the page number in the bottom margin (76 pt of A4's 842), on any page.
    for (const items of pages) expect(Math.max(...items.filter((i) => i.size !== 8.5).map((i) => i.y))).toBeLessThanOrEqual(842 - 76);
    const text = pages.map((items) => items.map((i) => i.str).join(' ')).join(' ');
    expect(text.indexOf('Frase 1 de una nota')).toBeGreaterThan(text.indexOf('Párrafo que cita'));
    expect(text.indexOf('Frase 120 de una nota')).toBeLessThan(text.indexOf('Párrafo siguiente.'));
    expect(qpdf(buffer, '--check')).toContain('No syntax or stream encoding errors');
  });

  it('has an outline of the workshop, its groups and their sections', async () => {
    const model = fixtureModel({ features: true, annex: true });
    const pdf = await open(await renderPdf(model));
    const outline = ((await pdf.getOutline()) ?? []) as Outline[];
    const titles = (items: Outline[]) => items.map((o) => o.title);
    expect(titles(outline)).toEqual([model.workshop.title]);
    const groups = outline[0]?.items ?? [];
    expect(titles(groups)).toEqual(['Grupo B: Cambio Sistémico', 'Grupo D: Escalamiento', 'Grupo F: Formatos', 'Anexo: tarjetas priorizadas']);
    expect(titles(groups[2]?.items ?? [])).toEqual(['Todo lo que el editor escribe']);
    expect(titles(groups[0]?.items ?? [])).toEqual(model.groups[0]?.sections.map((s) => s.heading).filter((h) => h !== ''));
    // qpdf reads it the same, with each bookmark pointing at its page.
    const json = JSON.parse(qpdf(await renderPdf(model), '--json', '--json-key=outlines')) as { outlines: Array<{ title: string; kids: Array<{ title: string; destpageposfrom1: number }> }> };
    expect(json.outlines[0]?.kids.map((k) => k.destpageposfrom1)).toEqual([1, 3, 5, 6]);
  });

  it('is tagged: language, title shown, headings, paragraphs, lists, tables and notes in the structure', async () => {
    const buffer = await renderPdf(fixtureModel({ features: true, annex: true }));
    const pdf = await open(buffer);
    expect(await pdf.getMarkInfo()).toMatchObject({ Marked: true });
    const roles = new Set<string>();
    const walk = (node: { role?: string; children?: unknown[] }) => {
      if (node.role) roles.add(node.role);
      for (const c of node.children ?? []) if (c && typeof c === 'object') walk(c as { role?: string; children?: unknown[] });
    };
    for (let i = 1; i <= pdf.numPages; i++) walk((await (await pdf.getPage(i)).getStructTree()) ?? {});
    for (const role of ['H1', 'H2', 'H3', 'H4', 'P', 'L', 'LI', 'Lbl', 'LBody', 'Table', 'TR', 'TH', 'TD', 'Note', 'BlockQuote']) expect(roles, role).toContain(role);
    const json = JSON.parse(qpdf(buffer, '--json', '--json-key=qpdf')) as { qpdf: [unknown, Record<string, { value?: Record<string, unknown> }>] };
    const root = Object.values(json.qpdf[1]).find((o) => o.value?.['/Type'] === '/Catalog')?.value ?? {};
    expect(root).toHaveProperty('/StructTreeRoot');
    expect(root).toHaveProperty('/MarkInfo');
    expect(root['/Lang']).toBe('u:es');
    expect(qpdf(buffer, '--check')).toContain('No syntax or stream encoding errors');
  });

  it('keeps hard line breaks, and says so under a group or section with nothing written', async () => {
    const model = fixtureModel({ features: true });
    const empty = { ...(model.groups[2] as Consolidated['groups'][number]), id: 'vacio', name: 'Grupo V: Vacío', title: 'Grupo V: Vacío', question: '', sections: [{ heading: 'Sección sin texto', body: [para('')] }] };
    const none = { ...empty, id: 'nada', name: 'Grupo N: Sin secciones', title: 'Grupo N: Sin secciones', sections: [] };
    const pages = await pageItems(await open(await renderPdf({ ...model, groups: [...model.groups, empty, none] })));
    const lines = pages.map(bodyLines);
    const at = (s: string) => lines.flatMap((page, p) => page.map((l, i) => ({ p, i, ...l }))).find((l) => l.text === s);
    const first = at('Primera línea');
    expect(first).toBeDefined();
    expect(at('segunda línea tras un salto.')).toMatchObject({ p: first?.p, i: (first?.i ?? 0) + 1 });
    const section = at('Sección sin texto');
    expect(at('Sin contenido.')).toMatchObject({ p: section?.p, i: (section?.i ?? 0) + 1 });
    const group = at('Grupo N: Sin secciones');
    expect(lines[group?.p ?? 0]?.[(group?.i ?? 0) + 1]?.text).toBe('Sin contenido.');
  });
});
