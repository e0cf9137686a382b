// The export formats: media type and file extension of each, and the file name a download
// gets (the workshop's title and day, accents kept). The renderers are renderers.ts's, run
// in the export workers (export-pool.ts): the main thread never loads them.
import type { Consolidated } from '../../shared/consolidated.js';

export const EXPORT_FORMATS = {
  md: { mediaType: 'text/markdown; charset=utf-8', extension: 'md' },
  html: { mediaType: 'text/html; charset=utf-8', extension: 'html' },
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' },
  pdf: { mediaType: 'application/pdf', extension: 'pdf' },
  pptx: { mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extension: 'pptx' },
  json: { mediaType: 'application/json; charset=utf-8', extension: 'json' },
} satisfies Record<string, { mediaType: string; extension: string }>;

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
