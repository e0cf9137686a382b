// nginx in front of cluster nodes, from the one documented configuration
// (docs/cluster/nginx.conf): the balancer's port and the nodes' addresses are filled in,
// everything else is the file as operators read it. Used by `npm run cluster`, the
// balancer test and the cluster bench; runs nginx in the foreground under a prefix
// directory of its own (pid, logs, temp files), as any user.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const NGINX_TEMPLATE = resolve(import.meta.dirname, '..', 'docs', 'cluster', 'nginx.conf');
const NGINX_PATHS = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'];

/** Debian's nginx, or null when it is not installed. */
export function findNginx(): string | null {
  return NGINX_PATHS.find((path) => existsSync(path)) ?? null;
}

export interface BalancerAddresses {
  /** Where the balancer listens: a port, or host:port. */
  listen: string;
  /** The nodes, host:port each. */
  nodes: string[];
}

/** docs/cluster/nginx.conf with its `listen` and its upstream `server` lines replaced. */
export function nginxConfig(template: string, at: BalancerAddresses): string {
  const servers = /^(\s*)server 127\.0\.0\.1:\d+( [^;\n]*)?;\n/gm;
  const found = template.match(servers) ?? [];
  const listens = template.match(/^\s*listen \d+;$/gm) ?? [];
  // The file changed shape: fail loudly rather than balance to the wrong place.
  if (found.length === 0 || listens.length !== 1) throw new Error(`${NGINX_TEMPLATE}: expected upstream "server 127.0.0.1:<port> …;" lines and one "listen <port>;"`);
  let first = true;
  return template
    .replace(servers, (_line, indent: string, params: string | undefined) => {
      if (!first) return '';
      first = false;
      return at.nodes.map((node) => `${indent}server ${node}${params ?? ''};\n`).join('');
    })
    .replace(/^(\s*)listen \d+;$/m, `$1listen ${at.listen};`);
}

export interface Balancer {
  proc: ChildProcess;
  prefix: string;
  /** What nginx wrote to stderr so far (its error log goes to logs/error.log). */
  output(): string;
  accessLog(): Promise<string>;
  stop(): Promise<void>;
}

/** Writes the configuration under `prefix` and starts nginx in the foreground; resolves once it runs. */
export async function startNginx(nginx: string, prefix: string, at: BalancerAddresses): Promise<Balancer> {
  await mkdir(join(prefix, 'logs'), { recursive: true });
  await mkdir(join(prefix, 'tmp'), { recursive: true });
  // Run as root, nginx's workers drop to `nobody`: they must reach their temp directories.
  if (process.getuid?.() === 0) {
    await chmod(prefix, 0o755);
    await chmod(join(prefix, 'tmp'), 0o777);
  }
  await rm(join(prefix, 'logs', 'nginx.pid'), { force: true }); // a killed run's
  const conf = join(prefix, 'nginx.conf');
  await writeFile(conf, nginxConfig(await readFile(NGINX_TEMPLATE, 'utf8'), at));
  // -e stderr: the compiled-in /var/log/nginx/error.log may not be writable before the config is read.
  const proc = spawn(nginx, ['-p', prefix, '-c', conf, '-e', 'stderr', '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => proc.once('exit', () => done()));
  const started = await Promise.race([
    exited.then(() => false),
    waitForPid(join(prefix, 'logs', 'nginx.pid')).then(() => true),
  ]);
  if (!started) throw new Error(`nginx did not start:\n${output}`);
  return {
    proc,
    prefix,
    output: () => output,
    accessLog: () => readFile(join(prefix, 'logs', 'access.log'), 'utf8').catch(() => ''),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGQUIT'); // graceful: lets open requests finish
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForPid(file: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (existsSync(file)) return;
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`nginx wrote no ${file}`);
}
