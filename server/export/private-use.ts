// Characters from the Unicode private-use areas (Word's Symbol-font bullets, an icon
// font's glyphs, Apple's logo) have no agreed glyph: no font an export embeds or names
// can show them, so a PDF or a page draws a box. Documents (not the JSON archive, which
// keeps everything to rebuild the workshop) are rendered from a copy without them, and
// the export route logs how many went.
import type { Consolidated, ConsolidatedGroup } from '../../shared/consolidated.js';
import type { Block, Inline } from '../../shared/rich-text.js';

const PRIVATE_USE = /[\uE000-\uF8FF\u{F0000}-\u{FFFFD}\u{100000}-\u{10FFFD}]/gu;

export function withoutPrivateUse(model: Consolidated): { model: Consolidated; dropped: number } {
  let dropped = 0;
  const clean = (s: string): string => {
    if (!PRIVATE_USE.test(s)) return s;
    PRIVATE_USE.lastIndex = 0;
    return s.replace(PRIVATE_USE, () => {
      dropped++;
      return '';
    });
  };
  const inline = (i: Inline): Inline =>
    i.type === 'text' ? { ...i, text: clean(i.text) } : i.type === 'footnote' ? { ...i, content: clean(i.content) } : i;
  const block = (b: Block): Block => {
    switch (b.type) {
      case 'paragraph':
      case 'heading':
        return { ...b, content: b.content.map(inline) };
      case 'list':
        return { ...b, items: b.items.map((item) => item.map(block)) };
      case 'table':
        return { ...b, rows: b.rows.map((row) => row.map((cell) => ({ ...cell, content: cell.content.map(block) }))) };
      case 'code':
        return { ...b, text: clean(b.text) };
      case 'quote':
        return { ...b, content: b.content.map(block) };
      case 'rule':
        return b;
    }
  };
  const group = (g: ConsolidatedGroup): ConsolidatedGroup => ({
    ...g,
    name: clean(g.name),
    title: clean(g.title),
    question: clean(g.question),
    sections: g.sections.map((s) => ({ heading: clean(s.heading), body: s.body.map(block) })),
    cards: g.cards.map((c) => ({ ...c, text: clean(c.text) })),
  });
  const out: Consolidated = {
    ...model,
    workshop: { ...model.workshop, title: clean(model.workshop.title), place: clean(model.workshop.place) },
    groups: model.groups.map(group),
    ...(model.synthesis
      ? {
          synthesis: {
            title: clean(model.synthesis.title),
            sections: model.synthesis.sections.map((s) => ({ heading: clean(s.heading), body: s.body.map(block) })),
            items: model.synthesis.items.map((i) => ({ ...i, text: clean(i.text), groups: i.groups.map((g) => ({ ...g, name: clean(g.name) })) })),
          },
        }
      : {}),
    ...(model.annex ? { annex: model.annex.map((a) => ({ ...a, title: clean(a.title), cards: a.cards.map((c) => ({ ...c, text: clean(c.text) })) })) } : {}),
  };
  return { model: out, dropped };
}
