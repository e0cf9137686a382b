// The Express app: JSON API, health, and the built client. Authenticates once per
// request (Bearer token → Principal); routes see the principal, never the token.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { requestLogger } from './request-log.js';
import { securityHeaders } from './security-headers.js';
import type { Authenticate } from '../auth/authenticate.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../lib/logger.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import type { TemplateService } from '../workshops/template-service.js';
import type { SessionService } from '../facilitation/session-service.js';
import { SessionRecordError } from '../facilitation/session-record.js';
import type { HistoryService } from '../history/history-service.js';
import { WriteRefused, type BoardWriter } from '../docsync/board-writer.js';
import type { BoardRegistry } from '../docsync/registry.js';
import type { TokenSigner } from '../auth/tokens.js';
import { WorkshopDeletedError } from '../workshops/erased-workshops.js';
import type { WorkshopEraser } from '../workshops/workshop-eraser.js';
import { registerExportRoutes } from './export-routes.js';
import type { ExportPool } from '../export/export-pool.js';
import type { ImportPool } from '../import/import-pool.js';
import { registerHistoryRoutes } from './history-routes.js';
import { registerLinkRoutes } from './link-routes.js';
import { registerPlenaryRoutes } from './plenary-routes.js';
import { PlenaryService } from '../plenary/plenary-service.js';
import type { LinkService } from '../auth/links.js';
import { registerOperationsRoutes, type ReadinessCheck } from './operations-routes.js';
import type { RejectReason, ServerMetrics } from '../lib/metrics.js';
import { HttpError, badRequest, forbidden, notFound } from './http-error.js';
import { assertDisplayName, createWorkshopBody, joinBody, lockBody, saveTemplateBody } from './schemas.js';
import { bearerAuth, commandError, parse, principalOfWorkshop, route } from './route-kit.js';

export interface AppDeps {
  store: Store;
  workshops: WorkshopService;
  templates: TemplateService;
  sessions: SessionService;
  history: HistoryService;
  registry: BoardRegistry;
  writer: BoardWriter;
  signer: TokenSigner;
  authenticate: Authenticate;
  log: Logger;
  clientDir: string;
  isReady(): boolean;
  /** Shutting down with notice (SIGTERM): `/readyz` answers 503 "draining" while the process still serves. */
  isDraining?(): boolean;
  /** What readiness waits for besides the store (Redis in cluster mode). */
  readinessChecks?: ReadinessCheck[];
  limits?: RequestLimits;
  metrics: ServerMetrics;
  /** `/metrics` answers only this bearer token when set. */
  metricsToken?: string | null;
  eraser: WorkshopEraser;
  /** Reads Markdown and archive imports off the event loop. */
  imports: ImportPool;
  /** Renders exported documents off the event loop. */
  exports: ExportPool;
  links: LinkService;
}

/** How often one address may use the routes that need no token, and how addresses are told apart. */
export interface RequestLimits {
  /** Requests a minute to create a workshop or restore an archive (default 30). */
  creationsPerMinute?: number;
  /** Requests a minute to look up a join code or join (default 600): a whole room shares one address. */
  joinsPerMinute?: number;
  /** Express's `trust proxy` (a hop count, addresses or subnets, or true), behind a reverse proxy. */
  trustProxy?: boolean | number | string;
}

export function createApp(deps: AppDeps): express.Express {
  const { store, workshops, sessions } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogger(deps.log));
  app.use(securityHeaders());
  const limits = deps.limits ?? {};
  if (limits.trustProxy !== undefined) app.set('trust proxy', limits.trustProxy);
  const principalOf = bearerAuth(deps.authenticate);
  // What anyone may do without a token is limited per address. Joining has its own, much
  // higher limit: a whole room joins at once from behind the venue's one public address,
  // while creating workshops is rare; and a limit on code lookups keeps codes unguessable.
  const creationLimit = perAddressLimit(limits.creationsPerMinute ?? 30);
  const joinLimit = perAddressLimit(limits.joinsPerMinute ?? 600);
  // Export and import read bodies of their own type and size: registered before the JSON parser.
  registerExportRoutes(app, { principalOf, store, workshops, sessions, history: deps.history, registry: deps.registry, writer: deps.writer, signer: deps.signer, creationLimit, imports: deps.imports, exports: deps.exports, log: deps.log });
  app.use(express.json({ limit: '100kb' }));

  registerOperationsRoutes(app, {
    log: deps.log,
    metrics: deps.metrics,
    metricsToken: deps.metricsToken ?? null,
    isReady: deps.isReady,
    isDraining: deps.isDraining,
    checks: [{ name: 'store', check: () => store.ping() }, ...(deps.readinessChecks ?? [])],
  });

  app.post('/api/workshops', creationLimit, route(async (req, res) => {
    const { template, ...input } = parse(createWorkshopBody, req.body);
    res.status(201).json(await workshops.create(input, template ? await deps.templates.find(template) : null));
  }));

  /** Built-in templates, plus the saved ones named in `?saved=id,id` (a saved template's id is its key). */
  app.get('/api/templates', route(async (req, res) => {
    const saved = typeof req.query.saved === 'string' ? req.query.saved.split(',').filter((id) => id !== '' && id.length <= 64) : [];
    res.json(await deps.templates.list(saved));
  }));

  /** The facilitator saves the workshop's shape (groups, questions, sections, agenda) as a template. */
  app.post('/api/workshops/:id/template', route(async (req, res) => {
    const principal = await principalOfWorkshop(principalOf, req);
    if (principal.role !== 'facilitator') throw forbidden('Only the facilitator may save a template');
    const { name } = parse(saveTemplateBody, req.body);
    res.status(201).json(await deps.templates.saveFrom(principal.workshopId, name));
  }));

  app.get('/api/join/:code', joinLimit, route(async (req, res) => {
    res.json(await workshops.findByJoinCode(String(req.params.code)));
  }));

  app.post('/api/workshops/:id/join', joinLimit, route(async (req, res) => {
    const body = parse(joinBody, req.body);
    assertDisplayName(body.name);
    res.status(201).json(await workshops.join(String(req.params.id), body));
  }));

  /**
   * The workshop as the caller may see it: groups with their lock, phase, timer and
   * voting round for everyone in it; join code and roster only for the facilitator.
   */
  app.get('/api/workshops/:id', route(async (req, res) => {
    const principal = await principalOfWorkshop(principalOf, req);
    const workshop = await store.getWorkshop(principal.workshopId);
    if (!workshop) throw notFound('No such workshop');
    const view = await workshops.publicView(workshop);
    const session = await sessions.open(workshop.id);
    const groups = view.groups.map((g) => ({ ...g, locked: session.state.lockedGroups.includes(g.id) }));
    const common = { ...view, groups, session: session.state, serverTime: Date.now() };
    if (principal.role === 'facilitator') res.json({ ...common, joinCode: workshop.joinCode, roster: session.roster() });
    else if (principal.role === 'projector') res.json({ ...common, joinCode: workshop.joinCode }); // shown in the room
    else res.json(common);
  }));

  /**
   * The facilitator erases the workshop: boards and their versions, session, participants,
   * groups — from memory and from the store (templates saved from it stay theirs).
   */
  app.delete('/api/workshops/:id', route(async (req, res) => {
    const principal = await principalOfWorkshop(principalOf, req);
    if (principal.role !== 'facilitator') throw forbidden('Only the facilitator may delete the workshop');
    await deps.eraser.erase(principal.workshopId, 'facilitator');
    res.status(204).end();
  }));

  /** Scriptable twin of the console's lock switch. */
  app.post('/api/workshops/:id/groups/:groupId/lock', route(async (req, res) => {
    const principal = await principalOfWorkshop(principalOf, req);
    const { locked } = parse(lockBody, req.body);
    const reply = await sessions.execute(principal, { type: 'lock:set', groupId: String(req.params.groupId), locked });
    if (!reply.ok) throw commandError(reply.error, reply.message);
    res.json({ groupId: req.params.groupId, locked });
  }));

  /** Who this token is: lets a client check a token it kept before using it. */
  app.get('/api/me', route(async (req, res) => {
    const { role, workshopId, groupId, participantId, name } = await principalOf(req);
    res.json({ role, workshopId, groupId, participantId, name });
  }));

  registerHistoryRoutes(app, { principalOf, sessions, history: deps.history, writer: deps.writer });
  registerLinkRoutes(app, { principalOf, links: deps.links, workshops, store });
  registerPlenaryRoutes(app, { principalOf, plenary: new PlenaryService({ registry: deps.registry, writer: deps.writer, sessions }) });

  app.use('/api', (_req, _res, next) => next(notFound('No such API route')));

  // No source map is served, even one a build left behind: it would publish the client's
  // source. Neither is a page in place of a missing asset (the fallback below would).
  app.get(/\.map$|%/i, (req, _res, next) => (isSourceMapPath(req.path) ? next(notFound('No such file')) : next()));
  if (existsSync(deps.clientDir)) {
    app.use(express.static(deps.clientDir, { index: false, maxAge: '1h' }));
    app.get(/^\/assets\//, (_req, _res, next) => next(notFound('No such file')));
    // Every other GET is a client route: the single-page app decides.
    app.get(/^\/(?!api\/|yjs|socket\.io).*/, (_req, res) => {
      res.set('Cache-Control', 'no-cache').sendFile(join(deps.clientDir, 'index.html'));
    });
  }

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const error = toHttpError(err);
    if (error.status >= 500) deps.log.error('request failed', { err, reqId: req.id });
    const reason = REFUSED[error.status];
    if (reason) deps.metrics.rejected(reason);
    res.status(error.status).json({ error: { code: error.code, message: error.message } });
  });
  return app;
}

/** A path that names a source map once decoded as the static server decodes it (`.m%61p` too). */
function isSourceMapPath(path: string): boolean {
  try {
    return decodeURIComponent(path).toLowerCase().endsWith('.map');
  } catch {
    return false; // undecodable: the static server will not find it either
  }
}

/** HTTP refusals counted in `relatoria_rejected_total`. */
const REFUSED: Partial<Record<number, RejectReason>> = { 401: 'unauthorized', 403: 'forbidden', 413: 'too_large', 429: 'rate_limited' };

function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  // The write guard: a locked board answers 423 Locked, a board one may only read 403.
  if (err instanceof WriteRefused) return err.reason === 'locked' ? new HttpError(423, 'locked', err.message) : forbidden(err.message);
  if (err instanceof WorkshopDeletedError) return new HttpError(410, 'workshop_deleted', 'This workshop was deleted');
  if (err instanceof SessionRecordError) {
    return new HttpError(503, 'workshop_unavailable', 'This workshop cannot be opened: its stored session could not be read. Nothing was changed; the server log says why.');
  }
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.parse.failed') return badRequest('Malformed JSON body');
  if (e?.type === 'entity.too.large') return new HttpError(413, 'too_large', 'Request body too large');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new HttpError(e.status, 'bad_request', 'Bad request');
  return new HttpError(500, 'internal', 'Internal server error');
}

/** At most `limit` requests a minute from one address; past it, a 429 with a message. */
function perAddressLimit(limit: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, 'rate_limited', 'Too many requests from this address; try again in a minute')),
  });
}
