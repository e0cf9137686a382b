// Environment → typed, validated configuration. Read once, in main.ts; nothing else reads
// process.env. Every variable is checked at start: a bad value stops the server with a
// message naming the variable, instead of surfacing later as NaN or a silent default.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { RequestLimits } from './http/app.js';
import { EXPORT_POOL_DEFAULTS } from './export/export-pool.js';
import { IMPORT_POOL_DEFAULTS } from './import/import-pool.js';
import { LOG_LEVELS, type LogLevel } from './lib/logger.js';
import { DEFAULT_HOLE_GRACE_MS } from './docsync/held-back.js';

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
  /** The PostgreSQL schema (DATABASE_SCHEMA, default `relatoria`): nodes sharing it share every workshop. */
  databaseSchema: string;
  /** Cluster mode when set together with DATABASE_URL: nodes relay board updates through Redis. */
  redisUrl: string | null;
  /** This process among the nodes (NODE_ID; default host, pid and a random tag). */
  nodeId: string;
  /** CREATIONS_PER_MINUTE, JOINS_PER_MINUTE, TRUST_PROXY. */
  limits: RequestLimits;
  logLevel: LogLevel;
  /** The bearer token `/metrics` asks for; null: open (keep it off the public network). */
  metricsToken: string | null;
  /** How long a workshop's session nobody uses stays in memory. */
  sessionIdleMs: number;
  /** Workshops unused for this many days are deleted; null: never. */
  retentionDays: number | null;
  /** IMPORT_WORKERS threads read Markdown and archive imports; one import may take IMPORT_TIME_BUDGET_MS. */
  imports: { workers: number; timeBudgetMs: number };
  /** EXPORT_WORKERS threads render exported documents; one may take EXPORT_TIME_BUDGET_MS. */
  exports: { workers: number; timeBudgetMs: number };
  /** How long facilitator, co-facilitator, projector and organizer links last (participants: 30 days). */
  linkTtlDays: number;
  /** SIGTERM: how long `/readyz` answers 503 before the port closes, and the bound on the whole shutdown. */
  drain: { noticeMs: number; timeoutMs: number };
  /** Cluster mode: how long a hole in another node's board updates waits for its message before the store is read. */
  holeGraceMs: number;
}

/** Exit status for a configuration error (sysexits' EX_CONFIG). */
export const CONFIG_EXIT_CODE = 78;

export class ConfigError extends Error {}

// An empty variable is an unset one (`SECRET=` in a unit file, a blank line in .env).
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const origin = z.string().refine((s) => {
  try {
    return new URL(s).origin === s;
  } catch {
    return false;
  }
}, 'each entry must be an origin such as https://talleres.example.org (scheme, host and port only)');

const envSchema = z.object({
  PORT: optional(int(0, 65535)),
  HOST: optional(z.string()),
  DATA_DIR: optional(z.string()),
  SECRET: optional(z.string().min(16, 'must be at least 16 characters')),
  ALLOWED_ORIGINS: optional(z.string().transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)).pipe(z.array(origin))),
  CLIENT_DIR: optional(z.string()),
  BOARD_IDLE_MS: optional(int(10, 24 * 3_600_000)),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')),
  DATABASE_SCHEMA: optional(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase identifier (letters, digits, _)')),
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')),
  NODE_ID: optional(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, dots, dashes or underscores')),
  CREATIONS_PER_MINUTE: optional(int(1, 1_000_000)),
  JOINS_PER_MINUTE: optional(int(1, 1_000_000)),
  TRUST_PROXY: optional(z.string()),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS)),
  METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
  SESSION_IDLE_MS: optional(int(1_000, 7 * 24 * 3_600_000)),
  RETENTION_DAYS: optional(int(1, 36_500)),
  IMPORT_WORKERS: optional(int(1, 16)),
  IMPORT_TIME_BUDGET_MS: optional(int(100, 60_000)),
  EXPORT_WORKERS: optional(int(1, 8)),
  EXPORT_TIME_BUDGET_MS: optional(int(1_000, 600_000)),
  LINK_TTL_DAYS: optional(int(1, 3_650)),
  DRAIN_NOTICE_MS: optional(int(0, 600_000)),
  CLUSTER_HOLE_GRACE_MS: optional(int(0, 10_000)),
  DRAIN_TIMEOUT_MS: optional(int(1_000, 600_000)),
});

/** The configuration, or a ConfigError that names every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${String(i.path[0])}=${JSON.stringify(env[String(i.path[0])])}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  if (e.REDIS_URL && !e.DATABASE_URL) {
    throw new ConfigError('invalid configuration: REDIS_URL is set without DATABASE_URL: cluster mode needs both (every node shares one PostgreSQL database); unset REDIS_URL for a single node');
  }
  const dataDir = resolve(e.DATA_DIR ?? './data');
  mkdirSync(dataDir, { recursive: true });
  return {
    port: e.PORT ?? 3000,
    host: e.HOST ?? '0.0.0.0',
    dataDir,
    secret: e.SECRET ?? readOrCreateSecret(dataDir),
    allowedOrigins: e.ALLOWED_ORIGINS ?? [],
    clientDir: resolve(e.CLIENT_DIR ?? 'dist/client'),
    boardIdleMs: e.BOARD_IDLE_MS ?? 30_000,
    databaseUrl: e.DATABASE_URL ?? null,
    databaseSchema: e.DATABASE_SCHEMA ?? 'relatoria',
    redisUrl: e.REDIS_URL ?? null,
    nodeId: e.NODE_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    limits: {
      creationsPerMinute: e.CREATIONS_PER_MINUTE ?? 30,
      joinsPerMinute: e.JOINS_PER_MINUTE ?? 600,
      trustProxy: parseTrustProxy(e.TRUST_PROXY),
    },
    logLevel: e.LOG_LEVEL ?? 'info',
    metricsToken: e.METRICS_TOKEN ?? null,
    sessionIdleMs: e.SESSION_IDLE_MS ?? 10 * 60_000,
    retentionDays: e.RETENTION_DAYS ?? null,
    imports: {
      workers: e.IMPORT_WORKERS ?? IMPORT_POOL_DEFAULTS.size,
      timeBudgetMs: e.IMPORT_TIME_BUDGET_MS ?? IMPORT_POOL_DEFAULTS.timeBudgetMs,
    },
    exports: {
      workers: e.EXPORT_WORKERS ?? EXPORT_POOL_DEFAULTS.size,
      timeBudgetMs: e.EXPORT_TIME_BUDGET_MS ?? EXPORT_POOL_DEFAULTS.timeBudgetMs,
    },
    linkTtlDays: e.LINK_TTL_DAYS ?? 30,
    drain: { noticeMs: e.DRAIN_NOTICE_MS ?? 0, timeoutMs: e.DRAIN_TIMEOUT_MS ?? 15_000 },
    holeGraceMs: e.CLUSTER_HOLE_GRACE_MS ?? DEFAULT_HOLE_GRACE_MS,
  };
}

/** `TRUST_PROXY`: unset → off; "true"/"false"; a hop count; otherwise addresses or subnets for Express. */
function parseTrustProxy(value: string | undefined): boolean | number | string | undefined {
  if (value === undefined) return undefined;
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
