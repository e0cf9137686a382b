// Consolidated → GitHub-flavoured Markdown: YAML front matter, `#` title, `##` per
// group, `###` per section, lists nested as written, GFM tables, and footnotes
// numbered [^1], [^2]… across the whole document, each group's definitions at its end.
// Built as an mdast tree and printed by mdast-util-to-markdown, which escapes what
// needs escaping.
import type {
  BlockContent,
  FootnoteDefinition,
  Heading,
  ListItem,
  PhrasingContent,
  Root,
  RootContent,
  Table,
  TableCell,
} from 'mdast';
import { toMarkdown, type Options } from 'mdast-util-to-markdown';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { frontmatterToMarkdown } from 'mdast-util-frontmatter';
import { parse as yamlParse, stringify as yamlStringify } from 'yaml';
import { groupSubtitle, groupTitle, type Consolidated } from '../../shared/consolidated.js';
import type { Block, Inline } from '../../shared/rich-text.js';
import { safeHref } from '../../shared/safe-href.js';
import { nestInlines, type InlineNode } from './inline-tree.js';
import { fastText } from './markdown-text.js';
import { clusterBlocks } from './annex-clusters.js';
import { dateLine, labelsFor } from './labels.js';
import { recommendationBlocks } from './synthesis-blocks.js';
import { GROUP_DEPTH, SECTION_DEPTH, TITLE_DEPTH, bodyHeadingDepth } from './outline.js';


class Footnotes {
  #next = 1;
  pending: FootnoteDefinition[] = [];
  reference(content: string): PhrasingContent {
    const label = String(this.#next++);
    this.pending.push({
      type: 'footnoteDefinition',
      identifier: label,
      label,
      children: [{ type: 'paragraph', children: [{ type: 'text', value: content.replace(/\s+/g, ' ').trim() }] }],
    });
    return { type: 'footnoteReference', identifier: label, label };
  }
  flush(): FootnoteDefinition[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}

function phrasing(nodes: InlineNode[], notes: Footnotes): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out.push(node.code ? { type: 'inlineCode', value: node.text } : { type: 'text', value: node.text });
        break;
      case 'hardBreak':
        out.push({ type: 'break' });
        break;
      case 'footnote':
        out.push(notes.reference(node.content));
        break;
      case 'span': {
        const children = phrasing(node.children, notes);
        const mark = node.mark;
        if (mark === 'bold') out.push({ type: 'strong', children });
        else if (mark === 'italic') out.push({ type: 'emphasis', children });
        else if (mark === 'strike') out.push({ type: 'delete', children });
        else if (mark === 'underline') out.push({ type: 'html', value: '<u>' }, ...children, { type: 'html', value: '</u>' });
        else {
          // A link that is no safe link (shared/safe-href.ts) keeps its words, not its address.
          const href = safeHref(mark.link);
          if (href) out.push({ type: 'link', url: href, children });
          else out.push(...children);
        }
        break;
      }
    }
  }
  return out;
}

const inlines = (content: Inline[], notes: Footnotes): PhrasingContent[] => phrasing(nestInlines(content), notes);

/** A GFM cell holds one line: its blocks' inline content, joined by <br>. */
function cellPhrasing(blocks: Block[], notes: Footnotes): PhrasingContent[] {
  const lines: PhrasingContent[][] = [];
  const walk = (bs: Block[]) => {
    for (const b of bs) {
      if (b.type === 'paragraph' || b.type === 'heading') lines.push(inlines(b.content, notes));
      else if (b.type === 'code') lines.push([{ type: 'inlineCode', value: b.text.replace(/\n/g, ' ') }]);
      else if (b.type === 'list') b.items.forEach(walk);
      else if (b.type === 'quote') walk(b.content);
      else if (b.type === 'table') b.rows.forEach((row) => row.forEach((cell) => walk(cell.content)));
    }
  };
  walk(blocks);
  return lines.flatMap((line, i) => (i === 0 ? line : [{ type: 'html', value: '<br>' } as PhrasingContent, ...line]));
}

function table(block: Extract<Block, { type: 'table' }>, notes: Footnotes): Table {
  const rows = block.rows.map((row) => {
    const cells: TableCell[] = [];
    for (const cell of row) {
      cells.push({ type: 'tableCell', children: cellPhrasing(cell.content, notes) });
      for (let i = 1; i < cell.colspan; i++) cells.push({ type: 'tableCell', children: [] });
    }
    return cells;
  });
  const width = Math.max(1, ...rows.map((r) => r.length));
  for (const r of rows) while (r.length < width) r.push({ type: 'tableCell', children: [] });
  const align = Array.from({ length: width }, (_, i) => block.rows[0]?.[i]?.align ?? null);
  return { type: 'table', align, children: rows.map((children) => ({ type: 'tableRow', children })) };
}

function blocks(bs: Block[], notes: Footnotes): BlockContent[] {
  const out: BlockContent[] = [];
  for (const b of bs) {
    switch (b.type) {
      case 'paragraph':
        if (b.content.length > 0) out.push({ type: 'paragraph', children: inlines(b.content, notes) });
        break;
      case 'heading':
        out.push({ type: 'heading', depth: bodyHeadingDepth(b.level), children: inlines(b.content, notes) });
        break;
      case 'list':
        out.push({
          type: 'list',
          ordered: b.ordered,
          ...(b.ordered ? { start: b.start } : {}),
          spread: false,
          children: b.items.map((item): ListItem => ({ type: 'listItem', spread: false, children: blocks(item, notes) })),
        });
        break;
      case 'table':
        out.push(table(b, notes));
        break;
      case 'code':
        out.push({ type: 'code', lang: b.language || null, value: b.text });
        break;
      case 'quote':
        out.push({ type: 'blockquote', children: blocks(b.content, notes) });
        break;
      case 'rule':
        out.push({ type: 'thematicBreak' });
        break;
    }
  }
  return out;
}

const plain = (value: string): PhrasingContent[] => [{ type: 'text', value }];

/** The fields of a board's stored front matter, or null when it is not a YAML map. */
function storedFields(yaml: string): Record<string, unknown> | null {
  if (yaml.trim() === '') return null;
  try {
    const data: unknown = yamlParse(yaml, { maxAliasCount: 10 });
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Our front matter: the workshop and its groups (a re-import reads them). A group exported
 * alone whose board kept its document's front matter has that written back first, its
 * fields as they were; its own `title` stays, and the workshop's goes in `workshop`.
 */
export function frontMatter(model: Consolidated): string {
  const w = model.workshop;
  const only = model.groups.length === 1 ? model.groups[0] : undefined;
  const stored = only ? storedFields(only.frontMatter ?? '') : null;
  const ours = {
    ...(stored && 'title' in stored ? { workshop: w.title } : { title: w.title }),
    date: w.date,
    ...(w.place ? { place: w.place } : {}),
    language: w.language,
    groups: model.groups.map((g) => ({
      name: groupTitle(g),
      ...(groupSubtitle(g) ? { title: groupSubtitle(g) } : {}),
      ...(g.question ? { question: g.question } : {}),
    })),
  };
  return yamlStringify({ ...stored, ...ours }, { lineWidth: 0 }).trimEnd();
}

/** How our Markdown is written: `-` bullets, `*` emphasis, fenced code, GFM tables and footnotes, YAML front matter. */
export const MARKDOWN_OPTIONS: Readonly<Options> = {
  extensions: [gfmToMarkdown(), frontmatterToMarkdown(['yaml'])],
  bullet: '-',
  bulletOrdered: '.',
  listItemIndent: 'one',
  emphasis: '*',
  strong: '*',
  rule: '-',
  fences: true,
  resourceLink: true,
  handlers: { text: fastText },
};

export function renderMarkdown(model: Consolidated): string {
  return toMarkdown(markdownTree(model), MARKDOWN_OPTIONS);
}

/** The consolidated document as a Markdown syntax tree (front matter, groups, notes, annex). */
export function markdownTree(model: Consolidated): Root {
  const labels = labelsFor(model.workshop.language);
  const notes = new Footnotes();
  const children: RootContent[] = [
    { type: 'yaml', value: frontMatter(model) },
    { type: 'heading', depth: TITLE_DEPTH, children: plain(model.workshop.title) },
    { type: 'paragraph', children: plain(dateLine(model.workshop)) },
  ];
  // An item links to its group's chapter: a placeholder address now, the chapter heading's slug once every heading is known.
  const placeholder = (groupId: string) => `#${PLACEHOLDER}${groupId}`;
  const chapters = new Map<string, Heading>();
  if (model.synthesis) {
    const s = model.synthesis;
    children.push({ type: 'heading', depth: GROUP_DEPTH, children: plain(labels.synthesis) });
    if (s.title.trim() !== '') children.push({ type: 'paragraph', children: [{ type: 'strong', children: plain(s.title) }] });
    for (const section of s.sections) {
      if (section.heading.trim() !== '') children.push({ type: 'heading', depth: SECTION_DEPTH, children: plain(section.heading) });
      for (const item of blocks(section.body, notes)) children.push(item);
    }
    if (s.items.length > 0) {
      const present = new Set(model.groups.map((g) => g.id));
      children.push({ type: 'heading', depth: SECTION_DEPTH, children: plain(labels.recommendations) });
      for (const item of blocks(recommendationBlocks(s.items, labels, (id) => (present.has(id) ? placeholder(id) : null)), notes)) children.push(item);
    }
    for (const item of notes.flush()) children.push(item);
  }
  for (const group of model.groups) {
    const heading: Heading = { type: 'heading', depth: GROUP_DEPTH, children: plain(groupTitle(group)) };
    chapters.set(group.id, heading);
    children.push(heading);
    if (groupSubtitle(group)) children.push({ type: 'paragraph', children: [{ type: 'strong', children: plain(groupSubtitle(group)) }] });
    if (group.question) children.push({ type: 'blockquote', children: [{ type: 'paragraph', children: plain(group.question) }] });
    for (const section of group.sections) {
      if (section.heading.trim() !== '') children.push({ type: 'heading', depth: SECTION_DEPTH, children: plain(section.heading) });
      for (const item of blocks(section.body, notes)) children.push(item);
    }
    for (const item of notes.flush()) children.push(item);
  }
  if (model.annex) {
    children.push({ type: 'heading', depth: GROUP_DEPTH, children: plain(labels.annex) });
    for (const group of model.annex) {
      children.push({ type: 'heading', depth: SECTION_DEPTH, children: plain(group.title) });
      if (group.cards.length === 0) {
        children.push({ type: 'paragraph', children: plain(labels.noCards) });
        continue;
      }
      const row = (cells: string[]) => ({ type: 'tableRow' as const, children: cells.map((c) => ({ type: 'tableCell' as const, children: plain(c) })) });
      children.push({
        type: 'table',
        align: ['right', null, 'right', 'right', null],
        children: [
          row([labels.rank, labels.card, labels.dots, labels.voters, labels.author]),
          ...group.cards.map((c, i) => row([String(i + 1), c.text.replace(/\s+/g, ' '), String(c.dots), String(c.voters), c.author])),
        ],
      });
      if (group.clusters) for (const item of blocks(clusterBlocks(group.clusters, labels), notes)) children.push(item);
    }
  }
  if (model.synthesis) linkChapters(children, chapters);
  return { type: 'root', children };
}

const PLACEHOLDER = 'relatoria-chapter:';

/** The text of a heading, as a slugger reads it. */
const textOf = (node: { value?: unknown; children?: unknown }): string =>
  typeof node.value === 'string' ? node.value : Array.isArray(node.children) ? node.children.map((c: { value?: unknown; children?: unknown }) => textOf(c)).join('') : '';

/** A heading's anchor as GitHub (and most Markdown viewers) make it: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function slugger(): (text: string) => string {
  const seen = new Map<string, number>();
  return (text) => {
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const n = seen.get(base);
    seen.set(base, (n ?? -1) + 1);
    return n === undefined ? base : `${base}-${n + 1}`;
  };
}

/** Points every placeholder link at its group chapter's slug, counting every heading of the document before it. */
function linkChapters(children: RootContent[], chapters: ReadonlyMap<string, Heading>): void {
  const slug = slugger();
  const anchors = new Map<Heading, string>();
  const visit = (node: { type: string; children?: unknown }): void => {
    if (node.type === 'heading') anchors.set(node as Heading, slug(textOf(node)));
    if (Array.isArray(node.children)) for (const c of node.children as Array<{ type: string; children?: unknown }>) visit(c);
  };
  children.forEach(visit);
  const fix = (node: { type: string; url?: string; children?: unknown }): void => {
    if (node.type === 'link' && node.url?.startsWith(`#${PLACEHOLDER}`)) {
      const h = chapters.get(node.url.slice(PLACEHOLDER.length + 1));
      node.url = h ? `#${anchors.get(h) ?? ''}` : '#';
    }
    if (Array.isArray(node.children)) for (const c of node.children as Array<{ type: string; url?: string; children?: unknown }>) fix(c);
  };
  children.forEach(fix);
}
