// The PDF pen: lays out rich-text blocks line by line itself (PDFKit only draws each
// line's runs), so that it decides every page break: a heading waits for what follows it
// and moves with its first lines, a paragraph never leaves one line alone at a page's foot
// or head, and a line that cites a footnote only stays on a page whose foot still holds the
// note. Notes are drawn at the end, at the foot of the page that cites them, linked both
// ways (one too long for a page's foot follows, small, the paragraph that cites it). Everything is tagged (H2–H6, P, L/LI/Lbl/LBody, Table/TR/TH/TD, Note) and the
// workshop, groups and sections become the outline (bookmarks).
import { normalizeInlines, type Block, type Inline } from '../../shared/rich-text.js';
import { PdfTable } from './pdf-table.js';
import { bodyHeadingDepth } from './outline.js';
import { STYLE, type FontName, type Run } from './pdf-style.js';
import { safeHref } from '../../shared/safe-href.js';

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const superscript = (n: number) => [...String(n)].map((d) => SUPERSCRIPT[Number(d)]).join('');
const BULLETS = ['•', '◦', '▪'];
/** Heading sizes by outline depth (1 the workshop's title, 2 a group, 3 a section, 4–6 a section's own). */
const HEADING_SIZE: Record<number, number> = { 1: 24, 2: 20, 3: 16, 4: 11.5, 5: 11, 6: 10.5 };
/** Space above the notes of a page: a short rule and a gap. */
const NOTE_RULE = 14;
const NOTE_GAP = 3;

type Align = 'left' | 'right' | 'center';
type Tag = PDFKit.PDFStructureElement;

interface Piece {
  run: Run;
  text: string;
  width: number;
  size: number;
}
interface Line {
  pieces: Piece[];
  /** Width without the trailing space. */
  width: number;
  notes: Note[];
  long: Note[];
}
interface Note {
  n: number;
  content: string;
  height: number;
  tag: Tag | null;
  /** Too long for a page's foot: set small right under the paragraph that cites it instead. */
  long: boolean;
}
interface Label {
  text: string;
  x: number;
  width: number;
  tag: Tag;
}
interface PendingHeading {
  runs: Run[];
  /** The indent where it was met: it is drawn later, maybe inside a list. */
  indent: number;
  /** Made when the heading is met, so that it stands before what follows in the structure. */
  tag: Tag;
  depth: number;
  bookmark: boolean;
  /** Named destination at the heading (a group's chapter, which the synthesis links to). */
  destination?: string;
}

export interface WriteOptions {
  size?: number;
  color?: string;
  align?: Align;
  x?: number;
  width?: number;
  gap?: number;
  /** Structure type of the paragraph (P, TD, Code…). */
  tag?: string;
  /** False in table cells: the row decided the page, the text just goes where it is put. */
  flow?: boolean;
  /** Grey band behind each line (code). */
  shade?: boolean;
  /** Lines set solid, one font height apart (code: a box-drawn diagram's lines meet). */
  solid?: boolean;
  /** Space before a heading that does not open a page. */
  before?: number;
  /** Drawn at the first line, left of it (a list item's marker), as the content of `tag` (an Lbl). */
  label?: Label;
  /** The structure element the paragraph fills (made beforehand), instead of a new one. */
  into?: Tag;
  /** Named destination at the first line (headings). */
  destination?: string;
}

/** Splits runs into unbreakable words: pieces from one or more runs with no space between them. */
interface Token {
  /** The run it comes from, itself: pieces of one run are drawn as one string. */
  run: Run;
  text: string;
  space: boolean;
}

function words(runs: Run[]): Array<Token[] | 'break'> {
  const out: Array<Token[] | 'break'> = [];
  let word: Token[] = [];
  let spaced = false; // the current word already ends in whitespace
  const push = () => {
    if (word.length > 0) out.push(word);
    word = [];
    spaced = false;
  };
  for (const run of runs) {
    run.text.replaceAll('\t', '    ').split('\n').forEach((part, i) => {
      if (i > 0) {
        push();
        out.push('break');
      }
      // Spaces end the word before them (a line never starts with one); leading spaces stand alone.
      for (const m of part.matchAll(/\S+|\s+/g)) {
        const token = m[0];
        const space = /^\s/.test(token);
        if (!space && spaced) push();
        word.push({ run, text: token, space });
        if (space) spaced = true;
      }
    });
  }
  push();
  return out;
}

/** What marks a code line that goes on from the line above (it was too long for the page). */
export const CODE_WRAP_MARK = '↪ ';

/**
 * A code block's lines for a band `columns` characters wide: tabs expanded to stops of 4,
 * every character kept in place, a longer line cut into pieces that start with CODE_WRAP_MARK.
 */
export function codeLines(code: string, columns: number): string[] {
  const out: string[] = [];
  for (const raw of code.split('\n')) {
    let line = '';
    for (const ch of raw) line += ch === '\t' ? ' '.repeat(4 - (line.length % 4)) : ch;
    const chars = [...line];
    if (chars.length <= columns) {
      out.push(line);
      continue;
    }
    out.push(chars.slice(0, columns).join(''));
    const step = Math.max(1, columns - [...CODE_WRAP_MARK].length);
    for (let i = columns; i < chars.length; i += step) out.push(CODE_WRAP_MARK + chars.slice(i, i + step).join(''));
  }
  return out;
}

/** The pen: a PDFKit document, the current left indent, the structure being built, the notes. */
export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  indent = 0;
  #nextNote = 1;
  /** Notes of the runs made but not yet laid out. */
  #waiting: Note[] = [];
  /** Notes placed on each page (index in the document). */
  #pageNotes: Note[][] = [];
  #pending: PendingHeading[] = [];
  readonly #tags: Tag[];
  readonly #bookmarks: Array<PDFKit.PDFOutline | null> = [];
  readonly #noContent: string;

  constructor(doc: PDFKit.PDFDocument, options: { noContent: string }) {
    this.doc = doc;
    this.#noContent = options.noContent;
    const root = doc.struct('Document');
    doc.addStructure(root);
    this.#tags = [root];
  }

  get left(): number {
    return STYLE.margin.left + this.indent;
  }
  get width(): number {
    return this.doc.page.width - STYLE.margin.left - STYLE.margin.right - this.indent;
  }
  get #page(): number {
    return this.doc.bufferedPageRange().count - 1;
  }
  /** Which page is being written (0 the first): a table repeats its header when this changes. */
  get pageIndex(): number {
    return this.#page;
  }
  #reserved(page = this.#page): number {
    const notes = this.#pageNotes[page] ?? [];
    return notes.length === 0 ? 0 : NOTE_RULE + notes.reduce((h, n) => h + n.height + NOTE_GAP, 0);
  }
  /** The lowest y the body may reach on this page: above the margin and the notes placed so far. */
  get bottom(): number {
    return this.doc.page.height - STYLE.margin.bottom - this.#reserved();
  }
  get #atTop(): boolean {
    return this.doc.y <= STYLE.margin.top + 0.5;
  }
  get #tag(): Tag {
    return this.#tags.at(-1) as Tag;
  }

  /** A new page; marked content open across the break goes on there (PDFKit closes and reopens it). */
  newPage(): void {
    this.doc.continueOnNewPage();
    this.doc.y = STYLE.margin.top;
  }

  /**
   * Makes room for `height` points (plus the notes they cite) before something is drawn:
   * a new page unless it fits. Headings waiting for content are drawn first, on the page
   * where their content starts.
   */
  ensure(height: number, notes: Note[] = []): void {
    const pending = this.#pending;
    this.#pending = [];
    const headings = pending.reduce((h, p, i) => h + this.#headingHeight(p, i === 0), 0);
    if (!this.#fits(height + headings, notes)) this.newPage();
    pending.forEach((p, i) => this.#drawHeading(p, i === 0));
  }

  #fits(height: number, notes: Note[]): boolean {
    if (this.#atTop) return true; // nothing would fit better on a fresh page
    const placed = this.#pageNotes[this.#page]?.length ?? 0;
    const noteHeight = notes.reduce((h, n) => h + n.height + NOTE_GAP, 0) + (placed === 0 && notes.length > 0 ? NOTE_RULE : 0);
    return this.doc.y + height + noteHeight <= this.bottom;
  }

  /** Notes cited by a line that is now on this page: they take room at its foot. */
  #place(notes: Note[]): void {
    if (notes.length === 0) return;
    const page = this.#page;
    (this.#pageNotes[page] ??= []).push(...notes);
    this.doc.page.margins.bottom = STYLE.margin.bottom + this.#reserved(page);
  }

  runs(content: Inline[], base: { bold?: boolean; italic?: boolean } = {}): Run[] {
    const out: Run[] = [];
    for (const inline of normalizeInlines(content)) {
      if (inline.type === 'hardBreak') {
        out.push({ text: '\n', font: 'regular' });
      } else if (inline.type === 'footnote') {
        const n = this.#nextNote++;
        const height = this.#noteHeight(n, inline.content);
        const long = height > (this.doc.page.height - STYLE.margin.top - STYLE.margin.bottom) / 3;
        this.#waiting.push({ n, content: inline.content, height: long ? 0 : height, tag: null, long });
        out.push({ text: superscript(n), font: base.bold ? 'bold' : 'regular', note: n });
      } else {
        const m = inline.marks ?? {};
        const bold = m.bold || base.bold;
        const italic = m.italic || base.italic;
        const font: FontName = m.code ? 'mono' : bold && italic ? 'boldItalic' : bold ? 'bold' : italic ? 'italic' : 'regular';
        const href = m.link ? safeHref(m.link) : null;
        // "#name" is a place in this document: a jump to its named destination, not a URI.
        const target = href?.startsWith('#') ? { goTo: href.slice(1) } : href ? { link: href } : {};
        out.push({ text: inline.text, font, ...target, underline: Boolean(m.underline || href), strike: Boolean(m.strike) });
      }
    }
    return out.filter((r) => r.text !== '');
  }

  #size(run: Run, size: number): number {
    return run.font === 'mono' ? size * 0.92 : size;
  }
  /** Widths by font, size and text: a document repeats its words, and measuring is most of the layout's time. */
  readonly #widths = new Map<string, number>();
  #measure(run: Run, text: string, size: number): number {
    const key = `${run.font}|${size}|${text}`;
    let width = this.#widths.get(key);
    if (width === undefined) {
      width = this.doc.font(run.font).fontSize(this.#size(run, size)).widthOfString(text);
      if (this.#widths.size > 50_000) this.#widths.clear(); // bounded on any input
      this.#widths.set(key, width);
    }
    return width;
  }
  /** How many monospaced characters fit in `width` at the code size (one under, so the greedy breaker never wraps). */
  #codeColumns(width: number): number {
    const run: Run = { text: 'M', font: 'mono' };
    return Math.max(8, Math.floor(width / this.#measure(run, 'M', STYLE.small)) - 1);
  }
  #lineHeight(size: number): number {
    return this.doc.font('regular').fontSize(size).currentLineHeight(true) + STYLE.lineGap;
  }

  /** Greedy line breaking; a word longer than the line is cut where it must. */
  #lines(runs: Run[], size: number, width: number): Line[] {
    const lines: Line[] = [];
    let line: Line = { pieces: [], width: 0, notes: [], long: [] };
    let trailing = 0; // width of the spaces ending the line so far
    const finish = () => {
      line.width -= trailing;
      lines.push(line);
      line = { pieces: [], width: 0, notes: [], long: [] };
      trailing = 0;
    };
    const add = (run: Run, text: string, width: number) => {
      const piece = { run, text, width, size };
      line.pieces.push(piece);
      line.width += piece.width;
      const note = run.note === undefined ? undefined : this.#waiting.find((n) => n.n === run.note);
      if (note && !note.long) line.notes.push(note);
      if (note?.long) line.long.push(note);
    };
    for (const word of words(runs)) {
      if (word === 'break') {
        finish();
        continue;
      }
      const pieces = word.map((token) => ({ ...token, width: this.#measure(token.run, token.text, size) }));
      const last = pieces.at(-1);
      const space = last?.space ? last.width : 0;
      const total = pieces.reduce((w, p) => w + p.width, 0);
      if (line.pieces.length > 0 && line.width - trailing + total - space > width) finish();
      if (total - space > width) {
        // Longer than a line: cut it character by character.
        for (const { run, text } of pieces) {
          for (const ch of text) {
            const w = this.#measure(run, ch, size);
            if (line.pieces.length > 0 && line.width + w > width) finish();
            add(run, ch, w);
          }
        }
        trailing = 0;
        continue;
      }
      for (const p of pieces) add(p.run, p.text, p.width);
      trailing = space;
    }
    if (line.pieces.length > 0 || lines.length === 0) finish();
    return lines;
  }

  /** The widest line the runs make unbroken, and their widest word (a table sizes its columns from them). */
  extent(runs: Run[], size: number = STYLE.body): { natural: number; word: number } {
    const natural = Math.max(0, ...this.#lines(runs, size, Number.POSITIVE_INFINITY).map((l) => l.width));
    let word = 0;
    for (const w of words(runs)) {
      if (w !== 'break') word = Math.max(word, w.reduce((sum, t) => sum + (t.space ? 0 : this.#measure(t.run, t.text, size)), 0));
    }
    return { natural, word };
  }

  /** Height the runs would take, and the notes they cite (table rows measure before drawing). */
  measure(runs: Run[], options: { size?: number; width?: number } = {}): { height: number; notes: Note[] } {
    const size = options.size ?? STYLE.body;
    const lines = this.#lines(runs, size, options.width ?? this.width);
    return { height: lines.length * this.#lineHeight(size), notes: lines.flatMap((l) => l.notes) };
  }

  /** Writes runs as one paragraph at the current position. */
  write(runs: Run[], options: WriteOptions = {}): void {
    const { doc } = this;
    if (runs.length === 0) return;
    const size = options.size ?? STYLE.body;
    const x = options.x ?? this.left;
    const width = options.width ?? this.width;
    const flow = options.flow ?? true;
    const lines = this.#lines(runs, size, width);
    const long = lines.flatMap((l) => l.long);
    this.#waiting = this.#waiting.filter((n) => !lines.some((l) => l.notes.includes(n)) && !long.includes(n));
    const lh = options.solid ? this.doc.font('mono').fontSize(size).currentLineHeight(false) : this.#lineHeight(size);
    if (flow) {
      // Never a lone first line at a page's foot: the first two lines go together.
      const head = lines.slice(0, 2);
      this.ensure(lh * head.length + (options.before ?? 0), head.flatMap((l) => l.notes));
      if (!this.#atTop) doc.y += options.before ?? 0;
    }
    const label = options.label;
    if (label) this.#fill(label.tag, 'Lbl', () => this.#label(label, size));
    const cited: Note[] = [];
    const tag = options.tag ?? 'P';
    const el = options.into ?? this.doc.struct(tag);
    if (!options.into) this.#tag.add(el);
    this.#fill(el, tag, () => {
      lines.forEach((line, i) => {
        if (flow && i > 0) {
          // Nor a lone last line at the head of the next: when the last two do not fit, both go.
          const rest = i === lines.length - 2 && lines.length >= 4 ? lines.slice(i, i + 2) : [line];
          if (!this.#fits(lh * rest.length, rest.flatMap((l) => l.notes))) this.newPage();
        }
        this.#place(line.notes);
        cited.push(...line.notes);
        this.#drawLine(line, { x, width, y: doc.y, lh, align: options.align ?? 'left', color: options.color, shade: options.shade ?? false, destination: i === 0 ? options.destination : undefined });
        doc.y += lh;
      });
    });
    // A cited note is tagged right after the paragraph that cites it; its text comes at the end.
    for (const note of cited) {
      note.tag = doc.struct('Note');
      this.#tag.add(note.tag);
    }
    doc.x = this.left;
    doc.y += options.gap ?? size * 0.55;
    for (const note of long) this.write(this.#noteRuns(note.n, note.content), { size: STYLE.small, tag: 'Note', x: this.left + 12, width: this.width - 12, color: STYLE.muted });
  }

  /** Structure element `type` under `parent`, with what `draw` paints as its content. */
  #leaf(type: string, parent: Tag, draw: () => void): void {
    const el = this.doc.struct(type);
    parent.add(el);
    this.#fill(el, type, draw);
  }

  /** Marks what `draw` paints as the content of `el`, and closes `el`. */
  #fill(el: Tag, type: string, draw: () => void): void {
    const content = this.doc.markStructureContent(type);
    draw();
    this.doc.endMarkedContent();
    el.add(content);
    el.end();
  }

  #label(label: Label, size: number): void {
    const { doc } = this;
    const { y } = doc;
    doc.font('regular').fontSize(size).fillColor(STYLE.ink);
    doc.text(label.text, label.x + label.width - this.#measure({ text: label.text, font: 'regular' }, label.text, size), y, { lineBreak: false });
    doc.y = y;
  }

  #drawLine(line: Line, at: { x: number; width: number; y: number; lh: number; align: Align; color: string | undefined; shade: boolean; destination: string | undefined }): void {
    const { doc } = this;
    if (at.shade) {
      doc.rect(at.x - 6, at.y - 1, at.width + 12, at.lh + 0.5).fill(STYLE.shade); // overlaps the next: one band
    }
    let x = at.align === 'right' ? at.x + at.width - line.width : at.align === 'center' ? at.x + (at.width - line.width) / 2 : at.x;
    // Consecutive pieces of one run are one string: fewer text objects, same glyphs.
    const merged: Piece[] = [];
    for (const p of line.pieces) {
      const prev = merged.at(-1);
      if (prev && prev.run === p.run) prev.text += p.text;
      else merged.push({ ...p });
    }
    const lastIndex = merged.length - 1;
    merged.forEach((p, i) => {
      const text = i === lastIndex ? p.text.trimEnd() : p.text;
      if (text === '') return;
      const run = p.run;
      const size = this.#size(run, p.size);
      doc.font(run.font).fontSize(size).fillColor(run.link || run.goTo || run.note !== undefined || run.back !== undefined ? STYLE.link : at.color ?? STYLE.ink);
      const options: PDFKit.Mixins.TextOptions = { lineBreak: false, underline: run.underline ?? false, strike: run.strike ?? false };
      if (run.link) options.link = run.link;
      if (run.goTo) options.goTo = run.goTo;
      if (run.note !== undefined) {
        options.goTo = `note-${run.note}`;
        options.destination = `cite-${run.note}`;
      } else if (run.back !== undefined) {
        options.goTo = `cite-${run.back}`;
        options.destination = `note-${run.back}`;
      } else if (i === 0 && at.destination) options.destination = at.destination;
      // Mono is set smaller: sit it on the same baseline.
      doc.text(text, x, at.y + (p.size - size) * 0.8, options);
      x += doc.widthOfString(text);
    });
    doc.fillColor(STYLE.ink);
  }

  #headingSize(depth: number): number {
    return HEADING_SIZE[depth] ?? STYLE.body;
  }
  #headingHeight(h: PendingHeading, first: boolean): number {
    const size = this.#headingSize(h.depth);
    const lines = this.#lines(h.runs, size, this.width + this.indent - h.indent).length;
    return (first ? size * 0.6 : 0) + lines * this.#lineHeight(size) + size * 0.35;
  }

  /**
   * A heading at `depth` (2 a group, 3 a section, 4–6 within a section). It is drawn when
   * what follows it is, on that page: a heading never ends a page.
   */
  heading(content: string | Run[], depth: number, options: { pageBreak?: boolean; bookmark?: boolean; destination?: string } = {}): void {
    const runs = (typeof content === 'string' ? [{ text: content, font: 'bold' as const }] : content).map((r) => ({ ...r, font: r.font === 'italic' || r.font === 'boldItalic' ? 'boldItalic' as const : r.font === 'mono' ? r.font : 'bold' as const }));
    if (runs.every((r) => r.text.trim() === '')) return;
    if (options.pageBreak) {
      this.ensure(0);
      this.newPage();
    }
    this.#pending.push({
      runs, indent: this.indent, depth, bookmark: options.bookmark ?? false, tag: this.#placeholder(`H${depth}`),
      ...(options.destination ? { destination: options.destination } : {}),
    });
  }

  /** The document's title: the outline's root, tagged H1. */
  title(text: string): void {
    this.#pending.push({ runs: [{ text, font: 'bold' }], indent: this.indent, depth: 1, bookmark: true, tag: this.#placeholder('H1') });
  }

  #placeholder(type: string): Tag {
    const el = this.doc.struct(type);
    this.#tag.add(el);
    return el;
  }

  #drawHeading(h: PendingHeading, first: boolean): void {
    const indent = this.indent;
    this.indent = h.indent;
    const size = this.#headingSize(h.depth);
    const before = first && !this.#atTop ? size * 0.6 : 0;
    this.doc.y += before;
    if (h.bookmark) this.#bookmark(h.runs.map((r) => (r.note === undefined ? r.text : '')).join(''), h.depth);
    this.write(h.runs, {
      size,
      color: h.depth <= 3 && h.depth > 1 ? '#1f3864' : STYLE.ink,
      gap: h.depth === 1 ? 4 : size * 0.35,
      tag: `H${Math.min(6, h.depth)}`,
      into: h.tag,
      flow: false,
      ...(h.destination ? { destination: h.destination } : {}),
    });
    this.indent = indent;
  }

  /** An outline item at the current position, under the last item one level up. */
  #bookmark(text: string, depth: number): void {
    const parent = this.#bookmarks.slice(0, depth - 1).reverse().find((b) => b !== null) ?? this.doc.outline;
    // PDFKit sets the destination from these: `top` below the page's top, `left` back from its right edge.
    const where: { expanded: boolean; top: number; left: number } = { expanded: depth <= 2, top: this.doc.y, left: this.doc.page.width };
    const item = parent.addItem(text, where);
    this.#bookmarks.length = depth - 1;
    this.#bookmarks[depth - 1] = item;
  }

  /** A group or section that ended with its heading still waiting says so in a line. */
  endSection(): void {
    if (this.#pending.some((h) => h.depth <= 3)) this.write([{ text: this.#noContent, font: 'italic' }], { color: STYLE.muted });
    else this.ensure(0);
  }

  /** Groups structure under one element (Sect, L, LI, Table…) while `inside` runs. */
  group(type: string, inside: () => void): void {
    const el = this.doc.struct(type);
    this.#tag.add(el);
    this.#tags.push(el);
    try {
      inside();
    } finally {
      this.#tags.pop();
    }
  }

  /** Decoration outside the text (rules, bars, cell borders): an artifact for screen readers. */
  artifact(draw: () => void, type: 'Layout' | 'Pagination' = 'Layout'): void {
    this.doc.markContent('Artifact', { type });
    draw();
    this.doc.endMarkedContent();
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
        this.heading(this.runs(b.content), bodyHeadingDepth(b.level));
        break;
      case 'list':
        this.group('L', () => {
          b.items.forEach((item, i) => {
            const depth = Math.round(this.indent / 18);
            const marker = b.ordered ? `${b.start + i}.` : (BULLETS[depth % BULLETS.length] ?? '•');
            this.group('LI', () => {
              const label: Label = { text: marker, x: this.left, width: 15, tag: this.#placeholder('Lbl') };
              this.indent += 18;
              this.group('LBody', () => {
                const [first, ...rest] = item;
                if (first?.type === 'paragraph' && first.content.length > 0) {
                  this.write(this.runs(first.content), { gap: 3, label });
                  this.blocks(rest);
                } else {
                  this.ensure(this.#lineHeight(STYLE.body));
                  this.#fill(label.tag, 'Lbl', () => this.#label(label, STYLE.body));
                  this.blocks(item);
                }
              });
              this.indent -= 18;
            });
          });
        });
        doc.y += STYLE.body * 0.3;
        break;
      case 'table':
        new PdfTable(this).draw(b);
        break;
      case 'code':
        // Kept line for line in a grey band; a line too long for the band goes on in the next
        // line behind a visible mark (codeLines), so nothing is drawn past the band or over it.
        this.write([{ text: codeLines(b.text, this.#codeColumns(this.width - 16)).join('\n'), font: 'mono' }], { size: STYLE.small, tag: 'Code', shade: true, solid: true, x: this.left + 8, width: this.width - 16, before: 3, gap: STYLE.body * 0.8 });
        break;
      case 'quote': {
        const page = this.#page;
        const top = doc.y;
        this.indent += 14;
        this.group('BlockQuote', () => this.blocks(b.content));
        this.indent -= 14;
        if (this.#page === page && doc.y > top) {
          this.artifact(() => doc.rect(this.left + 2, top, 3, doc.y - top - STYLE.body * 0.55).fill(STYLE.rule));
          doc.fillColor(STYLE.ink);
        }
        break;
      }
      case 'rule':
        this.ensure(16);
        doc.y += 6;
        this.artifact(() => doc.moveTo(this.left, doc.y).lineTo(this.left + this.width, doc.y).lineWidth(0.7).strokeColor(STYLE.rule).stroke());
        doc.y += 10;
        break;
    }
  }

  #noteRuns(n: number, content: string): Run[] {
    return [{ text: `${n}. `, font: 'bold', back: n }, { text: content, font: 'regular' }];
  }
  #noteHeight(n: number, content: string): number {
    const width = this.doc.page.width - STYLE.margin.left - STYLE.margin.right;
    return this.#lines(this.#noteRuns(n, content), STYLE.small, width).length * this.#lineHeight(STYLE.small);
  }

  /** Draws every page's notes at its foot (call once, when the body is laid out). */
  finish(): void {
    const { doc } = this;
    this.ensure(0);
    const range = doc.bufferedPageRange();
    this.#pageNotes.forEach((notes, page) => {
      if (!notes || notes.length === 0) return;
      doc.switchToPage(range.start + page);
      const x = STYLE.margin.left;
      const width = doc.page.width - STYLE.margin.left - STYLE.margin.right;
      let y = doc.page.height - STYLE.margin.bottom - this.#reserved(page) + 6;
      this.artifact(() => doc.moveTo(x, y).lineTo(x + 120, y).lineWidth(0.7).strokeColor(STYLE.rule).stroke());
      y += NOTE_RULE - 6;
      const lh = this.#lineHeight(STYLE.small);
      for (const note of notes) {
        const draw = () => {
          const lines = this.#lines(this.#noteRuns(note.n, note.content), STYLE.small, width);
          for (const line of lines) {
            this.#drawLine(line, { x, width, y, lh, align: 'left', color: STYLE.ink, shade: false, destination: undefined });
            y += lh;
          }
          y += NOTE_GAP;
        };
        if (note.tag) {
          note.tag.add(draw);
          note.tag.end();
        } else this.#leaf('Note', this.#tags[0] as Tag, draw);
      }
    });
    (this.#tags[0] as Tag).end();
  }
}
