// Flat runs of formatted text → nested spans, for formats whose marks nest (Markdown,
// HTML). Marks open in a fixed order (link outermost), so runs that share a mark share
// its span; a footnote between two runs of the same formatting sits inside it
// ("**adecuado[^1] y contexto**"). Whitespace at a span's edges moves outside it, where
// Markdown needs it (`**foo **` is no emphasis).
import { normalizeInlines, text, type Inline, type Marks } from '../../shared/rich-text.js';

export type SpanMark = 'bold' | 'italic' | 'strike' | 'underline' | { link: string };

export type InlineNode =
  | { type: 'span'; mark: SpanMark; children: InlineNode[] }
  | { type: 'text'; text: string; code: boolean }
  | { type: 'footnote'; content: string }
  | { type: 'hardBreak' };

const markKey = (m: SpanMark): string => (typeof m === 'string' ? m : `link:${m.link}`);

function spanMarks(marks: Marks | undefined): SpanMark[] {
  const out: SpanMark[] = [];
  if (!marks) return out;
  if (marks.link) out.push({ link: marks.link });
  for (const name of ['bold', 'italic', 'strike', 'underline'] as const) if (marks[name]) out.push(name);
  return out;
}

function common(a: SpanMark[], b: SpanMark[]): SpanMark[] {
  const keys = new Set(b.map(markKey));
  return a.filter((m) => keys.has(markKey(m)));
}

/** Edge whitespace of a formatted run takes the formatting it shares with its neighbour. */
function hoistWhitespace(inlines: Inline[]): Inline[] {
  const out: Inline[] = [];
  inlines.forEach((inline, i) => {
    if (inline.type !== 'text' || !inline.marks || inline.marks.code) {
      out.push(inline);
      return;
    }
    // trimStart/trimEnd, not a regex: linear on any input.
    const start = inline.text.length - inline.text.trimStart().length;
    const core = inline.text.trim();
    const lead = inline.text.slice(0, start);
    const trail = inline.text.slice(start + core.length);
    // A footnote is transparent: the run beyond it is the neighbour.
    const neighbourMarks = (j: number): Marks | undefined => {
      const step = j < i ? -1 : 1;
      while (inlines[j]?.type === 'footnote') j += step;
      const n = inlines[j];
      return n?.type === 'text' ? n.marks : undefined;
    };
    const shared = (other: Marks | undefined): Marks => {
      const s: Marks = {};
      for (const k of ['bold', 'italic', 'strike', 'underline'] as const) if (inline.marks?.[k] && other?.[k]) s[k] = true;
      if (inline.marks?.link && inline.marks.link === other?.link) s.link = inline.marks.link;
      return s;
    };
    if (core === '') {
      out.push(text(inline.text, shared(neighbourMarks(i - 1))));
      return;
    }
    if (lead) out.push(text(lead, shared(neighbourMarks(i - 1))));
    out.push(text(core, inline.marks));
    if (trail) out.push(text(trail, shared(neighbourMarks(i + 1))));
  });
  return normalizeInlines(out);
}

export function nestInlines(input: Inline[]): InlineNode[] {
  const inlines = hoistWhitespace(normalizeInlines(input));
  const marksAt = inlines.map((inline, i): SpanMark[] => {
    if (inline.type === 'text') return spanMarks(inline.marks);
    if (inline.type === 'hardBreak') return []; // a break cannot end a span in Markdown
    const prev = inlines[i - 1];
    const next = inlines[i + 1];
    return prev?.type === 'text' && next?.type === 'text' ? common(spanMarks(prev.marks), spanMarks(next.marks)) : [];
  });
  const root: InlineNode[] = [];
  const stack: Array<{ key: string; children: InlineNode[] }> = [];
  const top = () => stack.at(-1)?.children ?? root;
  inlines.forEach((inline, i) => {
    const want = marksAt[i] ?? [];
    let keep = 0;
    while (keep < stack.length && keep < want.length && stack[keep]?.key === markKey(want[keep] as SpanMark)) keep++;
    stack.length = keep;
    for (const mark of want.slice(keep)) {
      const span: InlineNode = { type: 'span', mark, children: [] };
      top().push(span);
      stack.push({ key: markKey(mark), children: span.children });
    }
    top().push(
      inline.type === 'text' ? { type: 'text', text: inline.text, code: inline.marks?.code === true } : inline,
    );
  });
  return root;
}
