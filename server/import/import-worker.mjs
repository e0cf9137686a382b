// An import worker thread (import-pool.ts starts and ends it). Plain JavaScript because
// Node loads it straight into a worker thread, where no TypeScript loader may be running
// (vitest's processes); it loads the TypeScript readers through tsx's scoped loader,
// which works whether or not the main thread runs under tsx.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

/** @type {import('./import-tasks.js')} */
const tasks = await tsImport('./import-tasks.ts', import.meta.url);
tasks.warmUp();

parentPort.on('message', (/** @type {{ id: number, task: import('./import-tasks.js').ImportTask }} */ msg) => {
  parentPort.postMessage({ id: msg.id, outcome: tasks.runImportTask(msg.task) });
});
parentPort.postMessage({ ready: true });
