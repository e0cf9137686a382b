// An error as a person reads it: a localized title for its code, and the server's detail
// — or, for the refusals of an import, a localized explanation with the limit's number.
import { DOCX_CODES, DOCX_LIMITS } from '../../shared/docx-import.js';
import { EXPORT_BUSY, EXPORT_FAILED, EXPORT_TOO_LONG } from '../../shared/export-errors.js';
import { IMPORT_BUSY, IMPORT_LIMIT_CODES, IMPORT_TOO_COMPLEX, MARKDOWN_STRUCTURE_LIMITS } from '../../shared/import-limits.js';
import { ApiError } from './api.js';
import type { Params } from './i18n/catalogue.js';
import type { MessageKey } from './i18n/es.js';

const TITLES: Record<string, MessageKey> = {
  not_found: 'error.not_found',
  forbidden: 'error.forbidden',
  unauthorized: 'error.unauthorized',
  bad_request: 'error.bad_request',
  too_large: 'error.too_large',
  locked: 'error.locked',
  network: 'error.network',
  internal: 'error.internal',
  [IMPORT_TOO_COMPLEX]: 'error.import_too_complex',
  [IMPORT_BUSY]: 'error.busy',
  [EXPORT_BUSY]: 'error.busy',
  [EXPORT_TOO_LONG]: 'error.export_refused',
  [EXPORT_FAILED]: 'error.export_refused',
  ...Object.fromEntries(Object.values(IMPORT_LIMIT_CODES).map((code) => [code, 'error.import_too_complex' as const])),
  ...Object.fromEntries(Object.values(DOCX_CODES).map((code) => [code, 'error.docx_refused' as const])),
};

/** What the server's import refusals mean, in the reader's language (the limits are the server's own numbers). */
const EXPLAINED: Record<string, { key: MessageKey; params?: Params }> = {
  [IMPORT_TOO_COMPLEX]: { key: 'import.refused.slow' },
  [IMPORT_BUSY]: { key: 'import.refused.busy' },
  [EXPORT_BUSY]: { key: 'export.refused.busy' },
  [EXPORT_TOO_LONG]: { key: 'export.refused.slow' },
  [EXPORT_FAILED]: { key: 'export.refused.memory' },
  [IMPORT_LIMIT_CODES.depth]: { key: 'import.refused.depth', params: { max: MARKDOWN_STRUCTURE_LIMITS.depth } },
  [IMPORT_LIMIT_CODES.delimitersPerParagraph]: { key: 'import.refused.delimiters', params: { max: MARKDOWN_STRUCTURE_LIMITS.delimitersPerParagraph } },
  [IMPORT_LIMIT_CODES.tableColumns]: { key: 'import.refused.columns', params: { max: MARKDOWN_STRUCTURE_LIMITS.tableColumns } },
  [IMPORT_LIMIT_CODES.footnoteDefinitions]: { key: 'import.refused.footnotes', params: { max: MARKDOWN_STRUCTURE_LIMITS.footnoteDefinitions } },
  [IMPORT_LIMIT_CODES.linkDefinitions]: { key: 'import.refused.links', params: { max: MARKDOWN_STRUCTURE_LIMITS.linkDefinitions } },
  [DOCX_CODES.notZip]: { key: 'import.refused.docxNotZip' },
  [DOCX_CODES.notDocx]: { key: 'import.refused.docxNotWord' },
  [DOCX_CODES.tooLarge]: { key: 'import.refused.docxTooLarge', params: { max: DOCX_LIMITS.paragraphs } },
  [DOCX_CODES.embedded]: { key: 'import.refused.docxEmbedded' },
  [DOCX_CODES.external]: { key: 'import.refused.docxExternal' },
};

export interface ShownError {
  title: MessageKey;
  detail: string;
  /** Shown instead of `detail` when set: a localized explanation. */
  explain?: { key: MessageKey; params?: Params };
}

export function describeError(err: unknown): ShownError {
  if (err instanceof ApiError) {
    const explain = EXPLAINED[err.code];
    if (explain) return { title: TITLES[err.code] ?? 'error.generic', detail: err.message, explain };
    return { title: TITLES[err.code] ?? 'error.generic', detail: err.code === 'network' ? '' : err.message };
  }
  return { title: 'error.generic', detail: err instanceof Error ? err.message : String(err) };
}
