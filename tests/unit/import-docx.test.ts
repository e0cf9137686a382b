// The Word (.docx) import: documents built with the `docx` package as a group would write
// them, our own exports read back to the same board, and every bad input refused with its
// code before anything is unpacked past the limits.
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import JSZip from 'jszip';
import * as Y from 'yjs';
import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  type ISectionOptions,
} from 'docx';
import { initBoard, readBoardContent, writeSections, type BoardContent } from '../../shared/board.js';
import { consolidate } from '../../server/export/consolidate.js';
import { renderDocx } from '../../server/export/docx.js';
import { DOCX_CODES, DOCX_LIMITS } from '../../shared/docx-import.js';
import { text as t, type Block, type Marks } from '../../shared/rich-text.js';
import { HttpError } from '../../server/http/http-error.js';
import { importDocx } from '../../server/import/docx.js';
import { importMarkdown, type ImportedBoard } from '../../server/import/markdown.js';
import { FEATURE_BLOCKS, FIXTURES, WORKSHOP, fixture } from '../support/export-fixtures.js';
import { boardArbitrary } from '../support/rich-text-arbitraries.js';
import { zipBytes } from '../support/zip-bytes.js';

const p = (...runs: Array<[string] | [string, Marks]>): Block => ({ type: 'paragraph', content: runs.map(([s, m]) => t(s, m)) });

async function docxOf(children: ISectionOptions['children'], options: { footnotes?: Record<number, { children: Paragraph[] }> } = {}): Promise<Buffer> {
  const doc = new Document({
    footnotes: options.footnotes,
    numbering: {
      config: [{
        reference: 'numbers',
        levels: [0, 1, 2].map((level) => ({ level, format: LevelFormat.DECIMAL, text: `%${level + 1}.`, alignment: AlignmentType.START, start: 1 })),
      }],
    },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}

/** Rewrites parts of a .docx (the way a hostile or unusual file would differ). */
async function edited(docx: Buffer, edit: (files: Map<string, string>) => void): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  const files = new Map<string, string>();
  for (const name of Object.keys(zip.files)) if (!zip.files[name]?.dir) files.set(name, (await zip.file(name)?.async('string')) ?? '');
  edit(files);
  const out = new JSZip();
  for (const [name, content] of files) out.file(name, content);
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function refusal(bytes: Uint8Array): Promise<{ status: number; code: string; message: string }> {
  try {
    await importDocx(bytes, { names: [] });
  } catch (err) {
    if (err instanceof HttpError) return { status: err.status, code: err.code, message: err.message };
    throw err;
  }
  throw new Error('the document was imported');
}

/** What a board holds once an import is written to it (as the import route writes it). */
function boardOf(imported: Pick<ImportedBoard, 'title' | 'question' | 'sections'>, name: string): BoardContent {
  const doc = new Y.Doc();
  initBoard(doc, { title: imported.title ?? name, question: imported.question ?? '', language: 'es' });
  writeSections(doc, imported.sections, 'replace');
  return readBoardContent(doc);
}
const withoutIds = (b: BoardContent) => ({ meta: b.meta, sections: b.sections.map(({ heading, body }) => ({ heading, body })) });

async function exportedAndBack(board: BoardContent, name: string, question = ''): Promise<BoardContent> {
  const model = consolidate(WORKSHOP, [{ group: { id: 'g', name, question, position: 0 }, board }]);
  return boardOf(await importDocx(await renderDocx(model), { names: [name] }), name);
}

describe('DOCX import', () => {
  it('reads a group’s Word draft: title, sections, body headings, marks, nested lists, a merged-cell table, links and footnotes', async () => {
    const docx = await docxOf([
      new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Informe del grupo')] }),
      new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('Hallazgos')] }),
      new Paragraph({
        children: [
          new TextRun('Texto con '), new TextRun({ text: 'negrita', bold: true }), new TextRun(', '), new TextRun({ text: 'cursiva', italics: true }),
          new TextRun(', '), new TextRun({ text: 'subrayado', underline: {} }), new TextRun(', '), new TextRun({ text: 'tachado', strike: true }),
          new TextRun(' y una nota'), new FootnoteReferenceRun(1), new TextRun('.'),
        ],
      }),
      new Paragraph({ children: [new TextRun('Ver '), new ExternalHyperlink({ link: 'https://ejemplo.org/guía?x=1', children: [new TextRun({ text: 'la guía', style: 'Hyperlink' })] }), new TextRun(' o '), new ExternalHyperlink({ link: 'javascript:alert(1)', children: [new TextRun('esto')] }), new TextRun('.')] }),
      new Paragraph({ children: [new TextRun('uno')], bullet: { level: 0 } }),
      new Paragraph({ children: [new TextRun('uno punto uno')], bullet: { level: 1 } }),
      new Paragraph({ children: [new TextRun('uno punto uno punto uno')], bullet: { level: 2 } }),
      new Paragraph({ children: [new TextRun('dos')], bullet: { level: 0 } }),
      new Paragraph({ children: [new TextRun('primero')], numbering: { reference: 'numbers', level: 0 } }),
      new Paragraph({ children: [new TextRun('segundo')], numbering: { reference: 'numbers', level: 0 } }),
      new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun('Detalle')] }),
      new Table({
        rows: [
          new TableRow({ tableHeader: true, children: [new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: 'Actor', bold: true })] })] }), new TableCell({ children: [new Paragraph('Rol')] }), new TableCell({ children: [new Paragraph('Año')] })] }),
          new TableRow({ children: [new TableCell({ columnSpan: 2, children: [new Paragraph('Sector público y privado')] }), new TableCell({ rowSpan: 2, children: [new Paragraph('2024')] })] }),
          new TableRow({ children: [new TableCell({ children: [new Paragraph('Gremios')] }), new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: 'articula', italics: true })] })] })] }),
        ],
      }),
      new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('Recomendaciones')] }),
      new Paragraph(''),
      new Paragraph('Fortalecer espacios existentes.'),
    ], { footnotes: { 1: { children: [new Paragraph(' Una nota al pie con acentos: ñandú.')] } } });

    const imported = await importDocx(docx, { names: ['Grupo A'] });
    expect(imported.title).toBe('Informe del grupo');
    expect(imported.question).toBeNull();
    expect(imported.sections.map((s) => s.heading)).toEqual(['Hallazgos', 'Recomendaciones']);
    const [hallazgos, recomendaciones] = imported.sections;
    const cell = (text: string, more: Partial<Extract<Block, { type: 'table' }>['rows'][number][number]> = {}) => ({
      header: false, colspan: 1, rowspan: 1, align: null, content: [p([text])], ...more,
    });
    expect(hallazgos?.body).toEqual([
      {
        type: 'paragraph',
        content: [
          t('Texto con '), t('negrita', { bold: true }), t(', '), t('cursiva', { italic: true }), t(', '), t('subrayado', { underline: true }), t(', '),
          t('tachado', { strike: true }), t(' y una nota'), { type: 'footnote', content: 'Una nota al pie con acentos: ñandú.' }, t('.'),
        ],
      },
      // The unsafe link keeps its words, not its address.
      { type: 'paragraph', content: [t('Ver '), t('la guía', { link: 'https://ejemplo.org/guía?x=1' }), t(' o esto.')] },
      {
        type: 'list', ordered: false, start: 1,
        items: [
          [p(['uno']), { type: 'list', ordered: false, start: 1, items: [[p(['uno punto uno']), { type: 'list', ordered: false, start: 1, items: [[p(['uno punto uno punto uno'])]] }]] }],
          [p(['dos'])],
        ],
      },
      { type: 'list', ordered: true, start: 1, items: [[p(['primero'])], [p(['segundo'])]] },
      { type: 'heading', level: 2, content: [t('Detalle')] },
      {
        type: 'table',
        rows: [
          // A header cell's own bold is its own: our export bolds a header through its paragraph style.
          [cell('Actor', { header: true, content: [{ type: 'paragraph', content: [t('Actor', { bold: true })] }] }), cell('Rol', { header: true }), cell('Año', { header: true })],
          [cell('Sector público y privado', { colspan: 2 }), cell('2024', { rowspan: 2 })],
          [cell('Gremios'), { ...cell(''), content: [{ type: 'paragraph', content: [t('articula', { italic: true })] }] }],
        ],
      },
    ]);
    expect(recomendaciones?.body).toEqual([p(['Fortalecer espacios existentes.'])]);
  });

  it('pads a table whose rows have fewer cells than its widest, and keeps tabs and line breaks', async () => {
    const docx = await docxOf([
      new Table({
        rows: [
          new TableRow({ children: ['a', 'b', 'c'].map((s) => new TableCell({ children: [new Paragraph(s)] })) }),
          new TableRow({ children: [new TableCell({ children: [new Paragraph('solo')] })] }),
        ],
      }),
      new Paragraph({ children: [new TextRun('Lugar'), new TextRun({ text: 'Año', break: 1 }), new TextRun({ children: ['\t', 'Tema'] })] }),
    ]);
    const { sections } = await importDocx(docx, { names: [] });
    const table = sections[0]?.body[0];
    expect(table?.type === 'table' && table.rows.map((r) => r.length)).toEqual([3, 3]);
    expect(table?.type === 'table' && table.rows[1]?.[2]).toEqual({ header: false, colspan: 1, rowspan: 1, align: null, content: [{ type: 'paragraph', content: [] }] });
    expect(sections[0]?.body[1]).toEqual({ type: 'paragraph', content: [t('Lugar'), { type: 'hardBreak' }, t('Año\tTema')] });
  });

  it('reads a link written as a HYPERLINK field, as Word often writes one', async () => {
    const base = await docxOf([new Paragraph('marcador')]);
    const docx = await edited(base, (files) => {
      const field = '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://ejemplo.org/campo" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>el campo</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>';
      files.set('word/document.xml', (files.get('word/document.xml') ?? '').replace(/<w:r>(?:(?!<w:r>).)*?marcador<\/w:t><\/w:r>/, `<w:r><w:t xml:space="preserve">Ver </w:t></w:r>${field}`));
    });
    const { sections } = await importDocx(docx, { names: [] });
    expect(sections[0]?.body).toEqual([{ type: 'paragraph', content: [t('Ver '), t('el campo', { link: 'https://ejemplo.org/campo' })] }]);
  });

  it('reads XML as Word itself writes it: localized style ids, list styles, tracked changes, fields, bookmarks, page breaks', async () => {
    const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
    const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const style = (id: string, name: string, extra = '') => `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/>${extra}</w:style>`;
    const styles = `<w:styles xmlns:w="${W}">${style('Normal', 'Normal')}${style('Ttulo1', 'heading 1')}${style('Ttulo2', 'heading 2')}${style('Listaconvietas', 'List Bullet', '<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr>')}${style('Cita', 'Quote')}<w:style w:type="character" w:styleId="Textoennegrita"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style></w:styles>`;
    const numbering = `<w:numbering xmlns:w="${W}"><w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num></w:numbering>`;
    const para = (inner: string, pPr = '') => `<w:p w:rsidR="00A1" w:rsidRDefault="00A1">${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}${inner}</w:p>`;
    const r = (text: string, rPr = '') => `<w:r>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}<w:t xml:space="preserve">${text}</w:t></w:r>`;
    const body = [
      para(`<w:bookmarkStart w:id="0" w:name="_Toc1"/>${r('Conclusiones del grupo')}<w:bookmarkEnd w:id="0"/>`, '<w:pStyle w:val="Ttulo1"/>'),
      para(r('Propuestas'), '<w:pStyle w:val="Ttulo2"/>'),
      para(`${r('Fortalecer ')}<w:proofErr w:type="spellStart"/>${r('alianzas', '<w:rStyle w:val="Textoennegrita"/>')}<w:proofErr w:type="spellEnd"/><w:del w:id="1" w:author="Ana"><w:r><w:delText>borrado</w:delText></w:r></w:del><w:ins w:id="2" w:author="Ana">${r(' locales')}</w:ins>`, '<w:pStyle w:val="Listaconvietas"/>'),
      para(r('con universidades'), '<w:pStyle w:val="Listaconvietas"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr>'),
      para(`${r('Ver')}<w:r><w:br w:type="page"/></w:r><w:r><w:lastRenderedPageBreak/><w:t xml:space="preserve"> el </w:t></w:r><w:fldSimple w:instr=" HYPERLINK &quot;https://ejemplo.org/informe&quot; "><w:r><w:t>informe</w:t></w:r></w:fldSimple><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>${r(' (p. 3)')}<w:r><w:fldChar w:fldCharType="end"/></w:r>`),
      para(r('Una cita.'), '<w:pStyle w:val="Cita"/>'),
      para(r('Texto en control de contenido'), '').replace(/^/, '<w:sdt><w:sdtPr/><w:sdtContent>').concat('</w:sdtContent></w:sdt>'),
    ].join('');
    const docx = zipBytes([
      { name: 'word/document.xml', data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:document xmlns:w="${W}" xmlns:r="${R}"><w:body>${body}<w:sectPr/></w:body></w:document>` },
      { name: 'word/styles.xml', data: styles },
      { name: 'word/numbering.xml', data: numbering },
    ]);
    const imported = await importDocx(docx, { names: ['Grupo A'] });
    expect(imported.title).toBe('Conclusiones del grupo');
    expect(imported.sections).toEqual([{
      heading: 'Propuestas',
      body: [
        {
          type: 'list', ordered: false, start: 1,
          items: [[p(['Fortalecer '], ['alianzas', { bold: true }], [' locales']), { type: 'list', ordered: false, start: 1, items: [[p(['con universidades'])]] }]],
        },
        { type: 'paragraph', content: [t('Ver el '), t('informe', { link: 'https://ejemplo.org/informe' }), t(' (p. 3)')] },
        { type: 'quote', content: [p(['Una cita.'])] },
        p(['Texto en control de contenido']),
      ],
    }]);
  });

  describe('round trip: a DOCX exported by Relatoría reads back to the same board', () => {
    it.each(FIXTURES)('$file', async ({ file, name }) => {
      const board = boardOf(importMarkdown(fixture(file), { names: [name] }), name);
      expect(board.sections.length).toBeGreaterThan(0);
      expect(withoutIds(await exportedAndBack(board, name))).toEqual(withoutIds(board));
    });

    it('every block and mark the editor writes, and the guiding question', async () => {
      const name = 'Grupo F: Formatos';
      const board = boardOf({ title: name, question: '¿Qué formatos usamos?', sections: [{ heading: 'Todo lo que el editor escribe', body: FEATURE_BLOCKS }, { heading: 'Otra sección', body: [p(['fin'])] }] }, name);
      const back = await exportedAndBack(board, name, '¿Qué formatos usamos?');
      expect(withoutIds(back)).toEqual(withoutIds(board));
    });
  });

  it('round trip (property): the DOCX export of any board reads back to the same board', async () => {
    await fc.assert(
      fc.asyncProperty(boardArbitrary, async (b) => {
        const board = boardOf({ title: b.meta.title, question: b.meta.question || null, sections: b.sections }, 'Grupo A');
        expect(withoutIds(await exportedAndBack(board, 'Grupo A', b.meta.question))).toEqual(withoutIds(board));
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  describe('bad input', () => {
    it('refuses what is not a zip (an old .doc, text, nothing) with 400 docx_not_zip', async () => {
      for (const body of [Buffer.from('# solo texto'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), Buffer.alloc(0)]) {
        expect(await refusal(body)).toMatchObject({ status: 400, code: DOCX_CODES.notZip });
      }
    });

    it('refuses a zip without a Word document in it, or with broken XML, with 400 docx_not_word', async () => {
      expect(await refusal(zipBytes([{ name: 'hola.txt', data: 'hola' }]))).toMatchObject({ status: 400, code: DOCX_CODES.notDocx });
      expect(await refusal(zipBytes([{ name: 'word/document.xml', data: '<w:document xmlns:w="x"><w:body>' }]))).toMatchObject({ status: 400, code: DOCX_CODES.notDocx });
      // An entity bomb starts with a DOCTYPE: refused before any entity is read.
      const laughs = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>';
      expect(await refusal(zipBytes([{ name: 'word/document.xml', data: laughs }]))).toMatchObject({ status: 400, code: DOCX_CODES.notDocx, message: expect.stringContaining('DOCTYPE') });
    });

    it('refuses a zip bomb that declares its size before unpacking it (413 docx_too_large)', async () => {
      const size = DOCX_LIMITS.partBytes + 1024;
      const bomb = zipBytes([{ name: 'word/document.xml', data: Buffer.alloc(size, 0x20) }]);
      expect(bomb.byteLength).toBeLessThan(64 * 1024);
      expect(await refusal(bomb)).toMatchObject({ status: 413, code: DOCX_CODES.tooLarge, message: expect.stringContaining('declares') });
      // Parts that each fit but together are past the total.
      const parts = ['word/document.xml', 'word/styles.xml', 'word/numbering.xml'].map((name) => ({ name, data: Buffer.alloc(DOCX_LIMITS.partBytes - 1024, 0x20) }));
      expect(await refusal(zipBytes(parts))).toMatchObject({ status: 413, code: DOCX_CODES.tooLarge });
    });

    it('refuses a zip bomb that lies about its size as soon as it unpacks past what it declared', async () => {
      const bomb = zipBytes([{ name: 'word/document.xml', data: Buffer.alloc(DOCX_LIMITS.partBytes * 2, 0x20), declaredSize: 2048 }]);
      expect(await refusal(bomb)).toMatchObject({ status: 413, code: DOCX_CODES.tooLarge, message: expect.stringContaining('more than it declares') });
    });

    it('refuses a document longer than a board takes, or whose XML has more elements than a worker reads (413 docx_too_large)', async () => {
      const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
      const body = (inner: string) => zipBytes([{ name: 'word/document.xml', data: `<w:document xmlns:w="${W}"><w:body>${inner}</w:body></w:document>` }]);
      const paragraphs = (n: number) => '<w:p><w:r><w:t>frase</w:t></w:r></w:p>'.repeat(n);
      expect((await importDocx(body(paragraphs(DOCX_LIMITS.paragraphs - 1)), { names: [] })).sections[0]?.body).toHaveLength(DOCX_LIMITS.paragraphs - 1);
      expect(await refusal(body(paragraphs(DOCX_LIMITS.paragraphs + 1)))).toMatchObject({ status: 413, code: DOCX_CODES.tooLarge, message: expect.stringContaining('paragraphs') });
      expect(await refusal(body('<w:p/>'.repeat(DOCX_LIMITS.xmlElements)))).toMatchObject({ status: 413, code: DOCX_CODES.tooLarge, message: expect.stringContaining('elements') });
    });

    it('refuses embedded objects and documents (altChunk, OLE) with 422 docx_embedded_object', async () => {
      const base = await docxOf([new Paragraph('texto')]);
      const altChunk = await edited(base, (files) => {
        files.set('word/document.xml', (files.get('word/document.xml') ?? '').replace('<w:body>', '<w:body><w:altChunk r:id="rIdX"/>'));
        files.set('word/_rels/document.xml.rels', (files.get('word/_rels/document.xml.rels') ?? '').replace('</Relationships>', '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="chunk.html"/></Relationships>'));
        files.set('word/chunk.html', '<p>otro documento</p>');
      });
      expect(await refusal(altChunk)).toMatchObject({ status: 422, code: DOCX_CODES.embedded, message: expect.stringContaining('altChunk') });
      const ole = await edited(base, (files) => {
        files.set('word/document.xml', (files.get('word/document.xml') ?? '').replace('<w:t xml:space="preserve">texto</w:t>', '<w:object><o:OLEObject Type="Embed" ProgID="Excel.Sheet.12"/></w:object>'));
      });
      expect(await refusal(ole)).toMatchObject({ status: 422, code: DOCX_CODES.embedded, message: expect.stringContaining('OLE') });
    });

    it('refuses a relationship to outside content other than a hyperlink (422 docx_external_content): nothing is fetched', async () => {
      const base = await docxOf([new Paragraph('texto')]);
      const linked = await edited(base, (files) => {
        files.set('word/_rels/document.xml.rels', (files.get('word/_rels/document.xml.rels') ?? '').replace('</Relationships>', '<Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="http://127.0.0.1:9/tracker.png" TargetMode="External"/></Relationships>'));
      });
      expect(await refusal(linked)).toMatchObject({ status: 422, code: DOCX_CODES.external, message: expect.stringContaining('image') });
    });

    it('leaves pictures out and counts them', async () => {
      const base = await docxOf([new Paragraph('texto')]);
      const pictured = await edited(base, (files) => {
        files.set('word/document.xml', (files.get('word/document.xml') ?? '').replace('<w:t xml:space="preserve">texto</w:t>', '<w:t xml:space="preserve">texto</w:t><w:drawing><wp:inline/></w:drawing>'));
      });
      const imported = await importDocx(pictured, { names: [] });
      expect(imported.drawings).toBe(1);
      expect(imported.sections[0]?.body).toEqual([p(['texto'])]);
    });
  });
});
