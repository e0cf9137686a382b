// What an operator's tools ask: liveness (`/healthz`: the process serves), readiness
// (`/readyz`: the store answers, so traffic may be sent here), and Prometheus metrics
// (`/metrics`, optionally behind a bearer token).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Express, Request } from 'express';
import type { Logger } from '../lib/logger.js';
import type { ServerMetrics } from '../lib/metrics.js';
import { route } from './route-kit.js';

/** One dependency readiness waits for: the store now, Redis where it is used. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<unknown>;
}

export interface OperationsDeps {
  log: Logger;
  metrics: ServerMetrics;
  /** When set, `/metrics` answers only `Authorization: Bearer <metricsToken>`. */
  metricsToken: string | null;
  checks: ReadinessCheck[];
  /** Listening and not shutting down. */
  isReady(): boolean;
  /** Draining before shutdown: not ready, though still alive (`/healthz` stays 200). */
  isDraining?(): boolean;
  /** How long a check may take before it counts as failed (default 2 s). */
  readyTimeoutMs?: number;
}

/** The outcome of one check: 'ok' or why not. */
async function outcome(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`timed out after ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([check.check().then(() => 'ok'), timeout]);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares the bearer token in constant time (digests have equal lengths, whatever was sent). */
function hasToken(req: Request, token: string): boolean {
  const header = req.get('authorization') ?? '';
  return header.startsWith('Bearer ') && timingSafeEqual(digest(header.slice(7).trim()), digest(token));
}

export function registerOperationsRoutes(app: Express, deps: OperationsDeps): void {
  const timeoutMs = deps.readyTimeoutMs ?? 2_000;
  let wasReady = true;

  app.get('/healthz', (_req, res) => {
    res.status(deps.isReady() ? 200 : 503).json({ ok: deps.isReady() });
  });

  app.get('/readyz', route(async (_req, res) => {
    if (!deps.isReady()) {
      res.status(503).json({ ok: false, reason: 'not accepting connections (starting or shutting down)', checks: {} });
      return;
    }
    if (deps.isDraining?.()) {
      res.status(503).json({ ok: false, reason: 'draining (shutting down): connect to another node', checks: {} });
      return;
    }
    const results = await Promise.all(deps.checks.map(async (c) => [c.name, await outcome(c, timeoutMs)] as const));
    const failed = results.filter(([, result]) => result !== 'ok');
    const ready = failed.length === 0;
    // Logged when readiness changes, not at every probe.
    if (ready !== wasReady) {
      if (ready) deps.log.info('ready again');
      else deps.log.warn('not ready', { checks: Object.fromEntries(failed) });
      wasReady = ready;
    }
    const body = { ok: ready, checks: Object.fromEntries(results) };
    res.status(ready ? 200 : 503).json(ready ? body : { ...body, reason: failed.map(([name, why]) => `${name}: ${why}`).join('; ') });
  }));

  app.get('/metrics', route(async (req, res) => {
    if (deps.metricsToken !== null && !hasToken(req, deps.metricsToken)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: { code: 'unauthorized', message: 'The metrics need their bearer token' } });
      return;
    }
    res.set('Content-Type', deps.metrics.contentType).set('Cache-Control', 'no-store').send(await deps.metrics.text());
  }));
}
