// The PDF pen: writes rich-text blocks with PDFKit at the current position, keeps the
// current indent (lists, quotes) and collects the footnotes of the group being written.
import { normalizeInlines, type Block, type Inline } from '../../shared/rich-text.js';
import { PdfTable } from './pdf-table.js';
import { bodyHeadingDepth } from './outline.js';
import { STYLE, type FontName, type Run } from './pdf-style.js';
import { safeHref } from '../../shared/safe-href.js';

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const superscript = (n: number) => [...String(n)].map((d) => SUPERSCRIPT[Number(d)]).join('');
const BULLETS = ['•', '◦', '▪'];

/** The pen: a PDFKit document, the current left indent, and the notes of the current group. */
export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  indent = 0;
  notes: Array<{ n: number; content: string }> = [];
  #nextNote = 1;

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc;
  }

  get left(): number {
    return STYLE.margin.left + this.indent;
  }
  get width(): number {
    return this.doc.page.width - STYLE.margin.left - STYLE.margin.right - this.indent;
  }
  get bottom(): number {
    return this.doc.page.height - STYLE.margin.bottom;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  runs(content: Inline[], base: { bold?: boolean; italic?: boolean } = {}): Run[] {
    const out: Run[] = [];
    for (const inline of normalizeInlines(content)) {
      if (inline.type === 'hardBreak') {
        out.push({ text: '\n', font: 'regular' });
      } else if (inline.type === 'footnote') {
        const n = this.#nextNote++;
        this.notes.push({ n, content: inline.content });
        out.push({ text: superscript(n), font: base.bold ? 'bold' : 'regular' });
      } else {
        const m = inline.marks ?? {};
        const bold = m.bold || base.bold;
        const italic = m.italic || base.italic;
        const font: FontName = m.code ? 'mono' : bold && italic ? 'boldItalic' : bold ? 'bold' : italic ? 'italic' : 'regular';
        const href = m.link ? safeHref(m.link) : null;
        out.push({ text: inline.text, font, ...(href ? { link: href } : {}), underline: Boolean(m.underline || href), strike: Boolean(m.strike) });
      }
    }
    return out.filter((r) => r.text !== '');
  }

  /** Writes runs as one paragraph at the current position, wrapped to `width`. */
  write(runs: Run[], options: { size?: number; color?: string; align?: 'left' | 'right' | 'center'; x?: number; width?: number; gap?: number } = {}): void {
    const { doc } = this;
    const size = options.size ?? STYLE.body;
    const x = options.x ?? this.left;
    const width = options.width ?? this.width;
    if (runs.length === 0) return;
    this.ensure(size * 1.4);
    // Hard breaks: each line its own chain of runs (a trailing "\n" in a continued run is laid out as a space).
    const lines: Run[][] = [[]];
    for (const run of runs) {
      run.text.split('\n').forEach((part, i) => {
        if (i > 0) lines.push([]);
        if (part !== '') lines.at(-1)?.push({ ...run, text: part });
      });
    }
    for (const line of lines) {
      if (line.length === 0) {
        doc.font('regular').fontSize(size);
        doc.y += doc.currentLineHeight(true) + STYLE.lineGap;
        continue;
      }
      line.forEach((run, i) => {
        doc.font(run.font).fontSize(run.font === 'mono' ? size * 0.92 : size).fillColor(run.link ? STYLE.link : options.color ?? STYLE.ink);
        const opts: PDFKit.Mixins.TextOptions = {
          width,
          align: options.align ?? 'left',
          lineGap: STYLE.lineGap,
          continued: i < line.length - 1,
          link: run.link ?? null,
          underline: run.underline ?? false,
          strike: run.strike ?? false,
        };
        if (i === 0) doc.text(run.text, x, doc.y, opts);
        else doc.text(run.text, opts);
      });
    }
    doc.fillColor(STYLE.ink);
    doc.y += options.gap ?? size * 0.55;
  }

  heading(text: string, level: number, options: { pageBreak?: boolean } = {}): void {
    const size = STYLE.heading[Math.min(5, Math.max(0, level - 1))] ?? STYLE.body;
    if (options.pageBreak) this.doc.addPage();
    else {
      this.doc.y += size * 0.6;
      this.ensure(size * 1.6 + STYLE.body * 4); // keep a heading with what follows
    }
    this.write([{ text, font: 'bold' }], { size, color: level <= 2 ? '#1f3864' : STYLE.ink, gap: size * 0.35 });
  }

  blocks(blocks: Block[]): void {
    for (const b of blocks) this.block(b);
  }

  block(b: Block): void {
    const { doc } = this;
    switch (b.type) {
      case 'paragraph':
        this.write(this.runs(b.content));
        break;
      case 'heading':
        this.heading(this.runs(b.content).map((r) => r.text).join(''), bodyHeadingDepth(b.level));
        break;
      case 'list':
        b.items.forEach((item, i) => {
          const depth = Math.round(this.indent / 18);
          const marker = b.ordered ? `${b.start + i}.` : (BULLETS[depth % BULLETS.length] ?? '•');
          this.ensure(STYLE.body * 1.6);
          const y = doc.y;
          doc.font('regular').fontSize(STYLE.body).fillColor(STYLE.ink).text(marker, this.left, y, { width: 15, align: 'right', lineBreak: false });
          doc.y = y;
          this.indent += 18;
          const [first, ...rest] = item;
          if (first?.type === 'paragraph') this.write(this.runs(first.content), { gap: 3 });
          this.blocks(first?.type === 'paragraph' ? rest : item);
          this.indent -= 18;
        });
        doc.y += STYLE.body * 0.3;
        break;
      case 'table':
        new PdfTable(this).draw(b);
        break;
      case 'code': {
        doc.font('mono').fontSize(STYLE.small);
        const height = doc.heightOfString(b.text, { width: this.width - 16, lineGap: 1.5 }) + 12;
        if (height < this.bottom - STYLE.margin.top) this.ensure(height);
        const top = doc.y;
        if (top + height <= this.bottom) doc.rect(this.left, top, this.width, height).fill(STYLE.shade);
        doc.fillColor(STYLE.ink).font('mono').fontSize(STYLE.small).text(b.text, this.left + 8, top + 6, { width: this.width - 16, lineGap: 1.5 });
        doc.y = Math.max(doc.y, top + height) + STYLE.body * 0.55;
        break;
      }
      case 'quote': {
        const page = doc.bufferedPageRange().count;
        const top = doc.y;
        this.indent += 14;
        this.blocks(b.content);
        this.indent -= 14;
        if (doc.bufferedPageRange().count === page) {
          doc.rect(this.left + 2, top, 3, doc.y - top - STYLE.body * 0.55).fill(STYLE.rule);
          doc.fillColor(STYLE.ink);
        }
        break;
      }
      case 'rule':
        this.ensure(16);
        doc.y += 6;
        doc.moveTo(this.left, doc.y).lineTo(this.left + this.width, doc.y).lineWidth(0.7).strokeColor(STYLE.rule).stroke();
        doc.y += 10;
        break;
    }
  }

  /** The current group's notes, under a small heading; numbering goes on in the next group. */
  flushNotes(title: string): void {
    if (this.notes.length === 0) return;
    // Keep a short list of notes together; a long one starts where it fits a few lines.
    this.doc.font('regular').fontSize(STYLE.small);
    const height = 30 + this.notes.reduce((h, { content }) => h + this.doc.heightOfString(`00. ${content}`, { width: this.width, lineGap: STYLE.lineGap }) + 3, 0);
    this.ensure(height < (this.bottom - STYLE.margin.top) / 3 ? height : STYLE.body * 4);
    this.doc.y += 6;
    this.doc.moveTo(this.left, this.doc.y).lineTo(this.left + 120, this.doc.y).lineWidth(0.7).strokeColor(STYLE.rule).stroke();
    this.doc.y += 6;
    this.write([{ text: title, font: 'bold' }], { size: STYLE.small, gap: 3 });
    for (const { n, content } of this.notes) this.write([{ text: `${n}. `, font: 'bold' }, { text: content, font: 'regular' }], { size: STYLE.small, gap: 3 });
    this.notes = [];
  }
}

