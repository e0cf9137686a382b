// Rich text ⇄ the Y.XmlFragment Tiptap binds to, in the shape y-prosemirror
// (@tiptap/y-tiptap) gives it: a node is a Y.XmlElement named after the node type,
// its attributes set when not null; text is a Y.XmlText whose delta carries marks as
// formatting attributes ({bold: {}}, {link: {href}}); a mark that may overlap itself
// is stored as `name--<hash>`. Reading is lenient (user-written data: an unknown node
// keeps its words); writing produces only what Tiptap's schema accepts.
import * as Y from 'yjs';
import {
  FOOTNOTE_CONTENT_ATTR,
  MARK_NAMES,
  MAX_XML_DEPTH,
  capDepth,
  NODE,
  headingLevel,
  normalizeInlines,
  text,
  type Align,
  type Block,
  type Inline,
  type MarkName,
  type Marks,
  type TableCell,
} from './rich-text.js';

type XmlParent = Y.XmlFragment | Y.XmlElement;

/**
 * How deep a body's nodes may nest (a fragment's children are at depth 1). The server
 * removes deeper ones (server/docsync/shape-check.ts) and readers skip them, so reading
 * a body never recurses past this (a crafted board could otherwise overflow the stack).
 */
export const MAX_BODY_DEPTH = MAX_XML_DEPTH;
type XmlNode = Y.XmlElement | Y.XmlText;

const children = (n: XmlParent): XmlNode[] =>
  n.toArray().filter((c): c is XmlNode => c instanceof Y.XmlElement || c instanceof Y.XmlText);

const attrString = (el: Y.XmlElement, name: string): string => {
  const v: unknown = el.getAttribute(name);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
};
const attrInt = (el: Y.XmlElement, name: string, fallback: number, min: number, max: number): number => {
  const raw: unknown = el.getAttribute(name);
  const v = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number.parseInt(raw, 10) : Number.NaN;
  return Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : fallback;
};
const align = (v: unknown): Align | null => (v === 'left' || v === 'center' || v === 'right' ? v : null);

const MARK_HASH = /--[a-zA-Z0-9+/=]{8}$/;

function marksOf(attributes: unknown): Marks | undefined {
  if (typeof attributes !== 'object' || attributes === null) return undefined;
  const marks: Marks = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    const name = key.replace(MARK_HASH, '');
    if ((MARK_NAMES as readonly string[]).includes(name)) marks[name as MarkName] = true;
    else if (name === 'link' && typeof value === 'object') {
      const href: unknown = (value as { href?: unknown }).href;
      if (typeof href === 'string' && href !== '') marks.link = href;
    }
  }
  return marks;
}

// ---- Y → model -------------------------------------------------------------------

function readInlines(nodes: XmlNode[], depth: number): Inline[] {
  const out: Inline[] = [];
  const walk = (list: XmlNode[], at: number) => {
    if (at > MAX_BODY_DEPTH) return;
    for (const child of list) {
      if (child instanceof Y.XmlText) {
        for (const op of child.toDelta() as Array<{ insert?: unknown; attributes?: unknown }>) {
          if (typeof op.insert === 'string') out.push(text(op.insert, marksOf(op.attributes)));
        }
      } else if (child.nodeName === NODE.footnote) {
        out.push({ type: 'footnote', content: attrString(child, FOOTNOTE_CONTENT_ATTR) });
      } else if (child.nodeName === NODE.hardBreak) {
        out.push({ type: 'hardBreak' });
      } else {
        walk(children(child), at + 1); // an inline node we do not know: keep its words
      }
    }
  };
  walk(nodes, depth);
  return normalizeInlines(out);
}

function plainCodeText(el: Y.XmlElement, depth: number): string {
  let s = '';
  if (depth >= MAX_BODY_DEPTH) return s;
  for (const child of children(el)) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as Array<{ insert?: unknown }>) if (typeof op.insert === 'string') s += op.insert;
    } else s += plainCodeText(child, depth + 1);
  }
  return s;
}

function readCell(el: Y.XmlElement, depth: number): TableCell {
  return {
    header: el.nodeName === NODE.tableHeader,
    colspan: attrInt(el, 'colspan', 1, 1, 1000),
    rowspan: attrInt(el, 'rowspan', 1, 1, 1000),
    align: align(el.getAttribute('align')),
    content: readBlocks(el, depth),
  };
}

/** The blocks an element at `depth` reads as (its children are at depth + 1). */
function readBlock(el: Y.XmlElement, depth: number): Block[] {
  const inner = depth + 1;
  switch (el.nodeName) {
    case NODE.paragraph:
      return [{ type: 'paragraph', content: readInlines(children(el), inner) }];
    case NODE.heading:
      return [{ type: 'heading', level: headingLevel(el.getAttribute('level')), content: readInlines(children(el), inner) }];
    case NODE.bulletList:
    case NODE.orderedList: {
      const ordered = el.nodeName === NODE.orderedList;
      const items = children(el).map((item): Block[] =>
        item instanceof Y.XmlElement ? readBlocks(item, inner + 1) : [{ type: 'paragraph', content: readInlines([item], inner) }],
      );
      return [{ type: 'list', ordered, start: ordered ? attrInt(el, 'start', 1, 0, 1e9) : 1, items }];
    }
    case NODE.blockquote:
      return [{ type: 'quote', content: readBlocks(el, inner) }];
    case NODE.codeBlock:
      return [{ type: 'code', language: attrString(el, 'language'), text: plainCodeText(el, depth) }];
    case NODE.horizontalRule:
      return [{ type: 'rule' }];
    case NODE.table: {
      const rows = children(el)
        .filter((r): r is Y.XmlElement => r instanceof Y.XmlElement)
        .map((row) => children(row).filter((c): c is Y.XmlElement => c instanceof Y.XmlElement).map((cell) => readCell(cell, inner + 2)))
        .filter((row) => row.length > 0);
      return rows.length > 0 ? [{ type: 'table', rows }] : [];
    }
    default: {
      // Unknown node: a container of blocks keeps them, anything else becomes a paragraph.
      const kids = children(el);
      if (kids.length > 0 && kids.every((k) => k instanceof Y.XmlElement && isBlockName(k.nodeName))) return readBlocks(el, inner);
      const content = readInlines(children(el), inner);
      return content.length > 0 ? [{ type: 'paragraph', content }] : [];
    }
  }
}

const BLOCK_NAMES: ReadonlySet<string> = new Set([
  NODE.paragraph, NODE.heading, NODE.bulletList, NODE.orderedList, NODE.blockquote, NODE.codeBlock,
  NODE.horizontalRule, NODE.table, NODE.listItem,
]);
const isBlockName = (name: string) => BLOCK_NAMES.has(name);

/** The blocks of `parent`'s children, which are at `depth` (deeper than MAX_BODY_DEPTH: skipped). */
function readBlocks(parent: XmlParent, depth: number): Block[] {
  const out: Block[] = [];
  if (depth > MAX_BODY_DEPTH) return out;
  for (const child of children(parent)) {
    if (child instanceof Y.XmlElement) for (const item of readBlock(child, depth)) out.push(item);
    else {
      const content = readInlines([child], depth); // stray text under a container: its own paragraph
      if (content.length > 0) out.push({ type: 'paragraph', content });
    }
  }
  return out;
}

/** The blocks of a section body. */
export function readRichText(fragment: Y.XmlFragment): Block[] {
  return readBlocks(fragment, 1);
}

// ---- model → Y -------------------------------------------------------------------

function markAttributes(marks: Marks | undefined): Record<string, object> | undefined {
  if (!marks) return undefined;
  const attrs: Record<string, object> = {};
  for (const name of MARK_NAMES) if (marks[name]) attrs[name] = {};
  if (marks.link) attrs.link = { href: marks.link };
  return Object.keys(attrs).length > 0 ? attrs : undefined;
}

function inlineNodes(inlines: Inline[]): XmlNode[] {
  const out: XmlNode[] = [];
  let run: Array<{ insert: string; attributes?: Record<string, object> }> = [];
  const flush = () => {
    if (run.length === 0) return;
    const t = new Y.XmlText();
    t.applyDelta(run);
    out.push(t);
    run = [];
  };
  for (const inline of normalizeInlines(inlines)) {
    if (inline.type === 'text') {
      const attributes = markAttributes(inline.marks);
      run.push(attributes ? { insert: inline.text, attributes } : { insert: inline.text });
      continue;
    }
    flush();
    if (inline.type === 'footnote') {
      const el = new Y.XmlElement(NODE.footnote);
      el.setAttribute(FOOTNOTE_CONTENT_ATTR, inline.content);
      out.push(el);
    } else {
      out.push(new Y.XmlElement(NODE.hardBreak));
    }
  }
  flush();
  return out;
}

function element(name: string, attrs: Record<string, string | number>, kids: XmlNode[]): Y.XmlElement {
  const el = new Y.XmlElement(name);
  // Y.XmlElement attributes may hold numbers (y-prosemirror stores heading levels so).
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as string);
  if (kids.length > 0) el.insert(0, kids);
  return el;
}

/** Tiptap's schema wants `block+` in cells and quotes, `paragraph block*` in list items. */
const atLeastParagraph = (blocks: Block[]): Block[] => (blocks.length > 0 ? blocks : [{ type: 'paragraph', content: [] }]);
const paragraphFirst = (blocks: Block[]): Block[] =>
  blocks[0]?.type === 'paragraph' ? blocks : [{ type: 'paragraph', content: [] }, ...blocks];

function blockNode(block: Block): Y.XmlElement {
  switch (block.type) {
    case 'paragraph':
      return element(NODE.paragraph, {}, inlineNodes(block.content));
    case 'heading':
      return element(NODE.heading, { level: block.level }, inlineNodes(block.content));
    case 'list':
      return element(
        block.ordered ? NODE.orderedList : NODE.bulletList,
        block.ordered ? { start: block.start } : {},
        block.items.map((item) => element(NODE.listItem, {}, paragraphFirst(item).map(blockNode))),
      );
    case 'quote':
      return element(NODE.blockquote, {}, atLeastParagraph(block.content).map(blockNode));
    case 'code': {
      const kids = block.text === '' ? [] : [new Y.XmlText(block.text)];
      return element(NODE.codeBlock, block.language ? { language: block.language } : {}, kids);
    }
    case 'rule':
      return element(NODE.horizontalRule, {}, []);
    case 'table':
      return element(
        NODE.table,
        {},
        block.rows.map((row) =>
          element(
            NODE.tableRow,
            {},
            row.map((cell) =>
              element(
                cell.header ? NODE.tableHeader : NODE.tableCell,
                { colspan: cell.colspan, rowspan: cell.rowspan, ...(cell.align ? { align: cell.align } : {}) },
                atLeastParagraph(cell.content).map(blockNode),
              ),
            ),
          ),
        ),
      );
  }
}

/** Appends the blocks to a fragment (an empty one, for a new section body). */
export function writeRichText(fragment: Y.XmlFragment, blocks: Block[]): void {
  const nodes = capDepth(blocks).map(blockNode);
  if (nodes.length > 0) fragment.insert(fragment.length, nodes);
}
