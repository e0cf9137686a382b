// Consolidated → PDF, laid out on the server by PDFKit (pure JS) with the DejaVu
// fonts of the `dejavu-fonts-ttf` package embedded (subset): every Spanish character,
// and the superscript digits the footnote marks use. A4; the title on top, each group
// from a new page, its notes at its end, "Página n de m" at the foot of every page.
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { groupTitle, type Consolidated } from '../../shared/consolidated.js';
import { dateLine, labelsFor } from './labels.js';
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

  const pen = new PdfWriter(doc);
  pen.write([{ text: w.title, font: 'bold' }], { size: 24, gap: 4 });
  pen.write([{ text: dateLine(w), font: 'regular' }], { size: 11, color: STYLE.muted, gap: 14 });
  model.groups.forEach((g, i) => {
    pen.heading(groupTitle(g), 1, { pageBreak: i > 0 });
    if (g.question) pen.write([{ text: g.question, font: 'italic' }], { color: STYLE.muted });
    for (const s of g.sections) {
      if (s.heading.trim() !== '') pen.heading(s.heading, 2);
      pen.blocks(s.body);
    }
    pen.flushNotes(labels.notes);
  });
  if (model.annex) {
    pen.heading(labels.annex, 1, { pageBreak: true });
    for (const g of model.annex) {
      pen.heading(g.title, 2);
      if (g.cards.length === 0) pen.write([{ text: labels.noCards, font: 'italic' }]);
      else new PdfTable(pen).drawAnnex(g.cards, labels);
    }
  }

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(8.5).fillColor(STYLE.muted)
      .text(labels.page(i + 1, range.count), STYLE.margin.left, doc.page.height - 44, { width: doc.page.width - STYLE.margin.left - STYLE.margin.right, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
