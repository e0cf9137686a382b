// The export formats: media type, file extension and renderer of each, and the file
// name a download gets (the workshop's title and day, accents kept).
import type { Consolidated } from '../../shared/consolidated.js';
import { renderDocx } from './docx.js';
import { renderHtml } from './html.js';
import { renderArchive } from './json-archive.js';
import { renderMarkdown } from './markdown.js';
import { renderPdf } from './pdf.js';
import { renderPptx } from './pptx.js';

export const EXPORT_FORMATS = {
  md: { mediaType: 'text/markdown; charset=utf-8', extension: 'md', render: renderMarkdown },
  html: { mediaType: 'text/html; charset=utf-8', extension: 'html', render: renderHtml },
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx', render: renderDocx },
  pdf: { mediaType: 'application/pdf', extension: 'pdf', render: renderPdf },
  pptx: { mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extension: 'pptx', render: renderPptx },
  json: { mediaType: 'application/json; charset=utf-8', extension: 'json', render: renderArchive },
} satisfies Record<string, { mediaType: string; extension: string; render: (model: Consolidated) => string | Promise<Buffer> }>;

export type ExportFormat = keyof typeof EXPORT_FORMATS;
export const isExportFormat = (f: unknown): f is ExportFormat => typeof f === 'string' && Object.hasOwn(EXPORT_FORMATS, f);

/** "Taller de intercambio 2025-11-21.md": no path separators or control characters, at most 120 characters. */
export function exportFileName(model: Consolidated, format: ExportFormat): string {
  const title = model.workshop.title
    .normalize('NFC')
    .replace(/[\p{Cc}\\/:*?"<>|]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100)
    .trim();
  return `${title || 'relatoria'} ${model.workshop.date}.${EXPORT_FORMATS[format].extension}`;
}

/** A Content-Disposition header with an ASCII fallback and the UTF-8 name (RFC 6266, RFC 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
