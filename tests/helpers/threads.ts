// Work a test runs off its main thread (where the server under test runs): a source
// evaluated on a worker, told once to go (or stop), answering once.
import { Worker } from 'node:worker_threads';
import { onTestFinished } from 'vitest';

/** Runs `source` on a thread; `message` posts to it (to start it, or to stop it) and resolves with its one answer. */
export function thread<T>(source: string, workerData: unknown): { message: () => Promise<T> } {
  const worker = new Worker(source, { eval: true, workerData });
  const answer = new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  onTestFinished(async () => {
    await worker.terminate();
  });
  return {
    message: async () => {
      worker.postMessage('go');
      return answer;
    },
  };
}

// /healthz polled every 20 ms from a thread of its own: the server's event loop is the test's main thread.
const HEALTHZ_POLLER = `
const { parentPort, workerData } = require('node:worker_threads');
const latencies = [];
let running = true;
parentPort.on('message', () => (running = false));
(async () => {
  while (running) {
    const start = performance.now();
    const res = await fetch(workerData + '/healthz');
    await res.arrayBuffer();
    latencies.push(res.status === 200 ? performance.now() - start : Infinity);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  parentPort.postMessage(latencies);
})();
`;

/** Starts polling `baseUrl`/healthz; `stop` resolves with every answer's latency in ms (Infinity: not 200). */
export function pollHealthz(baseUrl: string): { stop: () => Promise<number[]> } {
  const poller = thread<number[]>(HEALTHZ_POLLER, baseUrl);
  return { stop: poller.message };
}
