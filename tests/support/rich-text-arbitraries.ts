// Random boards for property tests: the blocks and marks the model has, Spanish words
// and the characters Markdown gives a meaning to. Inline content comes normalized, as a
// board reads it (equal neighbours merged); marked runs hold whole words.
import fc from 'fast-check';
import type { BoardContent } from '../../shared/board.js';
import { normalizeInlines, type Block, type Inline, type Marks } from '../../shared/rich-text.js';


const vocabulary = [
  'taller', 'público', 'ñandú', 'acción', 'ÉXITO', '¿qué?', '¡sí!', 'a*b', '_x_', '[nota]', '<u>', '#1', '1.', '-', '+', '100%',
  '&amp;', 'C++', '`tick`', 'a|b', '~', 'x\\y', '“cita”', '—', 'e.g.', '(paréntesis)', 'sector', 'mercado', '2025', 'sí,', 'no;',
];
const word = fc.constantFrom(...vocabulary);
const phrase = fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' '));
const marks: fc.Arbitrary<Marks> = fc.record(
  {
    bold: fc.constant(true as const),
    italic: fc.constant(true as const),
    strike: fc.constant(true as const),
    code: fc.constant(true as const),
    underline: fc.constant(true as const),
    link: fc.constantFrom('https://ejemplo.org/a', 'https://x.org/b?c=d&e=f', 'mailto:ana@ejemplo.org'),
  },
  { requiredKeys: [] },
);
const run = fc.tuple(phrase, marks).map(([text, m]): Inline => (Object.keys(m).length ? { type: 'text', text, marks: m } : { type: 'text', text }));
const footnote = phrase.map((content): Inline => ({ type: 'footnote', content }));

function inlineContent(options: { breaks: boolean }): fc.Arbitrary<Inline[]> {
  const piece = fc.tuple(run, fc.option(footnote, { freq: 4 }));
  return fc.tuple(piece, fc.array(fc.tuple(options.breaks ? fc.boolean() : fc.constant(false), piece), { maxLength: 3 })).map(([first, rest]) => {
    const out: Inline[] = [];
    const push = ([r, f]: [Inline, Inline | null]) => {
      out.push(r);
      if (f) out.push(f);
    };
    push(first);
    for (const [hardBreak, p] of rest) {
      out.push(hardBreak ? { type: 'hardBreak' } : { type: 'text', text: ' ' });
      push(p);
    }
    return normalizeInlines(out); // as a board reads: equal neighbours merged
  });
}

const paragraph = inlineContent({ breaks: true }).map((content): Block => ({ type: 'paragraph', content }));
const heading = fc.tuple(fc.constantFrom(2, 3, 4) as fc.Arbitrary<2 | 3 | 4>, inlineContent({ breaks: false })).map(([level, content]): Block => ({ type: 'heading', level, content }));
const code = fc.tuple(fc.constantFrom('', 'js', 'python'), fc.array(fc.array(word, { maxLength: 4 }).map((ws) => ws.join(' ')), { minLength: 1, maxLength: 3 }))
  .filter(([, lines]) => lines.join('').trim() !== '')
  .map(([language, lines]): Block => ({ type: 'code', language, text: lines.join('\n') }));
const table = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).chain(([cols, rowCount]) =>
  fc.tuple(
    fc.array(fc.constantFrom(null, 'left', 'center', 'right') as fc.Arbitrary<'left' | 'center' | 'right' | null>, { minLength: cols, maxLength: cols }),
    fc.array(fc.array(inlineContent({ breaks: false }), { minLength: cols, maxLength: cols }), { minLength: rowCount, maxLength: rowCount }),
  ).map(([aligns, rows]): Block => ({
    type: 'table',
    rows: rows.map((row, r) => row.map((content, c) => ({ header: r === 0, colspan: 1, rowspan: 1, align: r === 0 ? (aligns[c] ?? null) : null, content: [{ type: 'paragraph', content }] }))),
  })),
);
const { block } = fc.letrec<{ block: Block; list: Block; quote: Block }>((tie) => ({
  block: fc.oneof({ depthSize: 'small', withCrossShrink: true }, paragraph, paragraph, heading, tie('list'), tie('quote'), code, table, fc.constant<Block>({ type: 'rule' })),
  list: fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 }), fc.array(fc.tuple(paragraph, fc.option(tie('list'), { freq: 3 })), { minLength: 1, maxLength: 3 }))
    .map(([ordered, start, items]): Block => ({
      type: 'list', ordered, start: ordered ? start : 1, items: items.map(([p, sub]) => (sub ? [p, sub] : [p])),
    })),
  quote: fc.array(paragraph, { minLength: 1, maxLength: 2 }).map((content): Block => ({ type: 'quote', content })),
}));

export const boardArbitrary: fc.Arbitrary<BoardContent> = fc.record({
  title: phrase,
  question: fc.option(phrase, { nil: '' }),
  sections: fc.array(fc.tuple(phrase, fc.array(block, { maxLength: 4 })), { minLength: 1, maxLength: 3 }),
  firstUntitled: fc.boolean(),
}).map(({ title, question, sections, firstUntitled }) => ({
  meta: { title, question },
  sections: sections.map(([heading, body], i) => ({ id: String(i), heading: i === 0 && firstUntitled && body.length > 0 ? '' : heading, body })),
  cards: [],
}));

