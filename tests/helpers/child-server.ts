// The real entry point (server/main.ts) as a child process, for what only a real
// process can show: surviving kill -9, and not crashing. Called inside a test, the
// process is killed when the test finishes if it is still running.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { waitFor } from './wait.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHILD_SECRET = 'child-server-test-secret';

/** A port nobody listens on right now (the OS picks it; we release it at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ChildServer {
  url: string;
  wsUrl: string;
  port: number;
  proc: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code or signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  dataDir: string;
  port?: number;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

/** Starts `node --import tsx server/main.ts` and resolves once /healthz answers 200. */
export async function spawnServer(opts: SpawnOptions): Promise<ChildServer> {
  const port = opts.port ?? (await freePort());
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: opts.dataDir,
      SECRET: CHILD_SECRET,
      CLIENT_DIR: join(opts.dataDir, 'no-client'),
      // The embedded SQLite store unless a test asks otherwise (CI sets DATABASE_URL for the PostgreSQL suites).
      DATABASE_URL: '',
      REDIS_URL: '',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let running = true;
  // 'close', not 'exit': only then has everything the process wrote reached `output`.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('close', (code, signal) => {
      running = false;
      resolve({ code, signal });
    }),
  );
  const child: ChildServer = {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    proc,
    output: () => output,
    exited,
    isRunning: () => running,
    kill(signal = 'SIGKILL') {
      if (running) proc.kill(signal);
      return exited;
    },
  };
  onTestFinished(async () => {
    await child.kill('SIGKILL');
  });
  await waitFor(async () => {
    if (!running) throw new Error(`server exited during start:\n${output}`);
    return healthy(child.url);
  }, opts.startTimeoutMs ?? 45_000, `the server on :${port} to answer /healthz`);
  return child;
}

export async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
    return res.status === 200;
  } catch {
    return false;
  }
}
