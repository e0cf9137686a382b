// How much structure one imported Markdown document may have. The parser's time grows
// much faster than the document on some shapes (a paragraph dense with `*`, `_` and `[`,
// thousands of table columns, footnotes or link definitions) and deep nesting overflows
// the stack, so the server refuses these before parsing with a 422 whose code names the
// limit; the client shows the same numbers. Imports nothing.

export const MARKDOWN_STRUCTURE_LIMITS = {
  /** Block quotes and lists inside one another (30 lists take 60 of a board's 64 XML levels: shared/rich-text.ts). */
  depth: 30,
  /** `*`, `_`, `~`, `[` and `]` in one paragraph (each list item, heading and table row counts apart). */
  delimitersPerParagraph: 2_000,
  tableColumns: 64,
  footnoteDefinitions: 1_000,
  linkDefinitions: 1_000,
} as const;

export type MarkdownStructureLimit = keyof typeof MARKDOWN_STRUCTURE_LIMITS;

/** The error code of each refusal (HTTP 422). */
export const IMPORT_LIMIT_CODES = {
  depth: 'import_too_deep',
  delimitersPerParagraph: 'import_too_many_delimiters',
  tableColumns: 'import_too_many_columns',
  footnoteDefinitions: 'import_too_many_footnotes',
  linkDefinitions: 'import_too_many_links',
} as const satisfies Record<MarkdownStructureLimit, string>;

/** A document or archive that took longer to read than the server's time budget. */
export const IMPORT_TOO_COMPLEX = 'import_too_complex';
/** Every import reader is busy and the queue is full (HTTP 503). */
export const IMPORT_BUSY = 'import_busy';
