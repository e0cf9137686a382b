// What rendering a stored section needs besides Svelte: which wrappers a run of text
// gets, and the footnotes in reading order. Which links are safe to follow is the one
// policy of shared/safe-href.ts.
import type { Block, Inline, Marks } from '../../../shared/rich-text.js';
import { safeHref } from '../../../shared/safe-href.js';

export type Wrapper = 'link' | 'bold' | 'italic' | 'underline' | 'strike' | 'code';
const ORDER: readonly Wrapper[] = ['link', 'bold', 'italic', 'underline', 'strike', 'code'];

/** The elements around a run of text, outermost first. */
export function wrappersOf(marks: Marks | undefined): Wrapper[] {
  if (!marks) return [];
  return ORDER.filter((w) => (w === 'link' ? safeHref(marks.link) !== null : marks[w] === true));
}

/** Every footnote's text in reading order: the order they are numbered in. */
export function footnotesOf(blocks: readonly Block[]): string[] {
  const notes: string[] = [];
  const inline = (content: readonly Inline[]) => {
    for (const i of content) if (i.type === 'footnote') notes.push(i.content);
  };
  const walk = (bs: readonly Block[]) => {
    for (const b of bs) {
      if (b.type === 'paragraph' || b.type === 'heading') inline(b.content);
      else if (b.type === 'list') for (const item of b.items) walk(item);
      else if (b.type === 'table') for (const row of b.rows) for (const cell of row) walk(cell.content);
      else if (b.type === 'quote') walk(b.content);
    }
  };
  walk(blocks);
  return notes;
}
