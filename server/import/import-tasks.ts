// What an import worker runs (import-worker.mjs loads this module): a Markdown document
// or a JSON archive read into plain data — sections, or the archive's fields — which the
// main thread then writes into boards. No Y.Doc here: a worker can be terminated at any
// moment, and what it returns crosses threads as a structured clone.
import type { Archive } from '../export/json-archive.js';
import { HttpError } from '../http/http-error.js';
import type { TaskOutcome } from '../lib/worker-pool.js';
import { parseArchive } from './archive.js';
import { bodyText } from './body-text.js';
import { importDocx, type ImportedDocx } from './docx.js';
import { importMarkdown, type ImportContext, type ImportedBoard } from './markdown.js';
import { IMPORT_TOO_COMPLEX } from '../../shared/import-limits.js';

/** A request body's bytes (decoded here, off the event loop) and what to read them as. */
export type ImportTask =
  | { kind: 'markdown'; bytes: Uint8Array; context: ImportContext }
  | { kind: 'docx'; bytes: Uint8Array; context: ImportContext }
  | { kind: 'archive'; bytes: Uint8Array };

export type ImportOutcome = TaskOutcome<ImportedBoard | ImportedDocx | Archive>;

const tooComplex = (message: string): ImportOutcome => ({ ok: false, status: 422, code: IMPORT_TOO_COMPLEX, message });

/** Reads one task; a .docx is unzipped asynchronously (docx-zip.ts), the rest synchronously. */
export async function runTask(task: ImportTask): Promise<ImportOutcome> {
  try {
    if (task.kind === 'docx') return { ok: true, value: await importDocx(task.bytes, task.context) };
    const source = bodyText(task.bytes);
    return { ok: true, value: task.kind === 'markdown' ? importMarkdown(source, task.context) : parseArchive(source) };
  } catch (err) {
    if (err instanceof HttpError) return { ok: false, status: err.status, code: err.code, message: err.message };
    // A shape no limit caught that still ran out of stack: refused like one that takes too long.
    if (err instanceof RangeError) return tooComplex('The document is too complex to import: it nests too deeply');
    throw err;
  }
}

/** Runs each reader once, so that the first real import is not also the one that compiles them. */
export async function warmUp(): Promise<void> {
  const bytes = (s: string) => new TextEncoder().encode(s);
  await runTask({ kind: 'markdown', bytes: bytes('# Grupo\n\n## Sección\n\n- **uno** y _dos_[^1]\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> cita\n\n[^1]: nota\n'), context: { names: [] } });
  await runTask({ kind: 'archive', bytes: bytes('{}') });
  await runTask({ kind: 'docx', bytes: bytes('not a zip'), context: { names: [] } });
}
