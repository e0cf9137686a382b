// What an export worker runs (export-worker.mjs loads this module): a workshop's boards,
// as the main thread read them (their states: export/consolidate.ts's ExportSource), made
// into the consolidated model and rendered as a file. Everything here is the worker's
// CPU and memory, not the event loop's.
import type { TaskOutcome } from '../lib/worker-pool.js';
import { consolidateSource, type ExportSource } from './consolidate.js';
import { exportFileName, type ExportFormat } from './formats.js';
import { withoutPrivateUse } from './private-use.js';
import { EXPORT_RENDERERS } from './renderers.js';

export interface ExportTask {
  format: ExportFormat;
  source: ExportSource;
}

export interface Rendered {
  /** A text format's string, or a binary one's bytes. */
  body: string | Uint8Array;
  /** The download's name: the workshop's title and day. */
  fileName: string;
  /** Private-use characters left out of the document (no font draws them). */
  dropped: number;
}

export async function runTask(task: ExportTask): Promise<TaskOutcome<Rendered>> {
  const model = consolidateSource(task.source);
  // Documents never draw a private-use character as a box; the archive keeps the text as it is.
  const shown = task.format === 'json' ? { model, dropped: 0 } : withoutPrivateUse(model);
  const body = await EXPORT_RENDERERS[task.format](shown.model);
  return { ok: true, value: { body, fileName: exportFileName(model, task.format), dropped: shown.dropped } };
}

/** Renders an empty workshop in every format, so that the first real export does not also load and compile the renderers. */
export async function warmUp(): Promise<void> {
  const workshop = { id: 'warm-up', title: 'Taller', place: 'San José', language: 'es' as const, joinCode: 'WARMUP', createdAt: Date.UTC(2025, 10, 21) };
  for (const format of Object.keys(EXPORT_RENDERERS) as ExportFormat[]) await runTask({ format, source: { workshop, boards: [], options: {} } });
}
