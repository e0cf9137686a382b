// Each export format's renderer: the consolidated document as a file. Loaded by the
// export workers (export-tasks.ts), not by the main thread.
import type { Consolidated } from '../../shared/consolidated.js';
import { renderDocx } from './docx.js';
import type { ExportFormat } from './formats.js';
import { renderHtml } from './html.js';
import { renderArchive } from './json-archive.js';
import { renderMarkdown } from './markdown.js';
import { renderPdf } from './pdf.js';
import { renderPptx } from './pptx.js';

export const EXPORT_RENDERERS: Record<ExportFormat, (model: Consolidated) => string | Promise<Buffer>> = {
  md: renderMarkdown,
  html: renderHtml,
  docx: renderDocx,
  pdf: renderPdf,
  pptx: renderPptx,
  json: renderArchive,
};
