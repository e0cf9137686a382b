// A Word document (.docx) → what goes on one board, as the Markdown import does it: the
// group's title when the document opens with it, its guiding question when the document
// is one of our exports, and sections. Runs in an import worker only (import-tasks.ts):
// unzipping (docx-zip.ts, within limits) and parsing (docx-xml.ts, docx-read.ts) never
// happen on the event loop.
import type { SectionContent } from '../../shared/board.js';
import { DOCX_CODES, DOCX_LIMITS } from '../../shared/docx-import.js';
import { blocksText, leafBlocks, type Block, type Inline } from '../../shared/rich-text.js';
import { HttpError } from '../http/http-error.js';
import { GROUP_DEPTH, SECTION_DEPTH, TITLE_DEPTH, bodyHeadingLevel } from '../export/outline.js';
import { readDocxBody, type DocItem } from './docx-read.js';
import { child, parseXml, textOf } from './docx-xml.js';
import { readDocxZip } from './docx-zip.js';
import type { ImportContext, ImportedBoard } from './markdown.js';

export interface ImportedDocx extends ImportedBoard {
  /** Drawings, pictures, charts and text boxes left out (a board holds text). */
  drawings: number;
}

const plain = (inlines: Inline[]) => inlines.map((i) => (i.type === 'text' ? i.text : i.type === 'hardBreak' ? ' ' : '')).join('').trim();

const fold = (s: string) =>
  s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim().toLowerCase();

const namesMatch = (line: string, names: string[]) => {
  const l = fold(line);
  return l !== '' && names.some((n) => fold(n) !== '' && (l.includes(fold(n)) || fold(n).includes(l)));
};

/** Title and description of the document's properties: our export writes the workshop's title and date line there. */
function coreProperties(source: string | undefined): { title: string; description: string } | null {
  if (!source) return null;
  const root = parseXml(source, 'docProps/core.xml');
  const title = child(root, 'dc:title');
  const description = child(root, 'dc:description');
  return description ? { title: title ? textOf(title) : '', description: textOf(description) } : null;
}

type Heading = Extract<DocItem, { type: 'heading' }>;
const isHeading = (i: DocItem | undefined): i is Heading => i?.type === 'heading';

/** The board is written on the event loop: what it receives stays within DOCX_LIMITS. */
function checkSize(sections: SectionContent[]): void {
  const body = sections.flatMap((s) => s.body);
  const paragraphs = sections.length + leafBlocks(body).length;
  const characters = sections.reduce((n, s) => n + s.heading.length, 0) + blocksText(body).length;
  const over = (what: string) => new HttpError(413, DOCX_CODES.tooLarge, `The document is longer than a board takes (${what}); import it in parts`);
  if (paragraphs > DOCX_LIMITS.paragraphs) throw over(`more than ${DOCX_LIMITS.paragraphs.toLocaleString('en')} paragraphs and table cells`);
  if (characters > DOCX_LIMITS.characters) throw over(`more than ${DOCX_LIMITS.characters.toLocaleString('en')} characters`);
}

/** Reads a .docx (the request body's bytes) as one board's content. */
export async function importDocx(bytes: Uint8Array, context: ImportContext): Promise<ImportedDocx> {
  const { parts } = await readDocxZip(bytes);
  const { items: all, drawings } = readDocxBody(parts);
  let items = all;

  // Our export opens with the workshop's title and date line, also kept in its properties.
  const core = coreProperties(parts.get('docProps/core.xml'));
  let ours = false;
  if (core && core.description.trim() !== '') {
    let at = 0;
    if (isHeading(items[0]) && items[0].role === 'title' && plain(items[0].content) === core.title.trim()) at = 1;
    const date = items[at];
    if (isHeading(date) && date.role === 'subtitle' && plain(date.content) === core.description.trim()) {
      ours = true;
      items = items.slice(at + 1);
    }
  }
  // Elsewhere a subtitle is a paragraph.
  items = items.map((i): DocItem => (i.type === 'heading' && i.role === 'subtitle' ? { type: 'block', block: { type: 'paragraph', content: i.content } } : i));

  let title: string | null = null;
  let question: string | null = null;
  const first = items[0];
  if (isHeading(first)) {
    const words = plain(first.content);
    const deeperLater = items.some((h) => isHeading(h) && h !== first && h.depth > first.depth);
    // In our export the first heading after the workshop's is always the group's title.
    const groupHeading = ours && first.depth === GROUP_DEPTH;
    if (first.depth === TITLE_DEPTH || groupHeading || deeperLater || namesMatch(words, context.names)) {
      title = words;
      items = items.slice(1);
    }
  }
  // Our export writes the board's own title under the group's name when they differ, in a
  // style of its own: that is the board's title (the group keeps its name).
  const own = items[0];
  if (title !== null && own?.type === 'boardTitle') {
    title = plain(own.content);
    items = items.slice(1);
  }
  // Our export writes the guiding question under the group's title, in a style of its own.
  const next = items[0];
  if (title !== null && next?.type === 'question') {
    question = plain(next.content);
    items = items.slice(1);
  }
  // Elsewhere such a paragraph is a quote.
  items = items.map((i): DocItem => (i.type === 'question' ? { type: 'block', block: { type: 'quote', content: [{ type: 'paragraph', content: i.content }] } } : i));
  items = items.map((i): DocItem => (i.type === 'boardTitle' ? { type: 'block', block: { type: 'paragraph', content: i.content } } : i));

  const headings = items.filter(isHeading);
  const sectionDepth = ours ? SECTION_DEPTH : headings.length > 0 ? Math.min(...headings.map((h) => h.depth)) : 0;
  const sections: SectionContent[] = [];
  let pending: Block[] = [];
  let heading: string | null = null;
  const close = () => {
    if (heading !== null || pending.length > 0) sections.push({ heading: heading ?? '', body: pending });
    pending = [];
  };
  for (const item of items) {
    if (item.type !== 'heading') {
      if (item.type === 'block') pending.push(item.block);
    } else if (item.depth <= sectionDepth) {
      close();
      heading = plain(item.content);
    } else pending.push({ type: 'heading', level: bodyHeadingLevel(item.depth, sectionDepth), content: item.content });
  }
  close();
  checkSize(sections);
  // A Word document has no front matter, and its text is never mis-decoded (it is XML in UTF-8 or UTF-16, declared).
  return { title, question, sections, drawings, frontMatter: null, repaired: 0 };
}
