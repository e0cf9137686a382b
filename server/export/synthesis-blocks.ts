// The synthesis's recommendations as plain blocks every format already renders: an
// ordered list, ranked, each item's text with its dots and the groups it came from. A
// group's name links to its chapter when the format has an anchor for it (Markdown,
// HTML); otherwise, or when its chapter is not in the document, it is plain text.
import type { SynthesisItem } from '../../shared/consolidated.js';
import type { Block, Inline } from '../../shared/rich-text.js';
import type { Labels } from './labels.js';

/** A group's chapter anchor ("#grupo-2"), or null when none. */
export type AnchorOf = (groupId: string) => string | null;

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
        return [{ type: 'paragraph', content: [{ type: 'text', text: item.text.replace(/\s+/g, ' ').trim(), marks: { bold: true } }, ...tail] }];
      }),
    },
  ];
}
