// A Word document's body → the rich-text model, in reading order: headings (by style
// name, or outline level), paragraphs with bold, italic, underline, strike and links,
// nested lists (Word's numbering), tables (merged cells as spans), quotes, code, rules
// (a 'Horizontal Line' paragraph, as our DOCX export writes one), and footnotes and
// endnotes as the board's own footnotes. Read straight from the XML rather than through
// mammoth, whose HTML output drops what a round trip needs (a list's start, a cell's
// alignment, tabs) and whose unzipping has no limits.
//
// Nothing outside the file is ever fetched: a hyperlink is only an address (kept when
// shared/safe-href.ts allows it); an embedded object (OLE, ActiveX, altChunk, subdocument)
// or a relationship to outside content other than a hyperlink is refused (422); drawings
// and pictures are left out and counted.
import { DOCX_CODES } from '../../shared/docx-import.js';
import { IMPORT_LIMIT_CODES, MARKDOWN_STRUCTURE_LIMITS } from '../../shared/import-limits.js';
import { normalizeInlines, text, type Align, type Block, type Inline, type Marks, type TableCell } from '../../shared/rich-text.js';
import { safeHref } from '../../shared/safe-href.js';
import { HttpError } from '../http/http-error.js';
import {
  EMBEDDING_ELEMENTS, MONOSPACE, ROLE_BY_NAME, embedded, readNumbering, readRelationships,
  type Numbering, type ParagraphRole, type Relationship, type StyleInfo,
} from './docx-parts.js';
import { alignLikeMarkdown, padRows } from './docx-table.js';
import { child, elements, parseXml, textOf, toggle, val, type XmlElement } from './docx-xml.js';

/** What the body reads as, before it is cut into sections: blocks, and headings with their depth. */
export type DocItem =
  | { type: 'block'; block: Block }
  /** Depth as in Markdown: the Title style is 1, Heading N is N + 1 (our export's outline: shared/outline). */
  | { type: 'heading'; depth: number; role: 'title' | 'subtitle' | 'heading'; content: Inline[] }
  /** A group's guiding question, as our export writes it (its own paragraph style). */
  | { type: 'question'; content: Inline[] }
  /** A board's own title under its group's name, as our export writes it (its own paragraph style). */
  | { type: 'boardTitle'; content: Inline[] };

export interface DocBody {
  items: DocItem[];
  /** Drawings, pictures, charts and text boxes left out. */
  drawings: number;
}

/** One paragraph as read: its role, list place, indentation and inline content. */
interface Para {
  role: ParagraphRole;
  /** A code paragraph's language: our export names it in the style ("Code (python)"). */
  language?: string;
  /** Heading level 1–9 (Heading N, or outline level N − 1). */
  level: number;
  list: { numId: string; ilvl: number } | null;
  /** Left indentation in twips (our export indents a list item's further paragraphs by 720 a level). */
  indent: number;
  align: Align | null;
  content: Inline[];
}

type BodyEntry = { type: 'para'; para: Para } | { type: 'table'; block: Block };

interface Field {
  /** Reading the field's instruction, or its shown result. */
  inResult: boolean;
  instr: string;
  link?: string;
}

/** A hyperlink's address, kept only when it is an absolute address the link policy allows. */
function linkTarget(target: string | undefined): string | undefined {
  if (!target || !/^[a-z][a-z0-9+.-]*:/i.test(target.trim())) return undefined;
  return safeHref(target) ?? undefined;
}

const ALIGNS: Record<string, Align> = { left: 'left', start: 'left', center: 'center', right: 'right', end: 'right' };

class DocxReader {
  readonly #styles = new Map<string, StyleInfo>();
  readonly #numbering: Numbering;
  readonly #rels: Map<string, Relationship>;
  readonly #notes = new Map<string, string>();
  #noteCount = 0;
  drawings = 0;
  #fields: Field[] = [];
  /** Relationships of the part being read (the body's, or the notes' while a note is read). */
  #currentRels: Map<string, Relationship>;

  constructor(parts: Map<string, string>) {
    this.#rels = readRelationships(parts.get('word/_rels/document.xml.rels'), 'word/_rels/document.xml.rels');
    this.#currentRels = this.#rels;
    this.#numbering = readNumbering(parts.get('word/numbering.xml'));
    const styles = parts.get('word/styles.xml');
    if (styles) {
      for (const s of elements(parseXml(styles, 'word/styles.xml'), 'w:style')) {
        const id = s.attrs['w:styleId'];
        if (id) this.#styles.set(id, { name: val(s, 'w:name') ?? id, basedOn: val(s, 'w:basedOn'), pPr: child(s, 'w:pPr'), rPr: child(s, 'w:rPr') });
      }
    }
    for (const [kind, part] of [['footnote', 'footnotes'], ['endnote', 'endnotes']] as const) {
      const source = parts.get(`word/${part}.xml`);
      if (!source) continue;
      const rels = readRelationships(parts.get(`word/_rels/${part}.xml.rels`), `word/_rels/${part}.xml.rels`);
      for (const note of elements(parseXml(source, `word/${part}.xml`), `w:${kind}`)) {
        const type = note.attrs['w:type'];
        if (type && type !== 'normal') continue; // separators
        if (++this.#noteCount > MARKDOWN_STRUCTURE_LIMITS.footnoteDefinitions) {
          throw new HttpError(422, IMPORT_LIMIT_CODES.footnoteDefinitions, `The document has more than ${MARKDOWN_STRUCTURE_LIMITS.footnoteDefinitions} notes`);
        }
        this.#currentRels = rels;
        this.#notes.set(`${kind}:${note.attrs['w:id'] ?? ''}`, this.#noteText(note));
        this.#currentRels = this.#rels;
      }
    }
  }

  /** The style chain of a paragraph or run style, nearest first (bounded: a loop in basedOn ends). */
  #chain(id: string | undefined): StyleInfo[] {
    const out: StyleInfo[] = [];
    for (let s = id ? this.#styles.get(id) : undefined; s && out.length < 16; s = s.basedOn ? this.#styles.get(s.basedOn) : undefined) out.push(s);
    return out;
  }

  #noteText(note: XmlElement): string {
    const parts: string[] = [];
    const walk = (el: XmlElement) => {
      for (const c of elements(el)) {
        if (c.name === 'w:p') {
          const inlines = this.#inlines(c, {}, true);
          parts.push(inlines.map((i) => (i.type === 'text' ? i.text : ' ')).join(''));
        } else if (c.name === 'w:tbl' || c.name === 'w:tr' || c.name === 'w:tc' || c.name === 'w:sdt' || c.name === 'w:sdtContent') walk(c);
      }
    };
    walk(note);
    return parts.join(' ').replace(/\s+/g, ' ').trim();
  }

  /** The body's paragraphs and tables, in order. */
  body(document: XmlElement): DocItem[] {
    const body = child(document, 'w:body');
    if (!body) throw new HttpError(400, DOCX_CODES.notDocx, 'The file is not a Word document (.docx): word/document.xml has no body');
    return this.#items(this.#entries(body, 0));
  }

  #entries(container: XmlElement, tableDepth: number): BodyEntry[] {
    const out: BodyEntry[] = [];
    const walk = (el: XmlElement) => {
      for (const c of elements(el)) {
        if (EMBEDDING_ELEMENTS[c.name]) throw embedded(EMBEDDING_ELEMENTS[c.name] as string);
        if (c.name === 'w:p') out.push({ type: 'para', para: this.#para(c) });
        else if (c.name === 'w:tbl') out.push({ type: 'table', block: this.#table(c, tableDepth + 1) });
        else if (c.name === 'w:sdt') walk(child(c, 'w:sdtContent') ?? c);
        else if (c.name === 'w:customXml' || c.name === 'w:ins' || c.name === 'w:moveTo' || c.name === 'w:smartTag') walk(c);
      }
    };
    walk(container);
    return out;
  }

  #para(p: XmlElement): Para {
    const pPr = child(p, 'w:pPr');
    const chain = this.#chain(val(pPr, 'w:pStyle'));
    let role: ParagraphRole = 'paragraph';
    let language: string | undefined;
    let level = 0;
    const outline = [pPr, ...chain.map((s) => s.pPr)].map((x) => val(x, 'w:outlineLvl')).find((v) => v !== undefined);
    for (const s of chain) {
      const heading = /^heading\s*([1-9])$/i.exec(s.name.trim());
      if (heading) {
        role = 'heading';
        level = Number(heading[1]);
        break;
      }
      const code = /^code \((.+)\)$/i.exec(s.name.trim());
      if (code) {
        role = 'code';
        language = code[1];
        break;
      }
      const named = ROLE_BY_NAME.find(([re]) => re.test(s.name.trim()));
      if (named) {
        role = named[1];
        break;
      }
    }
    if (role === 'paragraph' && outline !== undefined && Number(outline) < 9) {
      role = 'heading';
      level = Number(outline) + 1;
    }
    const numPr = child(pPr, 'w:numPr') ?? chain.map((s) => child(s.pPr, 'w:numPr')).find((n) => n !== undefined);
    const numId = val(numPr, 'w:numId');
    const list = numId !== undefined && numId !== '0' ? { numId, ilvl: Math.min(8, Math.max(0, Number(val(numPr, 'w:ilvl') ?? 0) || 0)) } : null;
    const ind = child(pPr, 'w:ind');
    const indent = Number(ind?.attrs['w:left'] ?? ind?.attrs['w:start'] ?? 0) || 0;
    const align = ALIGNS[val(pPr, 'w:jc') ?? ''] ?? null;
    return { role, ...(language !== undefined ? { language } : {}), level, list, indent, align, content: this.#inlines(p, {}, false) };
  }

  /** Marks a run's properties (and its character style) give. */
  #marks(rPr: XmlElement | undefined, base: Marks): Marks {
    const m: Marks = { ...base };
    // A link's style (underlined, blue) is how a link looks, not a mark of its own.
    const styles = this.#chain(val(rPr, 'w:rStyle')).filter((s) => !/hyperlink/i.test(s.name));
    const layers = [...styles.reverse().map((s) => s.rPr), rPr];
    for (const style of this.#chain(val(rPr, 'w:rStyle'))) {
      if (/^strong$/i.test(style.name)) m.bold = true;
      if (/^emphasis$/i.test(style.name)) m.italic = true;
    }
    for (const layer of layers) {
      const set = (name: keyof Omit<Marks, 'link'>, on: boolean | undefined) => {
        if (on === true) m[name] = true;
        else if (on === false) delete m[name];
      };
      set('bold', toggle(layer, 'w:b'));
      set('italic', toggle(layer, 'w:i'));
      set('strike', toggle(layer, 'w:strike') ?? toggle(layer, 'w:dstrike'));
      const u = val(layer, 'w:u');
      if (child(layer, 'w:u')) set('underline', u !== 'none');
      const fonts = child(layer, 'w:rFonts');
      const font = fonts?.attrs['w:ascii'] ?? fonts?.attrs['w:hAnsi'];
      if (font !== undefined) set('code', MONOSPACE.test(font.trim()));
    }
    return m;
  }

  /** A paragraph's inline content; inside a note, references to other notes are left out. */
  #inlines(p: XmlElement, base: Marks, inNote: boolean): Inline[] {
    const out: Inline[] = [];
    const fieldLink = () => this.#fields.findLast((f) => f.inResult && f.link)?.link;
    const hidden = () => this.#fields.some((f) => !f.inResult);
    const run = (r: XmlElement, marks: Marks) => {
      const m = this.#marks(child(r, 'w:rPr'), marks);
      const link = m.link ?? fieldLink();
      const withLink = link ? { ...m, link } : m;
      for (const c of elements(r)) {
        if (EMBEDDING_ELEMENTS[c.name]) throw embedded(EMBEDDING_ELEMENTS[c.name] as string);
        switch (c.name) {
          case 'w:fldChar': {
            const type = c.attrs['w:fldCharType'];
            if (type === 'begin') this.#fields.push({ inResult: false, instr: '' });
            else if (type === 'separate') {
              const f = this.#fields.at(-1);
              if (f) {
                f.inResult = true;
                f.link = hyperlinkField(f.instr);
              }
            } else if (type === 'end') this.#fields.pop();
            break;
          }
          case 'w:instrText': {
            const f = this.#fields.at(-1);
            if (f && !f.inResult && f.instr.length < 4096) f.instr += textOf(c);
            break;
          }
          case 'w:t':
            if (!hidden()) out.push(text(textOf(c), withLink));
            break;
          case 'w:tab':
          case 'w:ptab':
            if (!hidden()) out.push(text('\t', withLink));
            break;
          case 'w:noBreakHyphen':
            if (!hidden()) out.push(text('-', withLink));
            break;
          case 'w:br':
          case 'w:cr': {
            const type = c.attrs['w:type'];
            if (!hidden() && type !== 'page' && type !== 'column') out.push({ type: 'hardBreak' });
            break;
          }
          case 'w:footnoteReference':
          case 'w:endnoteReference': {
            if (inNote) break;
            const kind = c.name === 'w:footnoteReference' ? 'footnote' : 'endnote';
            const note = this.#notes.get(`${kind}:${c.attrs['w:id'] ?? ''}`);
            if (note !== undefined) out.push({ type: 'footnote', content: note });
            break;
          }
          case 'w:drawing':
          case 'w:pict':
          case 'mc:AlternateContent':
            if (findEmbedding(c)) throw embedded(findEmbedding(c) as string);
            this.drawings++;
            break;
          default:
            break; // w:delText (a deletion), w:lastRenderedPageBreak, w:softHyphen, properties
        }
      }
    };
    const walk = (el: XmlElement, marks: Marks) => {
      for (const c of elements(el)) {
        if (EMBEDDING_ELEMENTS[c.name]) throw embedded(EMBEDDING_ELEMENTS[c.name] as string);
        switch (c.name) {
          case 'w:r':
            run(c, marks);
            break;
          case 'w:hyperlink': {
            const rel = c.attrs['r:id'] ? this.#currentRels.get(c.attrs['r:id']) : undefined;
            const link = rel?.type === 'hyperlink' ? linkTarget(rel.target) : undefined;
            walk(c, link ? { ...marks, link } : marks);
            break;
          }
          case 'w:fldSimple': {
            const link = hyperlinkField(c.attrs['w:instr'] ?? '');
            walk(c, link ? { ...marks, link } : marks);
            break;
          }
          case 'w:ins':
          case 'w:moveTo':
          case 'w:smartTag':
          case 'w:customXml':
          case 'w:dir':
          case 'w:bdo':
            walk(c, marks);
            break;
          case 'w:sdt':
            walk(child(c, 'w:sdtContent') ?? c, marks);
            break;
          default:
            break; // w:pPr, w:del, w:moveFrom, bookmarks, proofing marks, math
        }
      }
    };
    walk(p, base);
    return normalizeInlines(out);
  }

  #table(tbl: XmlElement, depth: number): Block {
    if (depth > MARKDOWN_STRUCTURE_LIMITS.depth) {
      throw new HttpError(422, IMPORT_LIMIT_CODES.depth, `The document has tables nested more than ${MARKDOWN_STRUCTURE_LIMITS.depth} deep`);
    }
    const rows: TableCell[][] = [];
    /** For each grid column, the cell a vertical merge continues (and the row it started in). */
    const merging = new Map<number, TableCell>();
    const rowsOf = (el: XmlElement): XmlElement[] =>
      elements(el).flatMap((c) => (c.name === 'w:tr' ? [c] : c.name === 'w:sdt' ? rowsOf(child(c, 'w:sdtContent') ?? c) : c.name === 'w:customXml' || c.name === 'w:ins' ? rowsOf(c) : []));
    const cellsOf = (el: XmlElement): XmlElement[] =>
      elements(el).flatMap((c) => (c.name === 'w:tc' ? [c] : c.name === 'w:sdt' ? cellsOf(child(c, 'w:sdtContent') ?? c) : c.name === 'w:customXml' || c.name === 'w:ins' ? cellsOf(c) : []));
    for (const tr of rowsOf(tbl)) {
      const header = toggle(child(tr, 'w:trPr'), 'w:tblHeader') === true;
      const row: TableCell[] = [];
      let column = 0;
      for (const tc of cellsOf(tr)) {
        const tcPr = child(tc, 'w:tcPr');
        const colspan = Math.max(1, Math.min(MARKDOWN_STRUCTURE_LIMITS.tableColumns, Number(val(tcPr, 'w:gridSpan') ?? 1) || 1));
        const vMerge = child(tcPr, 'w:vMerge');
        const continues = vMerge !== undefined && (vMerge.attrs['w:val'] ?? 'continue') === 'continue';
        const origin = merging.get(column);
        if (continues && origin) {
          origin.rowspan++;
          column += colspan;
          continue;
        }
        const entries = this.#entries(tc, depth);
        const firstPara = entries.find((e) => e.type === 'para');
        let content = this.#items(entries).flatMap((i): Block[] =>
          i.type === 'block' ? [i.block] : [{ type: 'paragraph', content: i.content }],
        );
        if (content.length === 0) content = [{ type: 'paragraph', content: [] }];
        const cell: TableCell = { header, colspan, rowspan: 1, align: firstPara?.type === 'para' ? firstPara.para.align : null, content };
        if (vMerge !== undefined) merging.set(column, cell);
        else merging.delete(column);
        row.push(cell);
        column += colspan;
      }
      if (column > MARKDOWN_STRUCTURE_LIMITS.tableColumns) {
        throw new HttpError(422, IMPORT_LIMIT_CODES.tableColumns, `The document has a table of more than ${MARKDOWN_STRUCTURE_LIMITS.tableColumns} columns`);
      }
      rows.push(row);
    }
    return { type: 'table', rows: alignLikeMarkdown(padRows(rows)) };
  }

  /** Entries → blocks and headings: list paragraphs into nested lists, runs of quote or code paragraphs into one block. */
  #items(entries: BodyEntry[]): DocItem[] {
    const out: DocItem[] = [];
    type Open = { level: number; numId: string; list: Extract<Block, { type: 'list' }> };
    let open: Open[] = [];
    const push = (block: Block) => out.push({ type: 'block', block });
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as BodyEntry;
      if (entry.type === 'table') {
        open = [];
        push(entry.block);
        continue;
      }
      const p = entry.para;
      if (p.role === 'quote') {
        const group: BodyEntry[] = [];
        for (; i < entries.length; i++) {
          const e = entries[i] as BodyEntry;
          if (e.type !== 'para' || e.para.role !== 'quote') break;
          group.push({ type: 'para', para: { ...e.para, role: 'paragraph' } });
        }
        i--;
        open = [];
        const content = this.#items(group).flatMap((x): Block[] => (x.type === 'block' ? [x.block] : []));
        if (content.length > 0) push({ type: 'quote', content });
        continue;
      }
      if (p.role === 'code') {
        const language = p.language ?? '';
        const lines: string[] = [];
        for (; i < entries.length; i++) {
          const e = entries[i] as BodyEntry;
          if (e.type !== 'para' || e.para.role !== 'code') break;
          lines.push(e.para.content.map((x) => (x.type === 'text' ? x.text : x.type === 'hardBreak' ? '\n' : '')).join(''));
        }
        i--;
        open = [];
        push({ type: 'code', language, text: lines.join('\n') });
        continue;
      }
      if (p.role === 'question' || p.role === 'boardTitle') {
        open = [];
        if (p.content.length > 0) out.push({ type: p.role, content: p.content });
        continue;
      }
      if (p.role === 'rule') {
        open = [];
        push({ type: 'rule' });
        continue;
      }
      if (p.role === 'title' || p.role === 'subtitle' || p.role === 'heading') {
        open = [];
        if (p.content.length === 0) continue;
        out.push({ type: 'heading', role: p.role, depth: p.role === 'heading' ? p.level + 1 : 1, content: p.content });
        continue;
      }
      if (p.list) {
        const kind = this.#numbering.levels.get(p.list.numId)?.get(p.list.ilvl) ?? { ordered: false, start: 1 };
        const level = p.list.ilvl;
        while (open.length > 0 && (open.at(-1) as Open).level > level) open.pop();
        const top = open.at(-1);
        const item: Block[] = [{ type: 'paragraph', content: p.content }];
        if (top && top.level === level && top.numId === p.list.numId) {
          top.list.items.push(item);
          continue;
        }
        if (top && top.level === level) open.pop();
        const list: Open['list'] = { type: 'list', ordered: kind.ordered, start: kind.ordered ? kind.start : 1, items: [item] };
        const parent = open.at(-1);
        if (parent) (parent.list.items.at(-1) as Block[]).push(list);
        else push(list);
        open.push({ level, numId: p.list.numId, list });
        continue;
      }
      if (p.content.length === 0) {
        open = []; // spacing, not content; it ends a list (our export writes one between two lists)
        continue;
      }
      // A paragraph indented under an open list item continues that item (as our export writes one).
      while (open.length > 0 && p.indent < ((open.at(-1) as Open).level + 1) * 720) open.pop();
      const holder = open.at(-1);
      if (holder) (holder.list.items.at(-1) as Block[]).push({ type: 'paragraph', content: p.content });
      else push({ type: 'paragraph', content: p.content });
    }
    return out;
  }
}

/** `HYPERLINK "https://…" \o "tip"` → the address; other fields have none. */
function hyperlinkField(instr: string): string | undefined {
  const m = /^\s*HYPERLINK\s+(?:\\[a-z]\s+)*"([^"]*)"/i.exec(instr) ?? /^\s*HYPERLINK\s+([^\s"\\]+)/i.exec(instr);
  return linkTarget(m?.[1]);
}

/** What embedded object a drawing or alternate content holds, if any. */
function findEmbedding(el: XmlElement): string | undefined {
  const stack = [el];
  for (let e = stack.pop(); e; e = stack.pop()) {
    if (EMBEDDING_ELEMENTS[e.name]) return EMBEDDING_ELEMENTS[e.name];
    for (const c of elements(e)) stack.push(c);
  }
  return undefined;
}

/** Reads a .docx's unpacked parts (docx-zip.ts) into blocks and headings. */
export function readDocxBody(parts: Map<string, string>): DocBody {
  const reader = new DocxReader(parts);
  const document = parseXml(parts.get('word/document.xml') ?? '', 'word/document.xml');
  if (document.name !== 'w:document') throw new HttpError(400, DOCX_CODES.notDocx, 'The file is not a Word document (.docx): word/document.xml is not a WordprocessingML document');
  const items = reader.body(document);
  return { items, drawings: reader.drawings };
}
