import { describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import { renderPdf } from '../../server/export/pdf.js';
import { FIXTURES, bigModel, expectGolden, fixture, fixtureModel, words } from '../support/export-fixtures.js';

async function pdfPages(buffer: Buffer): Promise<string[]> {
  const pdf = await getDocumentProxy(new Uint8Array(buffer));
  const { text } = await extractText(pdf, { mergePages: false });
  return text;
}

/** pdf.js gives superscript digits and ligature-free text; spaces vary with layout, words do not. */
const normalize = (pages: string[]) => pages.map((p) => p.replace(/\s+/g, ' ').trim());

describe('PDF export', () => {
  it('writes the fixtures with every accent, and the text matches the golden file', async () => {
    const pages = normalize(await pdfPages(await renderPdf(fixtureModel())));
    expectGolden('fixtures.pdf.txt', pages.map((p, i) => `--- page ${i + 1} ---\n${p}\n`).join(''));
    const all = pages.join(' ');
    expect(all).toContain('Taller de intercambio: sistemas de mercado y escalamiento');
    expect(all).toContain('21 de noviembre de 2025');
    expect(all).toContain('Grupo B: Cambio Sistémico');
    expect(all).toContain('diseño e implementación de la estrategia de intervención');
    expect(all).toContain('“dar señales”');
    expect(all).toMatch(/Marco regulatorio adecuado ?¹ ?y contexto favorable/);
    expect(all).toMatch(/1\. ?Ciertas normas pueden impedir el escalamiento\./);
    expect(pages.at(-1)).toContain(`Página ${pages.length} de ${pages.length}`);
  });

  it.each(FIXTURES)('keeps every word of $file', async ({ file, name }) => {
    const text = normalize(await pdfPages(await renderPdf(fixtureModel()))).join(' ');
    const start = text.indexOf(name);
    const end = FIXTURES.map((f) => text.indexOf(f.name)).find((i) => i > start) ?? text.length;
    const got = words(text.slice(start, end).replace(/Página \d+ de \d+/g, ' ').replace(/\bNotas\b/, ' ')).filter((w) => !/^\d+$/.test(w));
    expect(got.sort()).toEqual(words(fixture(file)).filter((w) => !/^\d+$/.test(w)).sort());
  });

  it('renders every block, the notes and the annex with accents, ñ, ¿ and ¡ intact', async () => {
    const all = normalize(await pdfPages(await renderPdf(fixtureModel({ features: true, annex: true })))).join(' ');
    for (const s of ['ÁÉÍÓÚÜÑ áéíóúüñ', '¿Qué formatos usamos?', 'Nota con acentos: ¿qué pasó? ¡Éxito! ñandú.', 'Sector privado | gremios', 'línea 2 con *asteriscos*', 'Anexo: tarjetas priorizadas', 'Liderazgo local', 'Íñigo']) {
      expect(all).toContain(s);
    }
  });

  // Its speed is measured by `npm run bench` (scenario 5), not here.
  it('exports a 50-group workshop whole: every group on its pages, numbered to the end', async () => {
    const pages = normalize(await pdfPages(await renderPdf(bigModel(50))));
    const all = pages.join(' ');
    expect(all.match(/Grupo [BDF]: (Cambio Sistémico|Escalamiento|Formatos)/g)?.length).toBeGreaterThanOrEqual(50);
    expect(all.match(/Grupo F: Formatos/g)?.length).toBeGreaterThanOrEqual(16);
    expect(pages.at(-1)).toContain(`Página ${pages.length} de ${pages.length}`);
  });
});
