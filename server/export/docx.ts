// Consolidated → a Word document (the `docx` package): the workshop title as Title,
// groups as Heading 1 (each on a new page), sections as Heading 2, body headings
// below them; real Word lists (bullets and numbers, nested), tables, and real
// footnotes numbered across the document. Page numbers in the footer.
import {
  AlignmentType,
  Bookmark,
  BorderStyle,
  Document,
  ExternalHyperlink,
  FootnoteReferenceRun,
  Footer,
  HeadingLevel,
  InternalHyperlink,
  LevelFormat,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Tab,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type INumberingOptions,
  type ParagraphChild,
} from 'docx';
import { groupSubtitle, groupTitle, type Consolidated } from '../../shared/consolidated.js';
import { headingLevel, normalizeInlines, type Align, type Block, type Inline } from '../../shared/rich-text.js';
import { clusterBlocks } from './annex-clusters.js';
import { citedChapters, recommendationBlocks } from './synthesis-blocks.js';
import { DOCX_LANGUAGE, dateLine, labelsFor } from './labels.js';
import { bodyHeadingDepth } from './outline.js';
import { safeHref } from '../../shared/safe-href.js';

const HEADINGS = [
  HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6,
] as const;
const heading = (depth: number) => HEADINGS[headingLevel(depth - 1) - 1];

const MONO = 'Consolas';

const HEADING_STYLES: Array<[id: string, name: string, size: number, before: number]> = [
  ['Heading1', 'Heading 1', 32, 360],
  ['Heading2', 'Heading 2', 26, 280],
  ['Heading3', 'Heading 3', 24, 240],
  ['Heading4', 'Heading 4', 22, 200],
  ['Heading5', 'Heading 5', 22, 200],
  ['Heading6', 'Heading 6', 22, 200],
];
const INDENT = 720; // twips per list level

const ALIGN: Record<Align, (typeof AlignmentType)[keyof typeof AlignmentType]> = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
};

/** Everything one rendering accumulates: notes and list definitions. */
class Context {
  readonly footnotes: Record<number, { children: Paragraph[] }> = {};
  /** A code block's language has no place in Word: it is the name of a style based on Code ("Code (python)"), which the import reads back. */
  readonly #codeStyles = new Map<string, string>();
  readonly definitions: Array<INumberingOptions['config'][number]> = [];
  #nextNote = 1;
  #nextList = 0;

  note(content: string): FootnoteReferenceRun {
    const id = this.#nextNote++;
    this.footnotes[id] = { children: [new Paragraph({ children: [new TextRun(content)] })] };
    return new FootnoteReferenceRun(id);
  }

  codeStyle(language: string): string {
    if (language === '') return 'Code';
    let id = this.#codeStyles.get(language);
    if (!id) this.#codeStyles.set(language, (id = `CodeLang${this.#codeStyles.size + 1}`));
    return id;
  }

  codeStyles(): Array<{ id: string; name: string; basedOn: string; next: string }> {
    return [...this.#codeStyles].map(([language, id]) => ({ id, name: `Code (${language})`, basedOn: 'Code', next: 'Normal' }));
  }

  /** Each ordered list its own numbering, so it counts from its own start. */
  orderedList(start: number): string {
    const reference = `ordered-${this.#nextList++}`;
    this.definitions.push({
      reference,
      levels: Array.from({ length: 9 }, (_, level) => ({
        level,
        format: LevelFormat.DECIMAL,
        text: `%${level + 1}.`,
        start,
        alignment: AlignmentType.START,
        style: { paragraph: { indent: { left: INDENT * (level + 1), hanging: 360 } } },
      })),
    });
    return reference;
  }
}

/** Where blocks are written: in a list item, a quote, a table cell. */
interface Place {
  listLevel?: number;
  quote?: boolean;
  align?: Align | null;
  /** In a header cell: its paragraphs take the bold 'Table Heading' style, so a run's own bold stays its own (and reads back as such). */
  header?: boolean;
}

function runs(content: Inline[], ctx: Context): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const inline of normalizeInlines(content)) {
    if (inline.type === 'footnote') {
      out.push(ctx.note(inline.content));
      continue;
    }
    if (inline.type === 'hardBreak') {
      out.push(new TextRun({ text: '', break: 1 }));
      continue;
    }
    const m = inline.marks ?? {};
    const href = m.link ? safeHref(m.link) : null;
    const run = new TextRun({
      children: withTabs(inline.text),
      bold: m.bold,
      italics: m.italic,
      strike: m.strike,
      ...(m.underline ? { underline: {} } : {}),
      ...(m.code ? { font: MONO, shading: { type: ShadingType.CLEAR, fill: 'F1F3F4', color: 'auto' } } : {}),
      ...(href ? { style: 'Hyperlink' } : {}),
    });
    // "#name" is a bookmark in this document (a group's chapter): Word's internal link, w:anchor.
    out.push(!href ? run : href.startsWith('#') ? new InternalHyperlink({ anchor: href.slice(1), children: [run] }) : new ExternalHyperlink({ link: href, children: [run] }));
  }
  return out;
}

/** A tab in the text is Word's tab (w:tab, to the next tab stop), never a raw character in w:t. */
function withTabs(text: string): Array<string | Tab> {
  return text.split('\t').flatMap((part, i) => [...(i > 0 ? [new Tab()] : []), ...(part !== '' ? [part] : [])]);
}

function paragraphOptions(place: Place) {
  return {
    ...(place.quote ? { style: 'Quote' } : place.header ? { style: 'TableHeading' } : {}),
    ...(place.listLevel !== undefined ? { indent: { left: INDENT * (place.listLevel + 1) } } : {}),
    ...(place.align ? { alignment: ALIGN[place.align] } : {}),
  };
}

/**
 * Two quotes, two code blocks or two bulleted lists in a row would read back as one
 * (consecutive Quote or Code paragraphs are one block; bullets share Word's numbering):
 * an empty paragraph between them keeps them apart, in Word as on a re-import.
 */
const runTogether = (a: Block | undefined, b: Block) =>
  a !== undefined && a.type === b.type && (b.type === 'quote' || b.type === 'code' || (b.type === 'list' && !b.ordered && a.type === 'list' && !a.ordered));

function blocks(bs: Block[], ctx: Context, place: Place = {}): Array<Paragraph | Table> {
  const out: Array<Paragraph | Table> = [];
  let previous: Block | undefined;
  for (const b of bs) {
    if (runTogether(previous, b)) out.push(new Paragraph({ ...paragraphOptions({ ...place, quote: false, align: null }), children: [] }));
    previous = b;
    switch (b.type) {
      case 'paragraph':
        out.push(new Paragraph({ ...paragraphOptions(place), children: runs(b.content, ctx) }));
        break;
      case 'heading':
        out.push(new Paragraph({ heading: heading(bodyHeadingDepth(b.level)), children: runs(b.content, ctx) }));
        break;
      case 'list': {
        const level = place.listLevel !== undefined ? Math.min(8, place.listLevel + 1) : 0;
        const reference = b.ordered ? ctx.orderedList(b.start) : null;
        for (const item of b.items) {
          const [first, ...rest] = item;
          const lead = first?.type === 'paragraph';
          out.push(
            new Paragraph({
              ...(place.quote ? { style: 'Quote' } : {}),
              children: lead ? runs(first.content, ctx) : [],
              ...(reference ? { numbering: { reference, level } } : { bullet: { level } }),
            }),
          );
          for (const child of blocks(lead ? rest : item, ctx, { ...place, listLevel: level })) out.push(child);
        }
        break;
      }
      case 'table':
        out.push(table(b, ctx));
        break;
      case 'code':
        out.push(
          new Paragraph({
            ...paragraphOptions({ ...place, align: null }),
            style: ctx.codeStyle(b.language),
            children: b.text.split('\n').map((line, i) => new TextRun({ children: withTabs(line), ...(i > 0 ? { break: 1 } : {}) })),
          }),
        );
        break;
      case 'quote':
        for (const item of blocks(b.content, ctx, { ...place, quote: true })) out.push(item);
        break;
      case 'rule':
        out.push(new Paragraph({ style: 'HorizontalLine', children: [] }));
        break;
    }
  }
  return out;
}

function table(b: Extract<Block, { type: 'table' }>, ctx: Context): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: b.rows.map(
      (row, r) =>
        new TableRow({
          tableHeader: r === 0 && row.every((c) => c.header),
          children: row.map((cell) => {
            const content = blocks(cell.content, ctx, { align: cell.align ?? b.rows[0]?.[row.indexOf(cell)]?.align ?? null, header: cell.header });
            return new TableCell({
              columnSpan: cell.colspan,
              rowSpan: cell.rowspan,
              ...(cell.header ? { shading: { type: ShadingType.CLEAR, fill: 'F4F5F7', color: 'auto' } } : {}),
              children: content.length > 0 ? content : [new Paragraph({ children: [] })],
            });
          }),
        }),
    ),
  });
}

function annexTable(cards: NonNullable<Consolidated['annex']>[number]['cards'], labels: ReturnType<typeof labelsFor>): Table {
  const cell = (text: string, options: { bold?: boolean; right?: boolean } = {}) =>
    new TableCell({
      ...(options.bold ? { shading: { type: ShadingType.CLEAR, fill: 'F4F5F7', color: 'auto' } } : {}),
      children: [new Paragraph({ ...(options.right ? { alignment: AlignmentType.RIGHT } : {}), children: [new TextRun({ text, bold: options.bold })] })],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({
        tableHeader: true,
        children: [
          cell(labels.rank, { bold: true, right: true }), cell(labels.card, { bold: true }),
          cell(labels.dots, { bold: true, right: true }), cell(labels.voters, { bold: true, right: true }), cell(labels.author, { bold: true }),
        ],
      }),
      ...cards.map(
        (c, i) =>
          new TableRow({
            children: [cell(String(i + 1), { right: true }), cell(c.text), cell(String(c.dots), { right: true }), cell(String(c.voters), { right: true }), cell(c.author)],
          }),
      ),
    ],
  });
}

/** The document, before packing (tests read its parts). */
export function buildDocx(model: Consolidated): Document {
  const w = model.workshop;
  const labels = labelsFor(w.language);
  const ctx = new Context();
  // Each cited chapter's heading holds a bookmark (letters, digits and '_', as Word names them); the recommendations link to it.
  const chapters = citedChapters(model, (i) => `grupo_${i + 1}`);
  const children: Array<Paragraph | Table> = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(w.title)] }),
    new Paragraph({ style: 'Subtitle', children: [new TextRun(dateLine(w))] }),
  ];
  if (model.synthesis) {
    const s = model.synthesis;
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(labels.synthesis)] }));
    if (s.title.trim() !== '') children.push(new Paragraph({ style: 'BoardTitle', children: [new TextRun(s.title)] }));
    for (const section of s.sections) {
      if (section.heading.trim() !== '') children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(section.heading)] }));
      for (const item of blocks(section.body, ctx)) children.push(item);
    }
    if (s.items.length > 0) {
      children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(labels.recommendations)] }));
      const anchorOf = (id: string) => {
        const name = chapters.get(id);
        return name ? `#${name}` : null;
      };
      for (const item of blocks(recommendationBlocks(s.items, labels, anchorOf), ctx)) children.push(item);
    }
  }
  model.groups.forEach((g, i) => {
    const title = new TextRun(groupTitle(g));
    const bookmark = chapters.get(g.id);
    children.push(new Paragraph({
      heading: HeadingLevel.HEADING_1,
      pageBreakBefore: i > 0 || model.synthesis !== undefined,
      children: [bookmark ? new Bookmark({ id: bookmark, children: [title] }) : title],
    }));
    if (groupSubtitle(g)) children.push(new Paragraph({ style: 'BoardTitle', children: [new TextRun(groupSubtitle(g))] }));
    if (g.question) children.push(new Paragraph({ style: 'GuidingQuestion', children: [new TextRun({ text: g.question, italics: true })] }));
    for (const section of g.sections) {
      if (section.heading.trim() !== '') children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(section.heading)] }));
      for (const item of blocks(section.body, ctx)) children.push(item);
    }
  });
  if (model.annex) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [new TextRun(labels.annex)] }));
    for (const g of model.annex) {
      children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(g.title)] }));
      children.push(g.cards.length > 0 ? annexTable(g.cards, labels) : new Paragraph({ children: [new TextRun(labels.noCards)] }));
      if (g.clusters) for (const item of blocks(clusterBlocks(g.clusters, labels), ctx)) children.push(item);
    }
  }
  const language = DOCX_LANGUAGE[w.language];
  return new Document({
    // Word shows these as the author and "last modified by" (else "Un-named"): the workshop has no organizer field, so its title.
    creator: w.title,
    lastModifiedBy: w.title,
    title: w.title,
    defaultTabStop: 720,
    description: dateLine(w),
    features: { updateFields: false },
    styles: {
      default: {
        document: { run: { font: 'Calibri', size: 22, language: { value: language } }, paragraph: { spacing: { after: 120, line: 276, lineRule: LineRuleType.AUTO } } },
      },
      paragraphStyles: [
        { id: 'Title', name: 'Title', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: 44, bold: true, color: '1D1D1F' }, paragraph: { spacing: { after: 80 } } },
        ...HEADING_STYLES.map(([id, name, size, before]) => ({
          id, name, basedOn: 'Normal', next: 'Normal', quickFormat: true,
          run: { size, bold: true, color: '1F3864' },
          paragraph: { keepNext: true, spacing: { before, after: 120 } },
        })),
        {
          id: 'Quote', name: 'Quote', basedOn: 'Normal', next: 'Normal', quickFormat: true,
          run: { italics: true, color: '3C4043' },
          paragraph: { indent: { left: INDENT }, border: { left: { style: BorderStyle.SINGLE, size: 18, color: 'D0D4DA', space: 8 } } },
        },
        {
          id: 'Code', name: 'Code', basedOn: 'Normal', quickFormat: true,
          run: { font: MONO, size: 19 },
          paragraph: { shading: { type: ShadingType.CLEAR, fill: 'F4F5F7', color: 'auto' }, spacing: { after: 120, line: 240 } },
        },
        ...ctx.codeStyles(),
        {
          // A thematic break as Word writes one when "---" is typed (AutoFormat) and as LibreOffice's own
          // "Horizontal Line" style is: an empty paragraph with only a bottom border, set small so
          // that it draws a rule, not a blank line. The style name lets a reader map it back to <hr>.
          id: 'HorizontalLine', name: 'Horizontal Line', basedOn: 'Normal', next: 'Normal', quickFormat: true,
          run: { size: 6 },
          paragraph: { border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: 'BFC4CA', space: 1 } }, spacing: { before: 120, after: 240, line: 120, lineRule: LineRuleType.EXACT } },
        },
        // The group's guiding question looks like a quote; its own style tells the import (server/import/docx*.ts) which it is.
        { id: 'GuidingQuestion', name: 'Guiding Question', basedOn: 'Quote', next: 'Normal', quickFormat: true },
        // A board's own title under its group's name; its style tells the import it is the title.
        { id: 'BoardTitle', name: 'Board Title', basedOn: 'Normal', next: 'Normal', run: { bold: true } },
        { id: 'TableHeading', name: 'Table Heading', basedOn: 'Normal', next: 'Normal', run: { bold: true } },
        { id: 'Subtitle', name: 'Subtitle', basedOn: 'Normal', next: 'Normal', run: { color: '5F6368', size: 24 }, paragraph: { spacing: { after: 360 } } },
      ],
    },
    numbering: { config: ctx.definitions },
    footnotes: ctx.footnotes,
    sections: [
      {
        properties: { page: { margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: labelsPageRuns(labels), size: 18, color: '5F6368' })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
}

/** "Página N de M" with Word's page fields in place of the numbers. */
function labelsPageRuns(labels: ReturnType<typeof labelsFor>): Array<string | (typeof PageNumber)[keyof typeof PageNumber]> {
  const [before, middle, after] = labels.page(-1, -2).split(/-1|-2/);
  return [before ?? '', PageNumber.CURRENT, middle ?? '', PageNumber.TOTAL_PAGES, after ?? ''];
}

export async function renderDocx(model: Consolidated): Promise<Buffer> {
  return Packer.toBuffer(buildDocx(model));
}
