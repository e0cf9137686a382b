import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { Packer, PrettifyType } from 'docx';
import { buildDocx, renderDocx } from '../../server/export/docx.js';
import type { Consolidated } from '../../shared/consolidated.js';
import { text as t } from '../../shared/rich-text.js';
import { bigModel, expectGolden, fixtureModel } from '../support/export-fixtures.js';

async function parts(buffer: Buffer | Uint8Array) {
  const zip = await JSZip.loadAsync(buffer);
  const read = async (name: string) => (await zip.file(name)?.async('string')) ?? '';
  return { names: Object.keys(zip.files), document: await read('word/document.xml'), footnotes: await read('word/footnotes.xml'), numbering: await read('word/numbering.xml'), rels: await read('word/_rels/document.xml.rels'), footer: await read('word/footer1.xml'), core: await read('docProps/core.xml'), styles: await read('word/styles.xml') };
}

/** The text of each <w:p>, runs joined. */
const paragraphTexts = (xml: string) =>
  [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''));

describe('DOCX export', () => {
  it('is a Word package whose document and footnotes match the golden files', async () => {
    const doc = await Packer.toBuffer(buildDocx(fixtureModel({ features: true, annex: true })), PrettifyType.WITH_2_BLANKS);
    const p = await parts(doc);
    expect(p.names).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'word/footnotes.xml', 'word/numbering.xml', 'word/styles.xml']));
    // Hyperlink relationship ids are random: the golden file holds a placeholder.
    expectGolden('features.document.xml', p.document.replace(/r:id="rId[^"]*"/g, 'r:id="rId…"'));
    expectGolden('features.footnotes.xml', p.footnotes);
  });

  it('writes real headings, lists and footnotes for the fixtures', async () => {
    const p = await parts(await renderDocx(fixtureModel()));
    const texts = paragraphTexts(p.document);
    expect(texts[0]).toBe('Taller de intercambio: sistemas de mercado y escalamiento');
    expect(p.document).toMatch(/<w:pStyle w:val="Title"\/>/);
    expect(p.document).toMatch(/<w:pStyle w:val="Heading1"\/><w:pageBreakBefore\/>|<w:pStyle w:val="Heading1"\/>/);
    expect((p.document.match(/<w:pStyle w:val="Heading1"\/>/g) ?? []).length).toBe(2);
    expect((p.document.match(/<w:pStyle w:val="Heading2"\/>/g) ?? []).length).toBe(1);
    // Bullets: a numbering reference on each item, level 1 for the single-space sub-bullets.
    expect((p.document.match(/<w:ilvl w:val="0"\/>/g) ?? []).length).toBe(7 + 8);
    expect((p.document.match(/<w:ilvl w:val="1"\/>/g) ?? []).length).toBe(5 + 5 + 3);
    expect(texts).toContain('adoptar una innovación, un modelo de negocio');
    // Real footnotes: references in the text, notes in footnotes.xml.
    expect(p.document).toMatch(/Marco regulatorio adecuado<\/w:t><\/w:r><w:r><w:rPr><w:rStyle w:val="FootnoteReference"\/><\/w:rPr><w:footnoteReference w:id="1"\/>/);
    expect(p.document).toContain('<w:footnoteReference w:id="2"/>');
    expect(p.footnotes).toMatch(/<w:footnote w:id="1">[\s\S]*Ciertas normas pueden impedir el escalamiento\.[\s\S]*<\/w:footnote>/);
    expect(p.footnotes).toContain('En determinados contextos, no es necesario que la estrategia incluya la articulación de actores para el escalamiento.');
    expect(p.footer).toContain('PAGE');
    expect(p.footer).toContain('NUMPAGES');
    expect(p.footer).toContain('Página ');
  });

  it('numbers ordered lists from their start, links web addresses, and keeps every accent', async () => {
    const p = await parts(await renderDocx(fixtureModel({ features: true })));
    expect(p.numbering).toMatch(/<w:start w:val="3"\/>/);
    expect(p.rels).toContain('Target="https://ejemplo.org/guía?x=1&amp;y=2"');
    expect(p.document).toContain('ÁÉÍÓÚÜÑ áéíóúüñ');
    expect(p.footnotes).toContain('Nota con acentos: ¿qué pasó? ¡Éxito! ñandú.');
  });

  it('writes tabs as Word tabs, rules as Horizontal Line paragraphs, and the workshop as author', async () => {
    const model = fixtureModel({ features: true });
    const tabbed: Consolidated = {
      ...model,
      groups: [
        ...model.groups,
        {
          ...(model.groups[2] as Consolidated['groups'][number]),
          id: 'tabs',
          sections: [{ heading: 'Tabulado', body: [{ type: 'paragraph', content: [t('Lugar\tAño'), t('\tTema', { bold: true })] }, { type: 'code', language: 'text', text: 'a\tb' }] }],
        },
      ],
    };
    const p = await parts(await renderDocx(tabbed));
    expect(p.document).not.toContain('\t');
    expect(p.document).toContain('<w:t xml:space="preserve">Lugar</w:t><w:tab/><w:t xml:space="preserve">Año</w:t>');
    expect(p.document).toMatch(/<w:b\/>(?:<w:bCs\/>)?<\/w:rPr><w:tab\/><w:t xml:space="preserve">Tema<\/w:t>/);
    expect(p.document).toContain('<w:t xml:space="preserve">a</w:t><w:tab/><w:t xml:space="preserve">b</w:t>');
    // The rule: a paragraph of the Horizontal Line style (no direct border), the border in the style.
    expect(p.document).toContain('<w:pStyle w:val="HorizontalLine"/>');
    expect(p.document).not.toContain('<w:pBdr>');
    expect(p.styles).toMatch(/<w:style w:type="paragraph" w:styleId="HorizontalLine">[\s\S]*?<w:name w:val="Horizontal Line"\/>[\s\S]*?<w:bottom [^>]*w:val="single"/);
    // Word's "Author" and "Last modified by" (on main: "Relatoría" and "Un-named").
    expect(p.core).toContain(`<dc:creator>${model.workshop.title}</dc:creator>`);
    expect(p.core).toContain(`<cp:lastModifiedBy>${model.workshop.title}</cp:lastModifiedBy>`);
  });

  // Its speed is measured by `npm run bench` (scenario 5), not here.
  it('exports a 50-group workshop whole: a heading paragraph for every group', async () => {
    const texts = paragraphTexts((await parts(await renderDocx(bigModel(50)))).document);
    expect(texts.filter((t) => /^Grupo [BDF]: /.test(t))).toHaveLength(50);
  });
});
