// The servers under test, each spawned as its own process the way a user runs it:
// Relatoría through its real entry (server/main.ts, configured by environment), and
// the two references: the stock y-websocket server (bench/reference-server.ts) and
// Hocuspocus (bench/hocuspocus-server.ts). All are measured from the outside through
// /proc, by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where the server under test is run from: this checkout, or BENCH_SERVER_DIR (another checkout, to compare two versions). */
const SERVER_ROOT = process.env.BENCH_SERVER_DIR || REPO_ROOT;
export const BENCH_SECRET = 'bench-secret-of-relatoria';

/** 'reference' is the stock y-websocket server; 'hocuspocus' the second reference. */
export type ServerKind = 'relatoria' | 'reference' | 'hocuspocus';

/** How each kind is named in tables. */
export const SERVER_LABEL: Record<ServerKind, string> = { reference: 'y-websocket', hocuspocus: 'Hocuspocus', relatoria: 'Relatoría' };

/** The board protocol a kind speaks: Hocuspocus frames every y-websocket message with the board's name. */
export const boardProtocol = (kind: ServerKind): 'y-websocket' | 'hocuspocus' => (kind === 'hocuspocus' ? 'hocuspocus' : 'y-websocket');

export interface ServerProcess {
  kind: ServerKind;
  url: string;
  wsUrl: string;
  pid: number;
  /** Relatoría's DATA_DIR (removed by `stop`), or null for a reference. */
  dataDir: string | null;
  /** The last 64 KB the process wrote. */
  output(): string;
  isRunning(): boolean;
  /** SIGTERM (Relatoría compacts its boards and closes the store), then waits for the exit. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

export interface RelatoriaOptions {
  /** An existing DATA_DIR to use; by default a fresh temp dir. */
  dataDir?: string;
  boardIdleMs?: number;
  databaseUrl?: string;
  /** The built client to serve; by default none. */
  clientDir?: string;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeFlags?: string[];
  /** More environment (cluster mode: REDIS_URL, DATABASE_SCHEMA, NODE_ID). */
  env?: Record<string, string>;
}

export async function spawnRelatoria(opts: RelatoriaOptions = {}): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'relatoria-bench-')));
  const port = await freePort();
  return start('relatoria', ['server/main.ts'], port, dataDir, opts.nodeFlags ?? [], {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SECRET: BENCH_SECRET,
    CLIENT_DIR: opts.clientDir ?? join(dataDir, 'no-client'),
    BOARD_IDLE_MS: String(opts.boardIdleMs ?? 30_000),
    DATABASE_URL: opts.databaseUrl ?? '',
    REDIS_URL: '', // one node: cluster mode only where a scenario asks for it
    // Every bench participant joins from 127.0.0.1, as a whole venue behind one NAT address would.
    CREATIONS_PER_MINUTE: '1000000',
    JOINS_PER_MINUTE: '1000000',
    ...opts.env,
  });
}

export async function spawnReference(opts: { nodeFlags?: string[] } = {}): Promise<ServerProcess> {
  const port = await freePort();
  return start('reference', ['bench/reference-server.ts'], port, null, opts.nodeFlags ?? [], { PORT: String(port), HOST: '127.0.0.1' });
}

export async function spawnHocuspocus(opts: { nodeFlags?: string[] } = {}): Promise<ServerProcess> {
  const port = await freePort();
  return start('hocuspocus', ['bench/hocuspocus-server.ts'], port, null, opts.nodeFlags ?? [], { PORT: String(port), HOST: '127.0.0.1' });
}

export const spawnServer = (kind: ServerKind, opts: RelatoriaOptions = {}) =>
  kind === 'relatoria' ? spawnRelatoria(opts) : kind === 'hocuspocus' ? spawnHocuspocus(opts) : spawnReference(opts);

/**
 * With BENCH_PROFILE=<dir>, every process the bench starts writes a V8 CPU profile there
 * (bench/profile-summary.ts reads them); BENCH_PROFILE_ONLY=<role,…> (relatoria, reference,
 * hocuspocus, clients) profiles only those, so the others run at their usual speed.
 */
export function profileFlags(role: string): string[] {
  const dir = process.env.BENCH_PROFILE;
  const only = process.env.BENCH_PROFILE_ONLY?.split(',');
  return dir && (!only || only.includes(role)) ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, role)}`] : [];
}

async function start(kind: ServerKind, args: string[], port: number, dataDir: string | null, nodeFlags: string[], env: Record<string, string>): Promise<ServerProcess> {
  const proc: ChildProcess = spawn(process.execPath, [...profileFlags(kind), ...nodeFlags, '--import', 'tsx', ...args], {
    cwd: kind === 'relatoria' ? SERVER_ROOT : REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-65_536));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  let running = true;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => ((running = false), resolve())));
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    kind,
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    pid: proc.pid!,
    dataDir,
    output: () => output,
    isRunning: () => running,
    async stop({ keepData = false } = {}) {
      if (running) proc.kill('SIGTERM');
      const timer = setTimeout(() => running && proc.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      if (dataDir && !keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 30_000;
  while (!(await answers(kind === 'relatoria' ? `${url}/healthz` : url))) {
    if (!running) throw new Error(`the ${kind} server exited while starting:\n${output}`);
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`the ${kind} server did not answer within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return server;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).status === 200;
  } catch {
    return false;
  }
}

/** A port nobody listens on right now. */
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
