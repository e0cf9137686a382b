// Tables for the PDF: columns sized to their content (columnWidths), a spanning cell taking
// its columns' width; each row measured before it is drawn so that it starts on a new page
// when it does not fit, where the table's header rows are drawn again first; tagged
// Table/TR/TH/TD, the borders and shading artifacts.
import type { AnnexCard } from '../../shared/consolidated.js';
import type { Block, Inline } from '../../shared/rich-text.js';
import type { Labels } from './labels.js';
import { STYLE, type Run } from './pdf-style.js';
import type { PdfWriter } from './pdf-writer.js';

interface Cell {
  runs: Run[];
  span: number;
  header: boolean;
  align: 'left' | 'center' | 'right';
}

const PAD = 4;

/**
 * Column widths that add up to `total`: each column gets at least its widest word (all of
 * them scaled down together when even that is too wide) and the rest is shared in
 * proportion to how much more its longest unbroken line wants, so a narrow column of
 * years stays narrow and a column of sentences takes the room.
 */
export function columnWidths(extents: Array<{ natural: number; word: number }>, total: number): number[] {
  const n = extents.length;
  if (n === 0) return [];
  const min = extents.map((e) => Math.max(e.word, 12));
  const want = extents.map((e, i) => Math.max(e.natural, min[i] ?? 0));
  const sumWant = want.reduce((a, b) => a + b, 0);
  if (sumWant <= total) return want.map((w) => w + (total - sumWant) * (sumWant > 0 ? w / sumWant : 1 / n));
  const sumMin = min.reduce((a, b) => a + b, 0);
  if (sumMin >= total) return min.map((m) => (m / sumMin) * total);
  const extra = want.map((w, i) => w - (min[i] ?? 0));
  const sumExtra = extra.reduce((a, b) => a + b, 0);
  return min.map((m, i) => m + ((extra[i] ?? 0) / sumExtra) * (total - sumMin));
}

/** A cell's blocks as lines of inline content (lists and nested tables flattened). */
function cellLines(blocks: Block[]): Inline[][] {
  const lines: Inline[][] = [];
  const walk = (bs: Block[], prefix: string) => {
    for (const b of bs) {
      if (b.type === 'paragraph' || b.type === 'heading') lines.push(prefix ? [{ type: 'text', text: prefix }, ...b.content] : b.content);
      else if (b.type === 'code') lines.push([{ type: 'text', text: b.text, marks: { code: true } }]);
      else if (b.type === 'list') b.items.forEach((item, i) => walk(item, b.ordered ? `${b.start + i}. ` : '• '));
      else if (b.type === 'quote') walk(b.content, prefix);
      else if (b.type === 'table') b.rows.forEach((row) => row.forEach((c) => walk(c.content, prefix)));
    }
  };
  walk(blocks, '');
  return lines;
}

export class PdfTable {
  readonly #pen: PdfWriter;

  constructor(pen: PdfWriter) {
    this.#pen = pen;
  }

  draw(table: Extract<Block, { type: 'table' }>): void {
    const rows = table.rows.map((row) =>
      row.map((cell, c): Cell => {
        const runs = cellLines(cell.content).flatMap((line, i) => [
          ...(i > 0 ? [{ text: '\n', font: 'regular' as const }] : []),
          ...this.#pen.runs(line, { bold: cell.header }),
        ]);
        return { runs, span: cell.colspan, header: cell.header, align: cell.align ?? table.rows[0]?.[c]?.align ?? 'left' };
      }),
    );
    this.#rows(rows);
  }

  drawAnnex(cards: AnnexCard[], labels: Labels): void {
    const cell = (text: string, header: boolean, align: Cell['align'] = 'left'): Cell => ({ runs: [{ text, font: header ? 'bold' : 'regular' }], span: 1, header, align });
    this.#rows(
      [
        [cell(labels.rank, true, 'right'), cell(labels.card, true), cell(labels.dots, true, 'right'), cell(labels.voters, true, 'right'), cell(labels.author, true)],
        ...cards.map((c, i) => [cell(String(i + 1), false, 'right'), cell(c.text, false), cell(String(c.dots), false, 'right'), cell(String(c.voters), false, 'right'), cell(c.author, false)]),
      ],
      [0.08, 0.5, 0.12, 0.12, 0.18],
    );
  }

  /** Each column's widest unbroken line and widest word, from the cells that span it alone. */
  #extents(rows: Cell[][], columns: number): Array<{ natural: number; word: number }> {
    const out = Array.from({ length: columns }, () => ({ natural: 0, word: 0 }));
    for (const row of rows) {
      let col = 0;
      for (const cell of row) {
        const was = out[col];
        if (cell.span === 1 && was) {
          const e = this.#pen.extent(cell.runs);
          out[col] = { natural: Math.max(was.natural, e.natural + 2 * PAD + 1), word: Math.max(was.word, e.word + 2 * PAD + 1) };
        }
        col += cell.span;
      }
    }
    return out;
  }

  #rows(rows: Cell[][], fractions?: number[]): void {
    const pen = this.#pen;
    const { doc } = pen;
    const columns = Math.max(1, ...rows.map((r) => r.reduce((n, c) => n + c.span, 0)));
    const widths = fractions ? fractions.map((f) => pen.width * f) : columnWidths(this.#extents(rows, columns), pen.width);
    // The header rows a table opens with are drawn again at the top of each page it goes on to.
    const headerCount = rows.findIndex((r) => !r.every((c) => c.header));
    const header = headerCount > 0 ? rows.slice(0, headerCount) : [];
    pen.group('Table', () => {
      rows.forEach((row, index) => this.#row(row, widths, index >= header.length ? header : []));
    });
    doc.y += STYLE.body * 0.6;
  }

  /** One row, whole on one page; on a new page `header` goes first. */
  #row(row: Cell[], widths: number[], header: Cell[][]): void {
    const pen = this.#pen;
    const { doc } = pen;
    let x = pen.left;
    const placed = row.map((cell, i) => {
      const start = row.slice(0, i).reduce((n, c) => n + c.span, 0);
      const width = widths.slice(start, start + cell.span).reduce((a, b) => a + b, 0);
      const measured = cell.runs.length === 0 ? { height: STYLE.body, notes: [] } : pen.measure(cell.runs, { width: width - 2 * PAD });
      const at = { cell, x, width, ...measured };
      x += width;
      return at;
    });
    const height = Math.max(...placed.map((p) => p.height)) + 2 * PAD;
    // A row is never split: it goes whole to the next page, with the notes it cites.
    const page = pen.pageIndex;
    pen.ensure(height, placed.flatMap((p) => p.notes));
    if (pen.pageIndex !== page && header.length > 0) {
      for (const h of header) this.#row(h, widths, []);
      pen.ensure(height, placed.flatMap((p) => p.notes));
    }
    const top = doc.y;
    pen.artifact(() => {
      for (const p of placed) {
        if (p.cell.header) doc.rect(p.x, top, p.width, height).fill(STYLE.shade);
        doc.rect(p.x, top, p.width, height).lineWidth(0.6).strokeColor(STYLE.rule).stroke();
      }
    });
    pen.group('TR', () => {
      for (const p of placed) {
        pen.group(p.cell.header ? 'TH' : 'TD', () => {
          doc.y = top + PAD;
          pen.write(p.cell.runs, { x: p.x + PAD, width: p.width - 2 * PAD, align: p.cell.align, gap: 0, flow: false });
        });
      }
    });
    doc.x = pen.left;
    doc.y = top + height;
  }
}
