// The synthesis's recommendations as plain blocks every format already renders: an
// ordered list, ranked, each item's text with its dots and the groups it came from. A
// group's name links to its chapter when the chapter is in the document: a fragment
// (Markdown, HTML), a bookmark (DOCX) or a named destination (PDF); otherwise plain text.
import type { Consolidated, SynthesisItem } from '../../shared/consolidated.js';
import type { Block, Inline } from '../../shared/rich-text.js';
import type { Labels } from './labels.js';

/** A group's chapter anchor ("#grupo-2"), or null when none. */
export type AnchorOf = (groupId: string) => string | null;

/**
 * The chapters the recommendations cite, by group id: the anchor name `name(i)` gives the
 * chapter at index i. Only cited chapters get one, so a document without a synthesis is
 * written as before.
 */
export function citedChapters(model: Consolidated, name: (index: number) => string): Map<string, string> {
  const cited = new Set(model.synthesis?.items.flatMap((item) => item.groups.map((g) => g.id)) ?? []);
  return new Map(model.groups.flatMap((g, i): Array<[string, string]> => (cited.has(g.id) ? [[g.id, name(i)]] : [])));
}

/**
 * An item's text, bold: a merged item's texts (joined by a blank line) stay apart, each
 * from a new line, rather than running into one sentence; other whitespace is one space.
 */
function itemText(text: string): Inline[] {
  const parts = text.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p !== '');
  return parts.flatMap((p, i): Inline[] => [...(i > 0 ? [{ type: 'hardBreak' } as const] : []), { type: 'text', text: p, marks: { bold: true } }]);
}

export function recommendationBlocks(items: readonly SynthesisItem[], labels: Labels, anchorOf: AnchorOf = () => null): Block[] {
  if (items.length === 0) return [];
  return [
    {
      type: 'list',
      ordered: true,
      start: 1,
      items: items.map((item): Block[] => {
        const groups: Inline[] = item.groups.flatMap((g, i): Inline[] => {
          const href = anchorOf(g.id);
          const name: Inline = href ? { type: 'text', text: g.name, marks: { link: href } } : { type: 'text', text: g.name };
          return i === 0 ? [name] : [{ type: 'text', text: ', ' }, name];
        });
        const tail: Inline[] = [{ type: 'text', text: ` — ${labels.dots}: ${item.dots} · ${labels.voters}: ${item.voters}` }];
        if (groups.length > 0) tail.push({ type: 'text', text: ` · ${labels.sourceGroups}: ` }, ...groups);
        return [{ type: 'paragraph', content: [...itemText(item.text), ...tail] }];
      }),
    },
  ];
}
