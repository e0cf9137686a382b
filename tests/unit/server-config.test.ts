// The environment is checked whole at start: every bad variable is named, nothing becomes NaN.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

const dataDir = mkdtempSync(join(tmpdir(), 'relatoria-config-'));
const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: dataDir, ...env });

describe('loadConfig', () => {
  it('gives the documented defaults when nothing is set (empty values count as unset)', () => {
    const config = load({ SECRET: '', DATABASE_URL: '' });
    expect(config).toMatchObject({
      port: 3000, host: '0.0.0.0', boardIdleMs: 30_000, databaseUrl: null, logLevel: 'info', allowedOrigins: [],
      metricsToken: null, sessionIdleMs: 600_000, retentionDays: null, linkTtlDays: 30, imports: { workers: 2, timeBudgetMs: 3_000 },
      drain: { noticeMs: 0, timeoutMs: 15_000 }, holeGraceMs: 30,
    });
    expect(config.limits).toEqual({ creationsPerMinute: 30, joinsPerMinute: 600, trustProxy: undefined });
    expect(config.secret.length).toBeGreaterThanOrEqual(32);
  });

  it('reads every variable it knows', () => {
    const config = load({
      PORT: '8080', HOST: '127.0.0.1', SECRET: 'a-secret-of-sixteen+', ALLOWED_ORIGINS: 'https://a.example, https://b.example:8443',
      BOARD_IDLE_MS: '5000', DATABASE_URL: 'postgres://u@db/relatoria', CREATIONS_PER_MINUTE: '5', JOINS_PER_MINUTE: '900',
      TRUST_PROXY: '1', LOG_LEVEL: 'debug', METRICS_TOKEN: 'a-scrape-token-of-20', SESSION_IDLE_MS: '60000', RETENTION_DAYS: '365',
      LINK_TTL_DAYS: '7', IMPORT_WORKERS: '3', IMPORT_TIME_BUDGET_MS: '1500', DRAIN_NOTICE_MS: '5000', DRAIN_TIMEOUT_MS: '30000',
      CLUSTER_HOLE_GRACE_MS: '50',
    });
    expect(config).toMatchObject({
      port: 8080, host: '127.0.0.1', secret: 'a-secret-of-sixteen+', allowedOrigins: ['https://a.example', 'https://b.example:8443'],
      boardIdleMs: 5000, databaseUrl: 'postgres://u@db/relatoria', logLevel: 'debug',
      metricsToken: 'a-scrape-token-of-20', sessionIdleMs: 60_000, retentionDays: 365, linkTtlDays: 7,
      limits: { creationsPerMinute: 5, joinsPerMinute: 900, trustProxy: 1 }, imports: { workers: 3, timeBudgetMs: 1_500 },
      drain: { noticeMs: 5_000, timeoutMs: 30_000 }, holeGraceMs: 50,
    });
  });

  it.each([
    ['BOARD_IDLE_MS', 'abc'],
    ['BOARD_IDLE_MS', '-5'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['JOINS_PER_MINUTE', '0'],
    ['CREATIONS_PER_MINUTE', 'many'],
    ['LOG_LEVEL', 'verbose'],
    ['DATABASE_URL', 'mysql://db/x'],
    ['SECRET', 'short'],
    ['ALLOWED_ORIGINS', 'https://a.example/path'],
    ['METRICS_TOKEN', 'short'],
    ['RETENTION_DAYS', '0'],
    ['RETENTION_DAYS', '30 days'],
    ['SESSION_IDLE_MS', '5'],
    ['LINK_TTL_DAYS', '0'],
    ['LINK_TTL_DAYS', 'forever'],
    ['REDIS_URL', 'http://cache:6379'],
    ['DATABASE_SCHEMA', 'Relatoria; DROP'],
    ['NODE_ID', 'node 1'],
    ['IMPORT_WORKERS', '0'],
    ['IMPORT_TIME_BUDGET_MS', '10'],
    ['DRAIN_NOTICE_MS', '-1'],
    ['DRAIN_TIMEOUT_MS', '500'],
  ])('refuses %s=%s with a message naming it', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(ConfigError);
    expect(() => load({ [name]: value })).toThrow(new RegExp(`${name}=`));
  });

  it('cluster mode takes DATABASE_URL and REDIS_URL together; REDIS_URL alone is refused', () => {
    const cluster = load({ DATABASE_URL: 'postgres://u@db/relatoria', REDIS_URL: 'redis://cache:6379', DATABASE_SCHEMA: 'taller', NODE_ID: 'node-1' });
    expect(cluster).toMatchObject({ databaseUrl: 'postgres://u@db/relatoria', redisUrl: 'redis://cache:6379', databaseSchema: 'taller', nodeId: 'node-1' });
    expect(load({ DATABASE_URL: '', REDIS_URL: '' })).toMatchObject({ redisUrl: null, databaseSchema: 'relatoria' });
    expect(() => load({ DATABASE_URL: '', REDIS_URL: 'redis://cache:6379' })).toThrow(/REDIS_URL is set without DATABASE_URL: cluster mode needs both/);
  });

  it('names every bad variable at once', () => {
    expect(() => load({ PORT: 'x', BOARD_IDLE_MS: 'y' })).toThrow(/PORT=.*BOARD_IDLE_MS=|BOARD_IDLE_MS=.*PORT=/);
  });
});
