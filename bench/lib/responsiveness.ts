// How responsive a server's event loop is while it is under load, seen from outside:
// a tiny HTTP request every `everyMs` (Relatoría's /healthz, the reference's "okay"),
// timed from send to answer. A stall in the server (a long synchronous task, a blocking
// write) shows here whatever caused it.
import { request, Agent } from 'node:http';
import { summarize, type Summary } from './stats.js';

export function probeResponsiveness(url: string, everyMs = 100): { stop(): Promise<Summary> } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  let stopped = false;
  const once = () =>
    new Promise<void>((resolve) => {
      const began = performance.now();
      const req = request(url, { agent, timeout: 10_000 }, (res) => {
        res.resume();
        res.on('end', () => (samples.push(performance.now() - began), resolve()));
      });
      req.on('error', () => resolve());
      req.on('timeout', () => (req.destroy(), resolve()));
      req.end();
    });
  const loop = (async () => {
    while (!stopped) {
      const next = performance.now() + everyMs;
      await once();
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      agent.destroy();
      return summarize(samples);
    },
  };
}
