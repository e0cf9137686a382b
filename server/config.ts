// Environment → typed configuration. Read once, in main.ts; nothing else reads process.env.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { RequestLimits } from './http/app.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  secret: string;
  /** Extra origins allowed to open board sockets besides the server's own (comma-separated env). */
  allowedOrigins: string[];
  /** Where the built client lives; served as static files when present. */
  clientDir: string;
  /** How long a board nobody has open stays in memory. */
  boardIdleMs: number;
  /** PostgreSQL instead of the embedded SQLite file, when set. */
  databaseUrl: string | null;
  /** CREATIONS_PER_MINUTE, JOINS_PER_MINUTE, TRUST_PROXY. */
  limits: RequestLimits;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.DATA_DIR ?? './data');
  mkdirSync(dataDir, { recursive: true });
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    secret: env.SECRET || readOrCreateSecret(dataDir),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    clientDir: resolve(env.CLIENT_DIR ?? 'dist/client'),
    boardIdleMs: Number(env.BOARD_IDLE_MS ?? 30_000),
    databaseUrl: env.DATABASE_URL || null,
    limits: {
      creationsPerMinute: Number(env.CREATIONS_PER_MINUTE ?? 30),
      joinsPerMinute: Number(env.JOINS_PER_MINUTE ?? 600),
      trustProxy: parseTrustProxy(env.TRUST_PROXY),
    },
  };
}

/** `TRUST_PROXY`: unset → off; "true"/"false"; a hop count; otherwise addresses or subnets for Express. */
function parseTrustProxy(value: string | undefined): boolean | number | string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** A secret generated on first start and kept beside the data, so tokens survive restarts. */
function readOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
