// The import workers: Markdown documents, Word documents and JSON archives read off the
// event loop (lib/worker-pool.ts). Parsing is where hostile input costs time — seconds to
// minutes for a body under the size limit — and stack; each read has a time budget, past
// which its worker is replaced and the caller gets a 422.
import { IMPORT_BUSY, IMPORT_TOO_COMPLEX } from '../../shared/import-limits.js';
import type { Archive } from '../export/json-archive.js';
import { HttpError } from '../http/http-error.js';
import { WorkerPool, type PoolSettings } from '../lib/worker-pool.js';
import type { ImportedDocx } from './docx.js';
import type { ImportTask } from './import-tasks.js';
import type { ImportContext, ImportedBoard } from './markdown.js';

/** Two threads read at once; one document may take 3 s; past 16 waiting, 503. */
export const IMPORT_POOL_DEFAULTS = { size: 2, timeBudgetMs: 3_000, maxQueue: 16 } as const;

export class ImportPool {
  readonly #pool: WorkerPool<ImportTask>;

  constructor(settings: PoolSettings) {
    this.#pool = new WorkerPool<ImportTask>({
      name: 'import',
      workerUrl: new URL('./import-worker.mjs', import.meta.url),
      settings,
      defaults: IMPORT_POOL_DEFAULTS,
      heapMb: 512,
      errors: {
        busy: () => new HttpError(503, IMPORT_BUSY, 'The server is reading other imports; try again in a moment'),
        overBudget: (budgetMs) => new HttpError(422, IMPORT_TOO_COMPLEX, `The document is too complex to import: reading it took longer than ${budgetMs} ms`),
        failed: () => new HttpError(422, IMPORT_TOO_COMPLEX, 'The document is too complex to import: reading it needed more memory than an import may use'),
      },
      describe: (task) => ({ kind: task.kind, bytes: task.bytes.byteLength }),
    });
  }

  /** A Markdown document (a request body's bytes) as one board's content (importMarkdown, in a worker). */
  markdown(bytes: Uint8Array, context: ImportContext): Promise<ImportedBoard> {
    return this.#run({ kind: 'markdown', bytes, context }) as Promise<ImportedBoard>;
  }

  /** A Word document (.docx, the body's bytes) as one board's content (importDocx, in a worker: unzipped there, within limits). */
  docx(bytes: Uint8Array, context: ImportContext): Promise<ImportedDocx> {
    return this.#run({ kind: 'docx', bytes, context }) as Promise<ImportedDocx>;
  }

  /** A validated JSON archive (parseArchive, in a worker). */
  archive(bytes: Uint8Array): Promise<Archive> {
    return this.#run({ kind: 'archive', bytes }) as Promise<Archive>;
  }

  /** Ends every thread; queued and running imports fail. */
  close(): Promise<void> {
    return this.#pool.close();
  }

  #run(task: ImportTask): Promise<unknown> {
    // Only the body's own bytes cross to the worker, not the rest of a pooled buffer it may sit in.
    const bytes = task.bytes.byteOffset === 0 && task.bytes.byteLength === task.bytes.buffer.byteLength ? task.bytes : new Uint8Array(task.bytes);
    return this.#pool.run({ ...task, bytes });
  }
}
