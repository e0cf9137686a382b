// A plain, typed model of a section's rich text: what Tiptap writes into a board,
// without Yjs. Exports render it, the Markdown import produces it, the JSON archive
// stores it, and `rich-text-yjs.ts` converts it to and from a board's Y.XmlFragment.
// Imports nothing.

/** Tiptap node and mark names, as Tiptap 3 (StarterKit, extension-table) writes them. */
export const NODE = {
  paragraph: 'paragraph',
  heading: 'heading',
  bulletList: 'bulletList',
  orderedList: 'orderedList',
  listItem: 'listItem',
  blockquote: 'blockquote',
  codeBlock: 'codeBlock',
  hardBreak: 'hardBreak',
  horizontalRule: 'horizontalRule',
  table: 'table',
  tableRow: 'tableRow',
  tableHeader: 'tableHeader',
  tableCell: 'tableCell',
  /** Our inline atom (client/lib/editor/footnote.ts); the note's text is its `content` attribute. */
  footnote: 'footnote',
} as const;
export const FOOTNOTE_CONTENT_ATTR = 'content';

export const MARK_NAMES = ['bold', 'italic', 'strike', 'code', 'underline'] as const;
export type MarkName = (typeof MARK_NAMES)[number];

/** Formatting of a text run: flags, and a link's address. */
export type Marks = { [K in MarkName]?: true } & { link?: string };

export type Inline =
  | { type: 'text'; text: string; marks?: Marks }
  | { type: 'footnote'; content: string }
  | { type: 'hardBreak' };

export type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;
export type Align = 'left' | 'center' | 'right';

export interface TableCell {
  header: boolean;
  colspan: number;
  rowspan: number;
  align: Align | null;
  content: Block[];
}

export type Block =
  | { type: 'paragraph'; content: Inline[] }
  | { type: 'heading'; level: HeadingLevel; content: Inline[] }
  /** Each item is a list of blocks; the first is a paragraph (Tiptap's `listItem` demands it). */
  | { type: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { type: 'table'; rows: TableCell[][] }
  | { type: 'code'; language: string; text: string }
  | { type: 'quote'; content: Block[] }
  | { type: 'rule' };

export const headingLevel = (n: unknown): HeadingLevel => {
  const v = typeof n === 'number' ? Math.round(n) : Number.parseInt(String(n), 10);
  return (Number.isFinite(v) ? Math.min(6, Math.max(1, v)) : 1) as HeadingLevel;
};

export const marksEqual = (a: Marks | undefined, b: Marks | undefined): boolean => {
  for (const name of MARK_NAMES) if (Boolean(a?.[name]) !== Boolean(b?.[name])) return false;
  return (a?.link ?? '') === (b?.link ?? '');
};

const hasMarks = (m: Marks | undefined): m is Marks =>
  m !== undefined && (MARK_NAMES.some((n) => m[n]) || (m.link ?? '') !== '');

/** Only the set flags, in a fixed order: two equal formattings compare equal as values. */
export function cleanMarks(m: Marks | undefined): Marks | undefined {
  if (!hasMarks(m)) return undefined;
  const out: Marks = {};
  for (const name of MARK_NAMES) if (m[name]) out[name] = true;
  if (m.link) out.link = m.link;
  return out;
}

export function text(value: string, marks?: Marks): Inline {
  const m = cleanMarks(marks);
  return m ? { type: 'text', text: value, marks: m } : { type: 'text', text: value };
}

/** Adjacent runs of equal formatting merged, empty runs dropped. */
export function normalizeInlines(inlines: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const inline of inlines) {
    if (inline.type !== 'text') {
      out.push(inline);
      continue;
    }
    if (inline.text === '') continue;
    const last = out.at(-1);
    if (last?.type === 'text' && marksEqual(last.marks, inline.marks)) out[out.length - 1] = text(last.text + inline.text, last.marks);
    else out.push(text(inline.text, inline.marks));
  }
  return out;
}

/** The text of inline content; a footnote reads as nothing, a hard break as a newline. */
export function inlineText(inlines: Inline[]): string {
  let s = '';
  for (const i of inlines) s += i.type === 'text' ? i.text : i.type === 'hardBreak' ? '\n' : '';
  return s;
}

/** Every block's text, one per line, footnotes included (for word counts and search). */
export function blocksText(blocks: Block[]): string {
  const lines: string[] = [];
  const inline = (content: Inline[]) =>
    content.map((i) => (i.type === 'text' ? i.text : i.type === 'hardBreak' ? '\n' : ` ${i.content}`)).join('');
  const walk = (bs: Block[]) => {
    for (const b of bs) {
      switch (b.type) {
        case 'paragraph':
        case 'heading':
          lines.push(inline(b.content));
          break;
        case 'list':
          for (const item of b.items) walk(item);
          break;
        case 'table':
          for (const row of b.rows) for (const cell of row) walk(cell.content);
          break;
        case 'code':
          lines.push(b.text);
          break;
        case 'quote':
          walk(b.content);
          break;
        case 'rule':
          break;
      }
    }
  };
  walk(blocks);
  return lines.join('\n');
}

/**
 * How deep a section body's XML may nest, a fragment's children being at depth 1: the
 * server removes deeper nodes and readers skip them (rich-text-yjs.ts MAX_BODY_DEPTH). In
 * the model a quote takes one level (blockquote), a list two (list, item), a table three
 * (table, row, cell); a paragraph one more, an inline node in it one more.
 */
export const MAX_XML_DEPTH = 64;
const LEVELS = { quote: 1, list: 2, table: 3 } as const;

/** The leaf blocks (paragraphs, headings, code, rules) under `blocks`, in reading order, walked without recursion. */
export function leafBlocks(blocks: Block[]): Block[] {
  const out: Block[] = [];
  const stack: Block[] = [...blocks].reverse();
  for (let b = stack.pop(); b !== undefined; b = stack.pop()) {
    switch (b.type) {
      case 'quote':
        for (let i = b.content.length - 1; i >= 0; i--) stack.push(b.content[i] as Block);
        break;
      case 'list':
        for (let i = b.items.length - 1; i >= 0; i--) {
          const item = b.items[i] as Block[];
          for (let j = item.length - 1; j >= 0; j--) stack.push(item[j] as Block);
        }
        break;
      case 'table':
        for (let r = b.rows.length - 1; r >= 0; r--) {
          const row = b.rows[r] as TableCell[];
          for (let c = row.length - 1; c >= 0; c--) {
            const content = (row[c] as TableCell).content;
            for (let j = content.length - 1; j >= 0; j--) stack.push(content[j] as Block);
          }
        }
        break;
      default:
        out.push(b);
    }
  }
  return out;
}

/**
 * The blocks with their containers taking at most `levels` XML levels: a container that
 * would go deeper gives way to its leaf blocks, every word kept (only hostile input nests
 * so: an import refuses more than 30 levels of quotes and lists). So what the server writes
 * is never skipped by a reader, and no recursive writer or exporter runs out of stack.
 */
export function capDepth(blocks: Block[], levels: number = MAX_XML_DEPTH - 2, used = 0): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.type !== 'quote' && b.type !== 'list' && b.type !== 'table') out.push(b);
    else if (used + LEVELS[b.type] > levels) for (const leaf of leafBlocks([b])) out.push(leaf);
    else if (b.type === 'quote') out.push({ type: 'quote', content: capDepth(b.content, levels, used + LEVELS.quote) });
    else if (b.type === 'list') out.push({ ...b, items: b.items.map((item) => capDepth(item, levels, used + LEVELS.list)) });
    else out.push({ type: 'table', rows: b.rows.map((row) => row.map((cell) => ({ ...cell, content: capDepth(cell.content, levels, used + LEVELS.table) }))) });
  }
  return out;
}

/** True when the blocks hold nothing but empty paragraphs. */
export function isBlank(blocks: Block[]): boolean {
  return blocks.every((b) => b.type === 'paragraph' && b.content.length === 0);
}

/**
 * What the board editor's schema holds (client/lib/editor/rich-text-editor.svelte.ts:
 * StarterKit without `code` and `codeBlock`, heading levels 2 and 3). y-prosemirror
 * deletes from the shared doc any node or text whose node or mark type the editor
 * does not know, so the server writes nothing else to a board.
 */
export const EDITOR_SCHEMA = { headingLevels: [2, 3] as const, codeBlocks: false, inlineCode: false } as const;

/** The blocks reshaped to what the editor holds, keeping every word: a code block becomes lines of text, and nothing nests deeper than MAX_XML_DEPTH. */
export function fitToEditor(blocks: Block[]): Block[] {
  const [minLevel, maxLevel] = [Math.min(...EDITOR_SCHEMA.headingLevels), Math.max(...EDITOR_SCHEMA.headingLevels)];
  const inlines = (content: Inline[]): Inline[] =>
    EDITOR_SCHEMA.inlineCode
      ? content
      : normalizeInlines(content.map((i) => (i.type === 'text' && i.marks?.code ? text(i.text, { ...i.marks, code: undefined }) : i)));
  const fit = (b: Block): Block => {
    switch (b.type) {
      case 'paragraph':
        return { type: 'paragraph', content: inlines(b.content) };
      case 'heading':
        return { type: 'heading', level: headingLevel(Math.min(maxLevel, Math.max(minLevel, b.level))), content: inlines(b.content) };
      case 'list':
        return { ...b, items: b.items.map((item) => item.map(fit)) };
      case 'table':
        return { type: 'table', rows: b.rows.map((row) => row.map((cell) => ({ ...cell, content: cell.content.map(fit) }))) };
      case 'quote':
        return { type: 'quote', content: b.content.map(fit) };
      case 'code':
        if (EDITOR_SCHEMA.codeBlocks) return b;
        return {
          type: 'paragraph',
          content: normalizeInlines(b.text.split('\n').flatMap((line, i): Inline[] => [...(i > 0 ? [{ type: 'hardBreak' } as const] : []), text(line)])),
        };
      case 'rule':
        return b;
    }
  };
  return capDepth(blocks).map(fit);
}
