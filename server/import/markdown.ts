// Markdown → what goes on one board: the group's title when the document opens with
// it, its guiding question when the document is one of our exports, and sections.
// The source is repaired first (prepare.ts), parsed as CommonMark + GFM (tables,
// footnotes, strikethrough, autolinks) with YAML front matter, then mapped onto the
// rich-text model. Nothing is dropped: what the model has no place for (raw HTML, an
// image, an unreferenced footnote) keeps its words as text.
import type { Definition, FootnoteDefinition, Heading, List, Nodes, PhrasingContent, RootContent, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { parse as parseYaml } from 'yaml';
import type { SectionContent } from '../../shared/board.js';
import {
  inlineText,
  normalizeInlines,
  text,
  type Block,
  type Inline,
  type Marks,
  type TableCell,
} from '../../shared/rich-text.js';
import { asLanguage } from '../../shared/model.js';
import { dateLine } from '../export/labels.js';
import { SECTION_DEPTH, TITLE_DEPTH, bodyHeadingLevel } from '../export/outline.js';
import { prepareMarkdown } from './prepare.js';
import { checkMarkdownText, checkTreeDepth } from './structure.js';

export interface ImportedBoard {
  /** The group title the document opens with, or null. */
  title: string | null;
  question: string | null;
  sections: SectionContent[];
}

export interface ImportContext {
  /** Names the board is known by (group name, board title): a first line equal to one is the title. */
  names: string[];
}

interface Ctx {
  definitions: Map<string, Definition>;
  footnotes: Map<string, FootnoteDefinition>;
  used: Set<string>;
}

const HTML_MARKS: Record<string, keyof Marks> = {
  u: 'underline', ins: 'underline', b: 'bold', strong: 'bold', i: 'italic', em: 'italic', s: 'strike', del: 'strike', strike: 'strike', code: 'code',
};

/** A soft line break reads as one space (split and trim, no regex: linear on any input). */
const softBreaks = (s: string) =>
  s.includes('\n')
    ? s.split('\n').map((part, i, all) => {
        const start = i > 0 ? part.trimStart() : part;
        return i < all.length - 1 ? start.trimEnd() : start;
      }).join(' ')
    : s;

function phrasing(nodes: PhrasingContent[], marks: Marks, ctx: Ctx): Inline[] {
  const out: Inline[] = [];
  let extra: Marks = {};
  for (const node of nodes) {
    const m: Marks = { ...marks, ...extra };
    switch (node.type) {
      case 'text':
        out.push(text(softBreaks(node.value), m));
        break;
      case 'strong':
        for (const item of phrasing(node.children, { ...m, bold: true }, ctx)) out.push(item);
        break;
      case 'emphasis':
        for (const item of phrasing(node.children, { ...m, italic: true }, ctx)) out.push(item);
        break;
      case 'delete':
        for (const item of phrasing(node.children, { ...m, strike: true }, ctx)) out.push(item);
        break;
      case 'inlineCode':
        out.push(text(node.value, { ...m, code: true }));
        break;
      case 'link':
        for (const item of phrasing(node.children, { ...m, link: node.url }, ctx)) out.push(item);
        break;
      case 'linkReference': {
        const def = ctx.definitions.get(node.identifier);
        for (const item of phrasing(node.children, def ? { ...m, link: def.url } : m, ctx)) out.push(item);
        break;
      }
      case 'image':
      case 'imageReference': {
        const url = node.type === 'image' ? node.url : ctx.definitions.get(node.identifier)?.url ?? '';
        out.push(text(node.alt || url, url ? { ...m, link: url } : m));
        break;
      }
      case 'break':
        out.push({ type: 'hardBreak' });
        break;
      case 'footnoteReference': {
        const def = ctx.footnotes.get(node.identifier);
        if (def) {
          ctx.used.add(node.identifier);
          out.push({ type: 'footnote', content: footnoteText(def, ctx) });
        } else out.push(text(`[^${node.label ?? node.identifier}]`, m));
        break;
      }
      case 'html': {
        const tag = /^<(\/?)([a-z]+)\s*\/?>$/i.exec(node.value.trim());
        const name = tag?.[2]?.toLowerCase() ?? '';
        if (name === 'br') out.push({ type: 'hardBreak' });
        else if (tag && HTML_MARKS[name]) {
          const mark = HTML_MARKS[name] as keyof Marks;
          extra = { ...extra };
          if (tag[1]) delete extra[mark];
          else if (mark !== 'link') extra[mark] = true;
        } else out.push(text(node.value, m));
        break;
      }
      default:
        break;
    }
  }
  return normalizeInlines(out);
}

function footnoteText(def: FootnoteDefinition, ctx: Ctx): string {
  const parts: string[] = [];
  const walk = (nodes: RootContent[]) => {
    for (const n of nodes) {
      if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'tableCell') parts.push(plainInline(phrasing(n.children, {}, ctx)));
      else if (n.type === 'code') parts.push(n.value);
      else if ('children' in n) walk(n.children as RootContent[]);
    }
  };
  walk(def.children);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

/** The words of inline content; a footnote keeps its note in brackets. */
const plainInline = (inlines: Inline[]) =>
  inlines.map((i) => (i.type === 'text' ? i.text : i.type === 'hardBreak' ? ' ' : ` (${i.content})`)).join('');

function tableBlock(node: Table, ctx: Ctx): Block {
  const rows = node.children.map((row, r) =>
    row.children.map(
      (cell, c): TableCell => ({
        header: r === 0,
        colspan: 1,
        rowspan: 1,
        align: r === 0 ? (node.align?.[c] ?? null) : null,
        content: [{ type: 'paragraph', content: phrasing(cell.children, {}, ctx) }],
      }),
    ),
  );
  return { type: 'table', rows };
}

function listBlock(node: List, depth: number, ctx: Ctx): Block {
  return {
    type: 'list',
    ordered: node.ordered === true,
    start: node.ordered ? (node.start ?? 1) : 1,
    items: node.children.map((item) => {
      const content = blocks(item.children, depth, ctx);
      if (typeof item.checked === 'boolean') {
        const box = text(item.checked ? '[x] ' : '[ ] ');
        const first = content[0];
        if (first?.type === 'paragraph') content[0] = { type: 'paragraph', content: normalizeInlines([box, ...first.content]) };
        else content.unshift({ type: 'paragraph', content: [box] });
      }
      return content;
    }),
  };
}

/** Mdast blocks → model blocks; headings are under a section at `depth`. */
function blocks(nodes: RootContent[], depth: number, ctx: Ctx): Block[] {
  const out: Block[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'paragraph': {
        const content = phrasing(node.children, {}, ctx);
        if (content.length > 0) out.push({ type: 'paragraph', content });
        break;
      }
      case 'heading':
        out.push({ type: 'heading', level: bodyHeadingLevel(node.depth, depth), content: phrasing(node.children, {}, ctx) });
        break;
      case 'list':
        out.push(listBlock(node, depth, ctx));
        break;
      case 'table':
        out.push(tableBlock(node, ctx));
        break;
      case 'code':
        out.push({ type: 'code', language: node.lang ?? '', text: node.value });
        break;
      case 'blockquote':
        out.push({ type: 'quote', content: blocks(node.children, depth, ctx) });
        break;
      case 'thematicBreak':
        out.push({ type: 'rule' });
        break;
      case 'html':
        if (node.value.trim() !== '') out.push({ type: 'paragraph', content: [text(node.value)] });
        break;
      default:
        break; // definitions, footnote definitions and front matter are read elsewhere
    }
  }
  return out;
}

const fold = (s: string) =>
  s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim().toLowerCase();

const namesMatch = (line: string, names: string[]) => {
  const l = fold(line);
  return l !== '' && names.some((n) => fold(n) !== '' && (l.includes(fold(n)) || fold(n).includes(l)));
};

/** What our own exports put in the front matter: lets a re-import skip the document's title lines. */
interface FrontMatter {
  title: string | null;
  dateLine: string | null;
  /** Group titles → guiding questions ('' when none). */
  groups: Map<string, string>;
}

function readFrontMatter(nodes: RootContent[]): FrontMatter {
  const none: FrontMatter = { title: null, dateLine: null, groups: new Map() };
  const yamlNode = nodes.find((n) => n.type === 'yaml');
  if (!yamlNode || yamlNode.type !== 'yaml') return none;
  let data: unknown;
  try {
    data = parseYaml(yamlNode.value);
  } catch {
    return none;
  }
  if (typeof data !== 'object' || data === null) return none;
  const { title, date, place, language, groups } = data as Record<string, unknown>;
  const named = new Map<string, string>();
  if (Array.isArray(groups)) {
    for (const g of groups as unknown[]) {
      if (typeof g !== 'object' || g === null) continue;
      const { name, question } = g as { name?: unknown; question?: unknown };
      if (typeof name === 'string') named.set(name, typeof question === 'string' ? question : '');
    }
  }
  const lang = asLanguage(language);
  return {
    title: typeof title === 'string' ? title : null,
    dateLine: typeof date === 'string' ? dateLine({ date, place: typeof place === 'string' ? place : '', language: lang }) : null,
    groups: named,
  };
}

function collect(root: Nodes, ctx: Ctx): void {
  if (root.type === 'definition') ctx.definitions.set(root.identifier, root);
  if (root.type === 'footnoteDefinition') ctx.footnotes.set(root.identifier, root);
  if ('children' in root) for (const child of root.children) collect(child, ctx);
}

/**
 * Reads a Markdown document as one board's content; a document past a structural limit
 * (shared/import-limits.ts) is a 422. Slow on hostile input even so: the server calls it
 * only in an import worker (import-pool.ts), never on the event loop.
 */
export function importMarkdown(source: string, context: ImportContext): ImportedBoard {
  const prepared = prepareMarkdown(source);
  checkMarkdownText(prepared);
  const tree = fromMarkdown(prepared, {
    extensions: [gfm(), frontmatter(['yaml'])],
    mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown(['yaml'])],
  });
  checkTreeDepth(tree);
  const ctx: Ctx = { definitions: new Map(), footnotes: new Map(), used: new Set() };
  collect(tree, ctx);
  const front = readFrontMatter(tree.children);
  const body = tree.children.filter((n) => n.type !== 'yaml' && n.type !== 'definition' && n.type !== 'footnoteDefinition');
  const lineOf = (n: RootContent | undefined) =>
    n?.type === 'heading' || n?.type === 'paragraph' ? plainInline(phrasing(n.children, {}, ctx)).trim() : null;
  if (front.title !== null && body[0]?.type === 'heading' && body[0].depth === TITLE_DEPTH && lineOf(body[0]) === front.title) {
    body.shift(); // the workshop's title and date line, above the group
    if (front.dateLine !== null && lineOf(body[0]) === front.dateLine) body.shift();
  }

  let title: string | null = null;
  let question: string | null = null;
  const first = body[0];
  const headings = body.filter((n): n is Heading => n.type === 'heading');
  if (first?.type === 'heading') {
    const words = plainInline(phrasing(first.children, {}, ctx)).trim();
    const deeperLater = headings.some((h) => h !== first && h.depth > first.depth);
    if (first.depth === TITLE_DEPTH || deeperLater || front.groups.has(words) || namesMatch(words, context.names)) title = words;
  } else if (first?.type === 'paragraph') {
    const content = phrasing(first.children, {}, ctx);
    const line = inlineText(content);
    const plainLine = content.every((i) => i.type === 'text' && !i.marks) && !line.includes('\n');
    if (plainLine && line.length <= 200 && !/[.;:,]$/.test(line.trim()) && namesMatch(line, context.names)) title = line.trim();
  }
  if (title !== null) body.shift();
  const quote = body[0];
  const known = title !== null ? front.groups.get(title) : undefined;
  if (known && quote?.type === 'blockquote') {
    const said = blocks(quote.children, 0, ctx).map((b) => (b.type === 'paragraph' ? inlineText(b.content) : '')).join(' ');
    if (said.trim() === known.trim()) {
      question = known;
      body.shift();
    }
  }

  const rest = body.filter((n): n is Heading => n.type === 'heading');
  // Our exports put sections at a known depth; elsewhere the shallowest heading left is a section.
  const sectionDepth = front.groups.size > 0 ? SECTION_DEPTH : rest.length > 0 ? Math.min(...rest.map((h) => h.depth)) : 0;
  const sections: SectionContent[] = [];
  let pending: RootContent[] = [];
  let heading: string | null = null;
  const close = () => {
    if (heading !== null || pending.length > 0) sections.push({ heading: heading ?? '', body: blocks(pending, sectionDepth, ctx) });
    pending = [];
  };
  for (const node of body) {
    if (node.type === 'heading' && node.depth <= sectionDepth) {
      close();
      heading = plainInline(phrasing(node.children, {}, ctx)).trim();
    } else pending.push(node);
  }
  close();

  const unused = [...ctx.footnotes.values()].filter((f) => !ctx.used.has(f.identifier));
  if (unused.length > 0) {
    const notes: Block[] = unused.map((f) => ({ type: 'paragraph', content: [text(`[^${f.label ?? f.identifier}]: ${footnoteText(f, ctx)}`)] }));
    const last = sections.at(-1);
    if (last) for (const item of notes) last.body.push(item);
    else sections.push({ heading: '', body: notes });
  }
  return { title, question, sections };
}
