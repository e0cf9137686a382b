// `npm run cluster`: three Relatoría nodes in cluster mode on this machine (ports 3001–3003),
// sharing DATABASE_URL and REDIS_URL, and nginx in front of them on port 8080 when it is
// installed (docs/cluster/nginx.conf, through scripts/nginx.ts; otherwise it prints how).
// Ctrl-C stops them (SIGTERM: each node drains and closes; nginx quits gracefully).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findNginx, NGINX_TEMPLATE, startNginx, type Balancer } from './nginx.js';

const PORTS = [3001, 3002, 3003];
const BALANCER_PORT = 8080;
const root = resolve(import.meta.dirname, '..');
const { DATABASE_URL, REDIS_URL } = process.env;
if (!DATABASE_URL || !REDIS_URL) {
  console.error('npm run cluster needs PostgreSQL and Redis, e.g.\n' +
    '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/relatoria REDIS_URL=redis://127.0.0.1:6379 npm run cluster\n' +
    '(Debian: apt-get install postgresql redis-server)');
  process.exit(78);
}
// Every node signs and checks the same tokens.
const secret = process.env.SECRET ?? randomBytes(32).toString('base64url');

const built = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const children: ChildProcess[] = PORTS.map((port, i) => {
  const name = `node${i + 1}`;
  const dataDir = join(root, 'data', 'cluster', name);
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, SECRET: secret, NODE_ID: name, TRUST_PROXY: 'loopback' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line) console.log(`[${name}] ${line}`);
    });
  }
  child.on('exit', (code, signal) => console.log(`[${name}] exited (${signal ?? code})`));
  return child;
});

const prefix = join(root, 'data', 'cluster', 'nginx');
const nginx = findNginx();
let balancer: Balancer | null = null;
if (nginx) {
  try {
    balancer = await startNginx(nginx, prefix, { listen: String(BALANCER_PORT), nodes: PORTS.map((p) => `127.0.0.1:${p}`) });
    balancer.proc.on('exit', (code, signal) => console.log(`[nginx] exited (${signal ?? code})`));
  } catch (err) {
    console.log(`[nginx] could not start: ${err instanceof Error ? err.message : String(err)}`);
  }
}
const pids = children.map((c, i) => `node${i + 1}=${c.pid}`).join(' ');
console.log(balancer
  ? `
Three nodes on http://127.0.0.1:${PORTS.join(', :')} (SECRET shared by all three), nginx in front:
open http://localhost:${BALANCER_PORT}. Its configuration: ${join(prefix, 'nginx.conf')} (from ${NGINX_TEMPLATE}), logs in ${join(prefix, 'logs')}.
Kill a node (kill -9 <pid>) and its people carry on through another; kill -TERM drains it first.
Node pids: ${pids}
`
  : `
Three nodes on http://127.0.0.1:${PORTS.join(', :')} (SECRET shared by all three).
Put nginx in front (Debian: apt-get install nginx; then npm run cluster starts it too), or in another terminal:

  mkdir -p ${prefix}/logs ${prefix}/tmp
  nginx -p ${prefix} -c ${NGINX_TEMPLATE} -e stderr -g 'daemon off;'

then open http://localhost:${BALANCER_PORT}. Kill a node (kill -9 <pid>) and its people carry on through another.
Node pids: ${pids}
`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  void balancer?.stop();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
await Promise.all(children.map((c) => new Promise((done) => (c.exitCode !== null ? done(null) : c.once('exit', done)))));
await balancer?.stop();
