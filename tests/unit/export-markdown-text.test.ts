// The fast text handler must write exactly what the stock one writes, in every context a
// text node can sit in: checked on random strings full of Markdown's special characters.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toMarkdown } from 'mdast-util-to-markdown';
import type { PhrasingContent, Root, RootContent } from 'mdast';
import { MARKDOWN_OPTIONS } from '../../server/export/markdown.js';

const stock = { ...MARKDOWN_OPTIONS, handlers: {} };
const tricky = fc.constantFrom(...'ab é1 9.)-+*_#>`~|[]()!<&:@\\\t\n\r=\'"wW'.split(''));
const texts = fc.string({ unit: tricky, maxLength: 14 });

/** A text node between the given neighbours, in each block that can hold phrasing. */
function contexts(value: string, before: PhrasingContent | null, after: PhrasingContent | null): RootContent[] {
  const phrasing: PhrasingContent[] = [...(before ? [before] : []), { type: 'text', value }, ...(after ? [after] : [])];
  return [
    { type: 'paragraph', children: phrasing },
    { type: 'heading', depth: 3, children: phrasing },
    { type: 'list', ordered: false, children: [{ type: 'listItem', children: [{ type: 'paragraph', children: phrasing }] }] },
    { type: 'blockquote', children: [{ type: 'paragraph', children: phrasing }] },
    { type: 'table', children: [{ type: 'tableRow', children: [{ type: 'tableCell', children: phrasing }, { type: 'tableCell', children: [{ type: 'text', value: 'x' }] }] }] },
    { type: 'paragraph', children: [{ type: 'emphasis', children: phrasing }] },
    { type: 'paragraph', children: [{ type: 'strong', children: phrasing }] },
    { type: 'paragraph', children: [{ type: 'link', url: 'https://example.org', children: phrasing }] },
  ];
}

const neighbours = fc.constantFrom<PhrasingContent | null>(
  null,
  { type: 'text', value: 'x' },
  { type: 'emphasis', children: [{ type: 'text', value: 'e' }] },
  { type: 'strong', children: [{ type: 'text', value: 's' }] },
  { type: 'inlineCode', value: 'c' },
  { type: 'footnoteReference', identifier: '1', label: '1' },
  { type: 'break' },
);

describe('Markdown export: the fast text handler', () => {
  it('writes what the stock handler writes, for any text between any neighbours in any block', () => {
    fc.assert(
      fc.property(texts, neighbours, neighbours, (value, before, after) => {
        const tree: Root = { type: 'root', children: contexts(value, before, after) };
        expect(toMarkdown(tree, MARKDOWN_OPTIONS)).toBe(toMarkdown(tree, stock));
      }),
      { numRuns: 1_000 },
    );
    // 1,000 documents printed twice: seconds on a quiet machine, more when it is shared.
  }, 120_000);

  it('keeps the stock escapes where they matter: an autolink, a leading "1." and a trailing space', () => {
    const tree: Root = { type: 'root', children: [
      { type: 'paragraph', children: [{ type: 'link', url: 'https://a.org/x y', children: [{ type: 'text', value: 'https://a.org/x y' }] }] },
      { type: 'paragraph', children: [{ type: 'text', value: '1. no es una lista ' }] },
    ] };
    expect(toMarkdown(tree, MARKDOWN_OPTIONS)).toBe(toMarkdown(tree, stock));
    expect(toMarkdown(tree, MARKDOWN_OPTIONS)).toContain('1\\. no es una lista&#x20;');
  });
});
