// The export workers: documents rendered off the event loop (lib/worker-pool.ts). A PDF
// of a 50-group workshop is seconds of CPU, a Word document about one (bench/RESULTS.md):
// on the main thread that would stall every board, socket and timer of the event. The
// main thread reads each board's state (bytes); a worker, at a lower CPU priority, makes
// them into the consolidated model — tens of milliseconds and a megabyte of objects the
// event loop is spared too — and renders it.
import { EXPORT_BUSY, EXPORT_FAILED, EXPORT_TOO_LONG } from '../../shared/export-errors.js';
import { HttpError } from '../http/http-error.js';
import { WorkerPool, type PoolSettings } from '../lib/worker-pool.js';
import type { ExportSource } from './consolidate.js';
import type { ExportTask, Rendered } from './export-tasks.js';
import type { ExportFormat } from './formats.js';

/** One thread renders (on two cores the event loop keeps the other); one document may take 60 s; past 8 waiting, 503. */
export const EXPORT_POOL_DEFAULTS = { size: 1, timeBudgetMs: 60_000, maxQueue: 8 } as const;

export class ExportPool {
  readonly #pool: WorkerPool<ExportTask>;

  constructor(settings: PoolSettings) {
    this.#pool = new WorkerPool<ExportTask>({
      name: 'export',
      workerUrl: new URL('./export-worker.mjs', import.meta.url),
      settings,
      defaults: EXPORT_POOL_DEFAULTS,
      heapMb: 1_024,
      errors: {
        busy: () => new HttpError(503, EXPORT_BUSY, 'The server is rendering other exports; try again in a moment'),
        overBudget: (budgetMs) => new HttpError(503, EXPORT_TOO_LONG, `Rendering the document took longer than ${budgetMs / 1000} s; try fewer groups or another format`),
        failed: () => new HttpError(503, EXPORT_FAILED, 'Rendering the document needed more memory than an export may use; try fewer groups or another format'),
      },
      describe: (task) => ({ format: task.format, boards: task.source.boards.length }),
    });
  }

  /** The document made from `source`, as a file: a string for the text formats, bytes for the others. */
  render(format: ExportFormat, source: ExportSource): Promise<Rendered> {
    return this.#pool.run({ format, source }) as Promise<Rendered>;
  }

  /** Ends every thread; queued and running exports fail. */
  close(): Promise<void> {
    return this.#pool.close();
  }
}
