// The structural limits of a Markdown import (shared/import-limits.ts), checked on the
// text before the parser sees it — one pass, linear, no regex that can backtrack — and
// on the parsed tree (depth, counted without recursion) before anything walks it.
import type { Nodes } from 'mdast';
import { IMPORT_LIMIT_CODES, MARKDOWN_STRUCTURE_LIMITS as MAX, type MarkdownStructureLimit } from '../../shared/import-limits.js';
import { HttpError } from '../http/http-error.js';
import { classify } from './prepare.js';

const WHAT: Record<MarkdownStructureLimit, string> = {
  depth: 'block quotes and lists nested more than {max} levels deep',
  delimitersPerParagraph: 'a paragraph with more than {max} emphasis or link marks (*, _, ~, [, ])',
  tableColumns: 'a table with more than {max} columns',
  footnoteDefinitions: 'more than {max} footnotes',
  linkDefinitions: 'more than {max} link definitions',
};

export const overLimit = (limit: MarkdownStructureLimit) =>
  new HttpError(422, IMPORT_LIMIT_CODES[limit], `The document is too complex to import: it has ${WHAT[limit].replace('{max}', String(MAX[limit]))}`);

const isSpace = (c: number) => c === 0x20 || c === 0x09;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * Block quote and list markers opening a line, and where its content starts; `item` when
 * one opens a list item, `interrupts` when that item could also cut a paragraph short (a
 * bullet, or an ordered item numbered 1: CommonMark lets no other interrupt one).
 */
function containerPrefix(line: string): { depth: number; end: number; item: boolean; interrupts: boolean } {
  let depth = 0;
  let item = false;
  let interrupts = false;
  let i = 0;
  for (;;) {
    while (i < line.length && isSpace(line.charCodeAt(i))) i++;
    const c = line.charCodeAt(i);
    if (c === 0x3e /* > */) {
      depth++;
      i++;
      continue;
    }
    if ((c === 0x2d || c === 0x2a || c === 0x2b) /* - * + */ && isSpace(line.charCodeAt(i + 1))) {
      depth++;
      item = true;
      interrupts = true;
      i += 2;
      continue;
    }
    let j = i;
    while (j < line.length && j - i < 9 && isDigit(line.charCodeAt(j))) j++;
    const after = line.charCodeAt(j);
    if (j > i && (after === 0x2e || after === 0x29) /* . ) */ && (j + 1 === line.length || isSpace(line.charCodeAt(j + 1)))) {
      depth++;
      item = true;
      if (Number(line.slice(i, j)) === 1) interrupts = true;
      i = j + 1;
      continue;
    }
    return { depth, end: i, item, interrupts };
  }
}

/** A table's delimiter row (`| --- | :-: |`): its column count, or 0 when the line is not one. */
function delimiterRowColumns(rest: string): number {
  let columns = 0;
  let inCell = false;
  let pipes = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 0x7c /* | */) {
      pipes++;
      inCell = false;
    } else if (c === 0x2d /* - */) {
      if (!inCell) columns++;
      inCell = true;
    } else if (c !== 0x3a /* : */ && !isSpace(c)) return 0;
  }
  return pipes > 0 ? columns : 0;
}

/** An ATX heading (`## Title`) opens at `from`: one to six `#`, then a space or the line's end. */
function isHeading(line: string, from: number): boolean {
  let i = from;
  while (i < line.length && i - from < 7 && line.charCodeAt(i) === 0x23 /* # */) i++;
  return i > from && i - from <= 6 && (i === line.length || isSpace(line.charCodeAt(i)));
}

const countDelimiters = (s: string, from: number) => {
  let n = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2a || c === 0x5f || c === 0x7e || c === 0x5b || c === 0x5d) n++; // * _ ~ [ ]
  }
  return n;
};

/** A definition line's kind: `[^x]: note` is a footnote, `[x]: url` a link. */
function definitionKind(rest: string, from: number): 'footnote' | 'link' | null {
  if (rest.charCodeAt(from) !== 0x5b /* [ */) return null;
  const close = rest.indexOf(']', from + 1);
  if (close <= from + 1 || close > from + 1000 || rest.charCodeAt(close + 1) !== 0x3a /* : */) return null;
  return rest.charCodeAt(from + 1) === 0x5e /* ^ */ ? 'footnote' : 'link';
}

/** Throws a 422 naming the first limit the (prepared) source goes past. */
export function checkMarkdownText(source: string): void {
  let delimiters = 0;
  let inTable = false;
  let inList = false;
  let blockStart = true;
  let previousHasPipe = false;
  let footnotes = 0;
  let links = 0;
  for (const line of classify(source)) {
    if (line.code || line.text.trim() === '') {
      delimiters = 0;
      inTable = false;
      inList = false;
      blockStart = true;
      previousHasPipe = false;
      continue;
    }
    const { depth, end, item, interrupts } = containerPrefix(line.text);
    // A new list item starts a paragraph of its own, unless it only goes on with one.
    const newItem = item && (interrupts || inList || blockStart);
    if (newItem) inList = true;
    blockStart = false;
    if (depth > MAX.depth) throw overLimit('depth');
    const columns = delimiterRowColumns(line.text.slice(end));
    if (columns > MAX.tableColumns) throw overLimit('tableColumns');
    if (columns > 0 && previousHasPipe) inTable = true;
    previousHasPipe = line.text.includes('|');
    const kind = definitionKind(line.text, end);
    if (kind === 'footnote' && ++footnotes > MAX.footnoteDefinitions) throw overLimit('footnoteDefinitions');
    if (kind === 'link' && ++links > MAX.linkDefinitions) throw overLimit('linkDefinitions');
    if (kind === 'link') continue; // a definition's brackets open no emphasis or link
    // A paragraph's lines are read as one; each table row, list item and heading apart.
    const apart = inTable || newItem || isHeading(line.text, end);
    delimiters = (apart ? 0 : delimiters) + countDelimiters(line.text, end);
    if (delimiters > MAX.delimitersPerParagraph) throw overLimit('delimitersPerParagraph');
  }
}

const CONTAINERS: ReadonlySet<string> = new Set(['blockquote', 'list', 'footnoteDefinition']);

/** Throws a 422 when the parsed tree nests containers deeper than the limit (walked without recursion). */
export function checkTreeDepth(root: Nodes): void {
  const stack: Array<[Nodes, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [Nodes, number];
    const d = CONTAINERS.has(node.type) ? depth + 1 : depth;
    if (d > MAX.depth) throw overLimit('depth');
    if ('children' in node) for (const child of node.children) stack.push([child, d]);
  }
}
