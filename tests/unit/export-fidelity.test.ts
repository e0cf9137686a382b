// Issue 10 in every format: code blocks kept line for line, tab-separated tables as real
// tables, the group's own name on its chapter, golden files for each format, and third-party
// readers (a GFM parser, qpdf) agreeing with what was written.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { Packer, PrettifyType } from 'docx';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { frontmatter } from 'micromark-extension-frontmatter';
import type { Nodes } from 'mdast';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { buildDocx } from '../../server/export/docx.js';
import { renderHtml } from '../../server/export/html.js';
import { renderMarkdown } from '../../server/export/markdown.js';
import { renderPdf } from '../../server/export/pdf.js';
import { columnWidths } from '../../server/export/pdf-table.js';
import { CODE_WRAP_MARK, codeLines } from '../../server/export/pdf-writer.js';
import { blocksText, type Block } from '../../shared/rich-text.js';
import type { Consolidated } from '../../shared/consolidated.js';
import { expectGolden, fidelityModel } from '../support/export-fixtures.js';

const parse = (md: string) =>
  fromMarkdown(md, { extensions: [gfm(), frontmatter(['yaml'])], mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown(['yaml'])] });

function collect(tree: Nodes, type: string): Nodes[] {
  const out: Nodes[] = [];
  const walk = (n: Nodes) => {
    if (n.type === type) out.push(n);
    if ('children' in n) for (const c of n.children) walk(c);
  };
  walk(tree);
  return out;
}

function modelBlocks(model: Consolidated, type: Block['type']): Block[] {
  const out: Block[] = [];
  const walk = (bs: Block[]) => {
    for (const b of bs) {
      if (b.type === type) out.push(b);
      if (b.type === 'list') b.items.forEach(walk);
      if (b.type === 'quote') walk(b.content);
    }
  };
  for (const g of model.groups) for (const s of g.sections) walk(s.body);
  return out;
}

/** The words of a node (what mdast-util-to-string gives). */
const toString = (n: Nodes): string => ('value' in n && typeof n.value === 'string' ? n.value : 'children' in n ? n.children.map((c) => toString(c)).join('') : '');

const pdfPages = async (bytes: Buffer) => (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: false })).text;

describe('issue 10 material in every format', () => {
  const model = fidelityModel();

  it('Markdown: golden file; a GFM parser reads back the same code blocks and tables', () => {
    const md = renderMarkdown(model);
    expectGolden('fidelity.md', md);
    const tree = parse(md);
    const codes = collect(tree, 'code').map((c) => (c.type === 'code' ? [c.lang ?? '', c.value] : []));
    expect(codes).toEqual(modelBlocks(model, 'code').map((b) => (b.type === 'code' ? [b.language, b.text] : [])));
    const tables = collect(tree, 'table').map((t) => (t.type === 'table' ? t.children.map((r) => r.children.map((c) => toString(c))) : []));
    expect(tables).toEqual(modelBlocks(model, 'table').map((b) => (b.type === 'table' ? b.rows.map((r) => r.map((c) => blocksText(c.content))) : [])));
    expect(md).toContain('\n## Red de proyectos PIP\n\n**LA EXPERIENCIA DE LA RED DE PROYECTOS PIP**\n');
  });

  it('HTML: golden file; code in <pre><code> with its language, tables real and scrollable in their box', () => {
    const html = renderHtml(model);
    expectGolden('fidelity.html', html);
    expect(html).toContain('<pre><code class="language-text">┌──');
    expect(html).toContain('\n   - Feedback loop continuo\n');
    expect(html.match(/<div class="table-wrap"><table>/g)).toHaveLength(2);
    expect(html).toContain('<h2>Red de proyectos PIP</h2>\n<p class="subtitle">LA EXPERIENCIA DE LA RED DE PROYECTOS PIP</p>');
  });

  it('DOCX: golden file; code in the monospace Code style, line for line; two real tables', async () => {
    const zip = await JSZip.loadAsync(await Packer.toBuffer(buildDocx(model), PrettifyType.WITH_2_BLANKS));
    const document = (await zip.file('word/document.xml')?.async('string')) ?? '';
    const styles = (await zip.file('word/styles.xml')?.async('string')) ?? '';
    expectGolden('fidelity.document.xml', document.replace(/r:id="rId[^"]*"/g, 'r:id="rId…"'));
    expect(document.match(/<w:tbl>/g)).toHaveLength(2);
    expect(document).toContain('<w:t xml:space="preserve">   - Feedback loop continuo</w:t>');
    // Every code block in Code, or in a style based on it that names its language ("Code (text)").
    expect(document.match(/<w:pStyle w:val="Code(Lang\d+)?"\/>/g)?.length).toBe(modelBlocks(model, 'code').length);
    expect(styles).toMatch(/w:styleId="CodeLang1"[\s\S]*?<w:name w:val="Code \(/);
    expect(styles).toMatch(/w:styleId="Code"[\s\S]*?<w:rFonts w:ascii="Consolas"/);
  });

  it('PDF: golden text; qpdf finds nothing wrong; a code line too long wraps behind the mark', async () => {
    const pdf = await renderPdf(model);
    const dir = mkdtempSync(join(tmpdir(), 'relatoria-pdf-'));
    writeFileSync(join(dir, 'fidelity.pdf'), pdf);
    expect(execFileSync('qpdf', ['--check', join(dir, 'fidelity.pdf')]).toString()).toContain('No syntax or stream encoding errors');
    const pages = await pdfPages(pdf);
    expectGolden('fidelity.pdf.txt', pages.map((p, i) => `--- page ${i + 1} ---\n${p.replace(/[ \t]+/g, ' ').trim()}\n`).join(''));
    const all = pages.join('\n');
    expect(all).toContain(CODE_WRAP_MARK.trim());
    expect(all).toContain('Feedback loop continuo');
    expect(all).toContain('┌──');
    expect(all).not.toContain('\t');
  });
});

describe('PDF layout helpers', () => {
  it('cuts a code line longer than the band behind a mark, keeps indentation, expands tabs to stops of 4', () => {
    expect(codeLines('   - Feedback\n\tx', 40)).toEqual(['   - Feedback', '    x']);
    const long = 'a'.repeat(25);
    expect(codeLines(long, 10)).toEqual(['a'.repeat(10), `${CODE_WRAP_MARK}${'a'.repeat(8)}`, `${CODE_WRAP_MARK}${'a'.repeat(7)}`]);
    expect(codeLines(long, 10).join('').replaceAll(CODE_WRAP_MARK, '')).toBe(long);
  });

  it('sizes columns to content: a column of years stays narrow, sentences take the room, the total is the width', () => {
    const widths = columnWidths([{ natural: 40, word: 40 }, { natural: 900, word: 80 }, { natural: 60, word: 60 }], 500);
    expect(widths.reduce((a, b) => a + b, 0)).toBeCloseTo(500);
    expect(widths[0]).toBeGreaterThanOrEqual(40);
    expect(widths[1]).toBeGreaterThan(300);
    // Narrow content: every column as wide as it wants, and the rest shared.
    const roomy = columnWidths([{ natural: 50, word: 30 }, { natural: 100, word: 40 }], 450);
    expect(roomy[1]).toBeCloseTo(2 * (roomy[0] ?? 0));
    // Even the words too wide: scaled together, never past the total.
    expect(columnWidths(Array.from({ length: 200 }, () => ({ natural: 30, word: 30 })), 500).reduce((a, b) => a + b, 0)).toBeCloseTo(500);
  });

  it('repeats the header row on each page a long table goes on to, and draws no row over another', async () => {
    const header = ['Lugar', 'Año', 'Tema principal'];
    const rows = Array.from({ length: 90 }, (_, i) => [`Ciudad ${i}`, String(1990 + i), `Tema número ${i} de la red`]);
    const cell = (s: string, h: boolean) => ({ header: h, colspan: 1, rowspan: 1, align: null, content: [{ type: 'paragraph' as const, content: [{ type: 'text' as const, text: s }] }] });
    const base = fidelityModel();
    const model: Consolidated = {
      ...base,
      groups: [{ ...(base.groups[1] as Consolidated['groups'][number]), sections: [{ heading: 'Tabla larga', body: [{ type: 'table', rows: [header.map((h) => cell(h, true)), ...rows.map((r) => r.map((c) => cell(c, false)))] }] }] }],
    };
    const pages = await pdfPages(await renderPdf(model));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const page of pages.slice(1)) expect(page.replace(/\s+/g, ' ')).toMatch(/^Lugar Año Tema principal Ciudad/);
    // Every row once, in order.
    const all = pages.join(' ').replace(/\s+/g, ' ');
    let at = 0;
    for (const r of rows) {
      const found = all.indexOf(`${r[0]} ${r[1]}`, at);
      expect(found).toBeGreaterThan(at - 1);
      at = found;
    }
  });
});
