// Reads a JSON archive (server/export/json-archive.ts) back, trusting nothing: it is a
// file a person uploads. Truncated or malformed JSON, another format or version, an
// unknown field, a wrong type, a field past its limit, nesting too deep: each is a
// 400 with a message that says where, before anything is created.
import { z } from 'zod';
import { BOARD_LIMITS, CARD_COLORS } from '../../shared/board.js';
import { LANGUAGES, LIMITS } from '../../shared/model.js';
import { PHASE_KINDS } from '../../shared/session.js';
import type { Block, Inline } from '../../shared/rich-text.js';
import { isoDate } from '../export/consolidate.js';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, type Archive } from '../export/json-archive.js';
import { HttpError } from '../http/http-error.js';
import { describeZodError } from '../http/schemas.js';

export const ARCHIVE_LIMITS = {
  depth: 48,
  textLength: 100_000,
  sectionsPerBoard: 200,
  blocksPerBody: 5_000,
  cardsPerBoard: 2_000,
  agendaItems: 50,
} as const;

const invalid = (message: string) => new HttpError(400, 'invalid_archive', message);

/** Any text people write; no control characters but tab and newline. */
const text = (max: number) => z.string().max(max).regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, 'must not contain control characters');
const line = (min: number, max: number) => text(max).min(min).regex(/^[^\n]*$/, 'must be one line');

const marks = z.strictObject({
  bold: z.literal(true).optional(),
  italic: z.literal(true).optional(),
  strike: z.literal(true).optional(),
  code: z.literal(true).optional(),
  underline: z.literal(true).optional(),
  link: z.string().min(1).max(2048).optional(),
});

const inline: z.ZodType<Inline> = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: text(ARCHIVE_LIMITS.textLength).min(1), marks: marks.optional() }),
  z.strictObject({ type: z.literal('footnote'), content: text(ARCHIVE_LIMITS.textLength) }),
  z.strictObject({ type: z.literal('hardBreak') }),
]);

const span = z.number().int().min(1).max(100);

const block: z.ZodType<Block> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('paragraph'), content: z.array(inline).max(ARCHIVE_LIMITS.blocksPerBody) }),
    z.strictObject({
      type: z.literal('heading'),
      level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6)]),
      content: z.array(inline).max(ARCHIVE_LIMITS.blocksPerBody),
    }),
    z.strictObject({
      type: z.literal('list'),
      ordered: z.boolean(),
      start: z.number().int().min(0).max(1e9),
      items: z.array(blocks).max(ARCHIVE_LIMITS.blocksPerBody),
    }),
    z.strictObject({
      type: z.literal('table'),
      rows: z.array(
        z.array(
          z.strictObject({ header: z.boolean(), colspan: span, rowspan: span, align: z.enum(['left', 'center', 'right']).nullable(), content: blocks }),
        ).min(1).max(100),
      ).min(1).max(ARCHIVE_LIMITS.blocksPerBody),
    }),
    z.strictObject({ type: z.literal('code'), language: line(0, 64), text: text(ARCHIVE_LIMITS.textLength) }),
    z.strictObject({ type: z.literal('quote'), content: blocks }),
    z.strictObject({ type: z.literal('rule') }),
  ]),
);
const blocks: z.ZodType<Block[]> = z.lazy(() => z.array(block).max(ARCHIVE_LIMITS.blocksPerBody));

const card = z.strictObject({
  id: line(1, 64),
  text: text(BOARD_LIMITS.cardText),
  author: line(0, BOARD_LIMITS.authorName),
  color: z.enum(CARD_COLORS),
  createdAt: z.number().int().min(0),
});

const archiveSchema: z.ZodType<Archive> = z.strictObject({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  workshop: z.strictObject({
    title: line(1, LIMITS.titleLength),
    language: z.enum(LANGUAGES),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD'),
    place: line(0, LIMITS.titleLength),
    createdAt: z.number().int().min(0).max(8.64e15),
  }),
  agenda: z.array(z.strictObject({ name: line(1, 80), kind: z.enum(PHASE_KINDS), durationSec: z.number().int().min(0).max(86_400) })).max(ARCHIVE_LIMITS.agendaItems),
  groups: z.array(
    z.strictObject({
      id: line(1, 64),
      name: line(1, LIMITS.groupNameLength),
      question: text(LIMITS.questionLength),
      board: z.strictObject({
        // The board's title holds what a document's title can be (the board's own limit).
        title: line(0, LIMITS.titleLength),
        frontMatter: text(LIMITS.frontMatterLength).optional(),
        sections: z.array(z.strictObject({ heading: line(0, BOARD_LIMITS.heading), body: blocks })).max(ARCHIVE_LIMITS.sectionsPerBoard),
        cards: z.array(card).max(ARCHIVE_LIMITS.cardsPerBoard),
      }),
    }),
  ).min(1).max(LIMITS.maxGroups),
  annex: z.array(
    z.strictObject({
      groupId: line(1, 64),
      title: line(0, LIMITS.groupNameLength),
      cards: z.array(z.strictObject({ text: text(BOARD_LIMITS.cardText), author: line(0, BOARD_LIMITS.authorName), dots: z.number().int().min(0), voters: z.number().int().min(0) })).max(ARCHIVE_LIMITS.cardsPerBoard),
    }),
  ).max(LIMITS.maxGroups).optional(),
});

/** Deepest nesting of arrays and objects, counted without recursion (hostile input). */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, d);
    if (d > ARCHIVE_LIMITS.depth) return d;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

export function parseArchive(source: string): Archive {
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch {
    throw invalid('The archive is not valid JSON: it may be truncated or damaged');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid('The archive must be a JSON object');
  const { format, version } = data as { format?: unknown; version?: unknown };
  if (format !== ARCHIVE_FORMAT) throw invalid(`Not a Relatoría archive (format must be "${ARCHIVE_FORMAT}")`);
  if (version !== ARCHIVE_VERSION) {
    throw invalid(`Archive version ${JSON.stringify(version)} is not supported: this server reads version ${ARCHIVE_VERSION}`);
  }
  if (depthOf(data) > ARCHIVE_LIMITS.depth) throw invalid(`The archive nests deeper than ${ARCHIVE_LIMITS.depth} levels`);
  const result = archiveSchema.safeParse(data);
  if (!result.success) throw invalid(`The archive is not valid: ${describeZodError(result.error).slice(0, 500)}`);
  const { date, createdAt } = result.data.workshop;
  if (date !== isoDate(createdAt)) throw invalid('The archive is not valid: workshop.date is not the day of workshop.createdAt');
  return result.data;
}
