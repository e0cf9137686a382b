// The plenary synthesis as a slide deck (PowerPoint, .pptx), built with pptxgenjs: a
// title slide, one slide per synthesis section and per recommendation, the ranking, and
// one summary slide per group. Slides hold short text: anything longer is cut with an
// ellipsis (the full text is in the other formats), so nothing overflows a slide.
import pptxgenjs from 'pptxgenjs';
import { groupTitle, type Consolidated, type ConsolidatedGroup, type SynthesisItem } from '../../shared/consolidated.js';
import { blocksText } from '../../shared/rich-text.js';
import { dateLine, labelsFor, type Labels } from './labels.js';

/** How much text each kind of slide keeps (characters, lines), chosen to fit a 13.33 × 7.5 in slide at these font sizes. */
export const PPTX_LIMITS = { title: 120, sectionText: 900, itemText: 500, rankedItems: 12, rankedText: 110, groupSections: 8, groupLine: 110 } as const;

// The package's types are CommonJS-shaped while Node loads its ES build: take the class from wherever it is.
const PptxGenJS = ((pptxgenjs as unknown as { default?: unknown }).default ?? pptxgenjs) as typeof pptxgenjs.default;

const FONT = 'Arial';
const INK = '1F2937';
const MUTED = '6B7280';

/** The text cut to `max` characters, whitespace folded, with an ellipsis when cut. */
export function trimText(text: string, max: number): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}

const hasVotes = (items: readonly SynthesisItem[]) => items.some((i) => i.dots > 0 || i.voters > 0);

type Slide = ReturnType<InstanceType<typeof PptxGenJS>['addSlide']>;

function heading(slide: Slide, text: string): void {
  slide.addText(trimText(text, PPTX_LIMITS.title), { x: 0.6, y: 0.4, w: 12.1, h: 1.0, fontFace: FONT, fontSize: 30, bold: true, color: INK, valign: 'top', fit: 'shrink' });
}

/** Lines as text runs: pptxgenjs breaks a line only where a run says so, not at '\n'. */
const runs = (lines: readonly string[]) => lines.map((text, i) => ({ text, options: { breakLine: i < lines.length - 1 } }));

function body(slide: Slide, lines: readonly string[], fontSize = 20): void {
  slide.addText(runs(lines), { x: 0.6, y: 1.6, w: 12.1, h: 5.3, fontFace: FONT, fontSize, color: INK, valign: 'top', fit: 'shrink' });
}

function groupLines(group: ConsolidatedGroup, labels: Labels): string[] {
  const sections = group.sections.filter((s) => s.heading.trim() !== '' || s.body.length > 0);
  if (sections.length === 0) return [labels.noContent];
  const lines = sections.slice(0, PPTX_LIMITS.groupSections).map((s) => {
    const first = blocksText(s.body).split('\n').find((l) => l.trim() !== '') ?? '';
    return trimText([s.heading.trim(), first.trim()].filter(Boolean).join(': '), PPTX_LIMITS.groupLine);
  });
  if (sections.length > PPTX_LIMITS.groupSections) lines.push('…');
  return lines;
}

export async function renderPptx(model: Consolidated): Promise<Buffer> {
  const labels = labelsFor(model.workshop.language);
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.title = model.workshop.title;

  const cover = pptx.addSlide();
  cover.addText(trimText(model.workshop.title, PPTX_LIMITS.title) || 'Relatoría', { x: 0.8, y: 2.2, w: 11.7, h: 1.8, fontFace: FONT, fontSize: 40, bold: true, color: INK, align: 'center', valign: 'middle', fit: 'shrink' });
  cover.addText(dateLine(model.workshop), { x: 0.8, y: 4.1, w: 11.7, h: 0.8, fontFace: FONT, fontSize: 22, color: MUTED, align: 'center' });

  const synthesis = model.synthesis;
  const items = synthesis?.items ?? [];
  const voted = hasVotes(items);
  for (const section of synthesis?.sections ?? []) {
    const slide = pptx.addSlide();
    heading(slide, section.heading.trim() || labels.synthesis);
    body(slide, [trimText(blocksText(section.body), PPTX_LIMITS.sectionText) || labels.noContent]);
  }
  items.forEach((item, i) => {
    const slide = pptx.addSlide();
    heading(slide, `${labels.recommendation} ${i + 1}`);
    slide.addText(trimText(item.text, PPTX_LIMITS.itemText), { x: 0.6, y: 1.6, w: 12.1, h: 3.8, fontFace: FONT, fontSize: 24, color: INK, valign: 'top', fit: 'shrink' });
    const facts = [item.groups.length > 0 ? `${labels.sourceGroups}: ${item.groups.map((g) => g.name).join(', ')}` : '', voted ? `${labels.dots}: ${item.dots} · ${labels.voters}: ${item.voters}` : ''].filter(Boolean);
    if (facts.length > 0) slide.addText(runs(facts.map((f) => trimText(f, 300))), { x: 0.6, y: 5.6, w: 12.1, h: 1.3, fontFace: FONT, fontSize: 16, color: MUTED, valign: 'top', fit: 'shrink' });
  });
  if (items.length > 0) {
    const slide = pptx.addSlide();
    heading(slide, labels.ranking);
    const lines = items.slice(0, PPTX_LIMITS.rankedItems).map((item, i) => `${i + 1}. ${trimText(item.text, PPTX_LIMITS.rankedText)}${voted ? ` (${labels.dots}: ${item.dots})` : ''}`);
    if (items.length > PPTX_LIMITS.rankedItems) lines.push('…');
    body(slide, lines, 18);
  }
  for (const group of model.groups) {
    const slide = pptx.addSlide();
    heading(slide, groupTitle(group));
    body(slide, groupLines(group, labels), 18);
  }
  const out = await pptx.write({ outputType: 'nodebuffer' });
  // 'nodebuffer' gives a Buffer; the declared union also names browser types.
  if (!Buffer.isBuffer(out)) throw new Error('pptxgenjs did not return a Buffer');
  return out;
}
