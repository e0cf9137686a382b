// The body of a pool's worker thread (worker-pool.ts starts and ends it). Plain JavaScript
// because Node loads it straight into a worker thread, where no TypeScript loader may be
// running (vitest's processes); it loads the TypeScript tasks module through tsx's scoped
// loader, which works whether or not the main thread runs under tsx.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

/**
 * Serves the tasks of `specifier` (relative to `parentUrl`), a module exporting
 * `runTask(task) → Promise<TaskOutcome>` and `warmUp()`, at a lower CPU priority.
 */
export async function serveTasks(specifier, parentUrl) {
  // A lower CPU priority for this thread alone (Linux keeps a nice value per thread): when
  // they compete for a core, the event loop, which answers everyone, gets about nine tenths
  // of it; not the lowest, so that on a busy host a task still finishes within its budget.
  // Elsewhere the call would lower the whole process, so it is left out there.
  if (process.platform === 'linux') {
    try {
      setPriority(10);
    } catch {
      // not allowed here: the thread keeps the default priority
    }
  }
  /** @type {{ runTask(task: unknown): Promise<unknown>, warmUp(): Promise<void> }} */
  const tasks = await tsImport(specifier, parentUrl);
  await tasks.warmUp();
  parentPort.on('message', async (/** @type {{ id: number, task: unknown }} */ msg) => {
    let outcome;
    try {
      outcome = await tasks.runTask(msg.task);
    } catch (err) {
      // A bug, not the input's fault: the caller gets a 500, the log the stack, and the thread lives on.
      const failure = { ok: false, status: 500, code: 'internal', message: 'The server could not finish this task' };
      parentPort.postMessage({ id: msg.id, outcome: failure, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      return;
    }
    parentPort.postMessage({ id: msg.id, outcome }, ownBuffer(outcome));
  });
  parentPort.postMessage({ ready: true });
}

/**
 * A result's bytes that may be moved to the main thread rather than copied — a rendered
 * document of megabytes, the value or one of its fields — when they fill a buffer of their
 * own (not a slice of Node's shared pool).
 * @param {{ ok: boolean, value?: unknown }} outcome
 * @returns {ArrayBuffer[]}
 */
function ownBuffer(outcome) {
  const value = outcome.ok ? outcome.value : undefined;
  const candidates = value instanceof Uint8Array ? [value] : value && typeof value === 'object' ? Object.values(value) : [];
  return candidates
    .filter((v) => v instanceof Uint8Array && v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength)
    .map((v) => v.buffer);
}
