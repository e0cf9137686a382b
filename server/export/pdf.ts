// Consolidated → PDF, laid out on the server by PDFKit (pure JS) with the DejaVu
// fonts of the `dejavu-fonts-ttf` package embedded (subset): every Spanish and Portuguese character,
// and the superscript digits the footnote marks use. A4; the title on top, each group
// from a new page, footnotes at the foot of the page that cites them, "Página n de m" at
// the foot of every page. Tagged (PDF/UA-style structure, the language, the title shown
// as the window's title) with an outline: workshop › groups › sections.
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { groupSubtitle, groupTitle, type Consolidated } from '../../shared/consolidated.js';
import { clusterBlocks } from './annex-clusters.js';
import { citedChapters, recommendationBlocks } from './synthesis-blocks.js';
import { dateLine, labelsFor } from './labels.js';
import { GROUP_DEPTH, SECTION_DEPTH } from './outline.js';
import { PdfTable } from './pdf-table.js';
import { FONT_FILES, STYLE, fontDir } from './pdf-style.js';
import { PdfWriter } from './pdf-writer.js';

export function renderPdf(model: Consolidated): Promise<Buffer> {
  const w = model.workshop;
  const labels = labelsFor(w.language);
  const doc = new PDFDocument({
    size: 'A4',
    margins: STYLE.margin,
    bufferPages: true,
    autoFirstPage: true,
    lang: w.language,
    displayTitle: true,
    tagged: true,
    pdfVersion: '1.7',
    info: { Title: w.title, Author: 'Relatoría', Subject: dateLine(w), Creator: 'Relatoría', CreationDate: new Date(w.createdAt) },
  });
  const dir = fontDir();
  for (const [name, file] of Object.entries(FONT_FILES)) doc.registerFont(name, join(dir, file));
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const pen = new PdfWriter(doc, { noContent: labels.noContent });
  // Each cited chapter's heading is a named destination; the recommendations link to it.
  const chapters = citedChapters(model, (i) => `grupo-${i + 1}`);
  pen.title(w.title);
  pen.write([{ text: dateLine(w), font: 'regular' }], { size: 11, color: STYLE.muted, gap: 14 });
  if (model.synthesis) {
    const s = model.synthesis;
    pen.group('Sect', () => {
      pen.heading(labels.synthesis, GROUP_DEPTH, { bookmark: true });
      if (s.title.trim() !== '') pen.write([{ text: s.title, font: 'bold' }]);
      for (const sec of s.sections) {
        pen.heading(sec.heading, SECTION_DEPTH, { bookmark: true });
        pen.blocks(sec.body);
        pen.endSection();
      }
      if (s.items.length > 0) {
        pen.heading(labels.recommendations, SECTION_DEPTH, { bookmark: true });
        pen.blocks(recommendationBlocks(s.items, labels, (id) => {
          const name = chapters.get(id);
          return name ? `#${name}` : null;
        }));
        pen.endSection();
      }
      pen.endSection();
    });
  }
  model.groups.forEach((g, i) => {
    pen.group('Sect', () => {
      const destination = chapters.get(g.id);
      pen.heading(groupTitle(g), GROUP_DEPTH, { pageBreak: i > 0 || model.synthesis !== undefined, bookmark: true, ...(destination ? { destination } : {}) });
      if (groupSubtitle(g)) pen.write([{ text: groupSubtitle(g), font: 'bold' }]);
      if (g.question) pen.write([{ text: g.question, font: 'italic' }], { color: STYLE.muted });
      for (const s of g.sections) {
        pen.heading(s.heading, SECTION_DEPTH, { bookmark: true });
        pen.blocks(s.body);
        pen.endSection();
      }
      pen.endSection();
    });
  });
  if (model.annex) {
    const annex = model.annex;
    pen.group('Sect', () => {
      pen.heading(labels.annex, GROUP_DEPTH, { pageBreak: true, bookmark: true });
      for (const g of annex) {
        pen.heading(g.title, SECTION_DEPTH, { bookmark: true });
        if (g.cards.length === 0) pen.write([{ text: labels.noCards, font: 'italic' }]);
        else new PdfTable(pen).drawAnnex(g.cards, labels);
        if (g.clusters) pen.blocks(clusterBlocks(g.clusters, labels));
      }
      pen.endSection();
    });
  }
  pen.finish();

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    doc.page.margins.bottom = 0;
    pen.artifact(() =>
      doc.font('regular').fontSize(8.5).fillColor(STYLE.muted)
        .text(labels.page(i + 1, range.count), STYLE.margin.left, doc.page.height - 44, { width: doc.page.width - STYLE.margin.left - STYLE.margin.right, align: 'center', lineBreak: false }),
      'Pagination',
    );
  }
  doc.end();
  return done;
}
