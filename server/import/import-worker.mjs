// An import worker thread (import-pool.ts starts and ends it). Plain JavaScript because
// Node loads it straight into a worker thread, where no TypeScript loader may be running
// (vitest's processes); it loads the TypeScript readers through tsx's scoped loader,
// which works whether or not the main thread runs under tsx.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

// A lower CPU priority for this thread alone (Linux keeps a nice value per thread): when
// they compete for a core, the event loop, which answers everyone, gets about nine tenths
// of it; not the lowest, so that on a busy host an import still reads within its budget.
// Elsewhere the call would lower the whole process, so it is left out there.
if (process.platform === 'linux') {
  try {
    setPriority(10);
  } catch {
    // not allowed here: the thread keeps the default priority
  }
}

/** @type {import('./import-tasks.js')} */
const tasks = await tsImport('./import-tasks.ts', import.meta.url);
await tasks.warmUp();

parentPort.on('message', async (/** @type {{ id: number, task: import('./import-tasks.js').ImportTask }} */ msg) => {
  parentPort.postMessage({ id: msg.id, outcome: await tasks.runImportTask(msg.task) });
});
parentPort.postMessage({ ready: true });
