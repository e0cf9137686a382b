// Builds one Relatoría server from its dependencies: HTTP API, Socket.IO and the
// board endpoint on one port, with one upgrade router. Tests build their own.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthenticator } from './auth/authenticate.js';
import { createTokenSigner } from './auth/tokens.js';
import { createBoardEndpoint, BOARD_PATH } from './docsync/endpoint.js';
import { LinkService } from './auth/links.js';
import { originPolicy } from './auth/origin.js';
import { BoardRegistry } from './docsync/registry.js';
import { BoardWriter } from './docsync/board-writer.js';
import { sessionBoardGuard } from './facilitation/board-guard.js';
import { announceJoinCode, createSocketServer, revokeLinkSockets, type FacilitationServer } from './facilitation/socket-server.js';
import { ActivityTracker } from './facilitation/activity-tracker.js';
import { SessionService } from './facilitation/session-service.js';
import { HistoryService } from './history/history-service.js';
import { ExportPool } from './export/export-pool.js';
import { ImportPool } from './import/import-pool.js';
import { createApp, type RequestLimits } from './http/app.js';
import type { Logger } from './lib/logger.js';
import { ServerMetrics } from './lib/metrics.js';
import type { Store } from './store/store.js';
import type { BoardRelay } from './cluster/board-relay.js';
import type { PresenceRelay } from './cluster/cluster-presence.js';
import type { BoardPresenceRelay } from './cluster/board-awareness.js';
import type { ClusterFacilitation } from './cluster/cluster.js';
import { eraseNotices, joinCodeNotice, joinedNotice, sessionSync, shareWithPeers } from './cluster/share-facilitation.js';
import type { ReadinessCheck } from './http/operations-routes.js';
import { boardDocName, parseBoardDocName } from '../shared/doc-name.js';
import { ErasedWorkshops } from './workshops/erased-workshops.js';
import { Retention } from './workshops/retention.js';
import { WorkshopEraser } from './workshops/workshop-eraser.js';
import { WorkshopUse } from './workshops/workshop-use.js';
import { WorkshopService } from './workshops/workshop-service.js';
import { TemplateService } from './workshops/template-service.js';

export interface ServerOptions {
  store: Store;
  log: Logger;
  secret: string;
  clientDir: string;
  allowedOrigins?: string[];
  boardIdleMs?: number;
  compactEvery?: number;
  /** An automatic board version at most this often while people write (default a minute). */
  autoVersionEveryMs?: number;
  limits?: RequestLimits;
  /** The facilitation protocol spoken, and the oldest client accepted (default: shared/protocol.ts). */
  protocol?: { current: number; minimum: number };
  /** This server's metrics (default: a registry of its own, without the process's metrics, which main.ts adds). */
  metrics?: ServerMetrics;
  /** `/metrics` answers only `Authorization: Bearer <metricsToken>` when set. */
  metricsToken?: string | null;
  /** A workshop's session nobody uses (no socket, no board in memory) leaves memory after this long (default 10 min). */
  sessionIdleMs?: number;
  /** Workshops unused for this many days are deleted (default: never). */
  retentionDays?: number | null;
  /** How often retention checks (default an hour, the first check a minute after listening). */
  retentionCheckMs?: number;
  /** A workshop's last use is written to the store at most this often (default 5 min). */
  useRecordEveryMs?: number;
  /** Import worker threads and the time budget of one import (server/import/import-pool.ts). */
  imports?: { workers?: number; timeBudgetMs?: number };
  /** Export worker threads and the time budget of one rendering (server/export/export-pool.ts). */
  exports?: { workers?: number; timeBudgetMs?: number };
  /** Lifetime of facilitator, co-facilitator, projector and organizer links (default 30 days). */
  linkTtlDays?: number;
  /** Cluster mode: board updates to and from the other nodes (server/cluster). */
  relay?: BoardRelay;
  /** Cluster mode: who is online on every node (server/cluster/cluster-presence.ts). */
  presence?: PresenceRelay;
  /** Cluster mode: board presence (awareness) across nodes (server/cluster/board-awareness.ts). */
  boardPresence?: BoardPresenceRelay;
  /** Cluster mode: facilitation across nodes — Socket.IO's Redis adapter, the per-workshop lock, the bus (server/cluster). */
  cluster?: ClusterFacilitation;
  /** What `/readyz` checks besides the store (Redis in cluster mode). */
  readinessChecks?: ReadinessCheck[];
}

export interface RelatoriaServer {
  http: HttpServer;
  io: FacilitationServer;
  registry: BoardRegistry;
  /** The only way the server writes into a board on someone's behalf (the write guard). */
  writer: BoardWriter;
  history: HistoryService;
  metrics: ServerMetrics;
  sessions: SessionService;
  activity: ActivityTracker;
  workshops: WorkshopService;
  eraser: WorkshopEraser;
  /** Null when RETENTION_DAYS is off. */
  retention: Retention | null;
  /** Signs every token, recording it as a link (revocation, expiry, last use). */
  signer: LinkService;
  listen(port: number, host?: string): Promise<number>;
  /**
   * Graceful shutdown (SIGTERM): `/readyz` answers 503 "draining" at once and new board
   * sockets get 503; after `noticeMs` (the balancer's health checks see it) the port stops
   * accepting, board sockets are closed with 1012 and Socket.IO transports are cut, so
   * both reconnect — through the balancer, to another node; then `close()`, which stores
   * what the boards still hold. Does not close the store.
   */
  drain(opts?: { noticeMs?: number; socketsMs?: number }): Promise<void>;
  /** Stops accepting, compacts open boards, closes sockets. Does not close the store. */
  close(): Promise<void>;
}

export function createRelatoriaServer(opts: ServerOptions): RelatoriaServer {
  const { store, log } = opts;
  const signer = new LinkService({ store, signer: createTokenSigner(opts.secret), log, linkTtlDays: opts.linkTtlDays ?? 30 });
  const authenticate = createAuthenticator(signer, store);
  const metrics = opts.metrics ?? new ServerMetrics();
  const rejected = metrics.rejected.bind(metrics);
  const activity = new ActivityTracker();
  const erased = new ErasedWorkshops();
  const use = new WorkshopUse({
    touch: (w, at) => store.touchWorkshop(w, at),
    onError: (err, workshop) => log.warn('could not record a workshop’s last use', { workshop, err }),
    everyMs: opts.useRecordEveryMs,
  });
  let history: HistoryService | null = null;
  const registry = new BoardRegistry({
    store, log, metrics, erased, idleMs: opts.boardIdleMs ?? 30_000, compactEvery: opts.compactEvery, relay: opts.relay, presenceRelay: opts.boardPresence,
    onCommit: (name, updates) => {
      metrics.boardUpdates(updates);
      activity.record(name, updates);
      history?.boardChanged(name);
      sessions.boardChanged(name); // called only once boards are written, after `sessions` exists
      const board = parseBoardDocName(name);
      if (board) use.used(board.workshopId);
    },
    onLargeRemoval: (name, snapshot, by) => history?.keepBeforeRemoval(name, snapshot, by),
    // A board is written only while its session is loaded (it asks who may write).
    isAnonymous: (name): boolean => {
      const board = parseBoardDocName(name);
      return board !== null && sessions.peek(board.workshopId)?.state.anonymous === true;
    },
  });
  // Every write to a board, from a socket or from the server, passes this one guard (asked once sessions exist).
  const guard = sessionBoardGuard(() => sessions);
  const writer = new BoardWriter({ registry, guard });
  const sessions = new SessionService({
    store, registry, writer, signer, activity, log, rejected, erased, idleMs: opts.sessionIdleMs, presence: opts.presence,
    ...(opts.cluster ? { sync: sessionSync(opts.cluster), removedElsewhere: (_w: string, participantId: string) => boards.disconnectParticipant(participantId) } : {}),
  });
  history = new HistoryService({ store, registry, writer, log, erased, autoEveryMs: opts.autoVersionEveryMs });
  const workshops = new WorkshopService(store, signer, {
    joined: (p) => {
      use.used(p.workshopId);
      void sessions.participantJoined(p);
      if (opts.cluster) joinedNotice(opts.cluster, p.workshopId);
    },
    created: (workshop, agenda) => sessions.initialize(workshop, agenda),
    joinCodeChanged: (workshopId, code) => {
      const session = sessions.peek(workshopId);
      if (session) session.joinCode = code;
      if (opts.cluster) joinCodeNotice(opts.cluster, workshopId, code);
      announceJoinCode(io, workshopId, code);
    },
  });
  const eraser = new WorkshopEraser({
    store, registry, sessions, history, erased, log,
    onErased: (w) => {
      use.forget(w);
      signer.forgetWorkshop(w);
    },
    ...(opts.cluster ? { peers: eraseNotices(opts.cluster) } : {}),
  });
  const retention = opts.retentionDays
    ? new Retention({
        store, eraser, log, days: opts.retentionDays, checkEveryMs: opts.retentionCheckMs,
        inUse: (w) => sessions.isOnline(w) || registry.hasPeers(w),
      })
    : null;
  const templates = new TemplateService({ store, registry, sessions });
  const imports = new ImportPool({ log, size: opts.imports?.workers, timeBudgetMs: opts.imports?.timeBudgetMs });
  const exportPool = new ExportPool({ log, size: opts.exports?.workers, timeBudgetMs: opts.exports?.timeBudgetMs });
  let ready = false;
  // Readiness says "draining" while the node still listens, so a balancer's checks see it.
  let draining = false;

  const app = createApp({ store, workshops, templates, sessions, history, registry, writer, signer, authenticate, log, clientDir: opts.clientDir, isReady: () => ready, readinessChecks: opts.readinessChecks, isDraining: () => draining, limits: opts.limits, metrics, metricsToken: opts.metricsToken ?? null, eraser, links: signer, imports, exports: exportPool });
  const http = createServer(app);
  const isOriginAllowed = originPolicy(opts.allowedOrigins ?? []);
  const isLinkRevoked = (linkId: string) => signer.isRevoked(linkId);
  const io = createSocketServer(http, { authenticate, sessions, log, corsOrigins: opts.allowedOrigins ?? [], isOriginAllowed, isLinkRevoked, protocol: opts.protocol, rejected, adapter: opts.cluster?.adapter, peers: opts.cluster?.peers });
  const boards = createBoardEndpoint({
    authenticate,
    registry,
    log,
    policy: guard,
    isOriginAllowed,
    isLinkRevoked,
    rejected,
  });
  // A revoked link ends at once everywhere it is open.
  signer.onRevoked((linkId) => {
    boards.disconnectLink(linkId);
    revokeLinkSockets(io, linkId); // through the Redis adapter in cluster mode: on every node
  });
  if (opts.cluster) {
    shareWithPeers({ cluster: opts.cluster, sessions, signer, registry, store, erased, log, disconnectLinkBoards: (linkId) => boards.disconnectLink(linkId) });
  }
  metrics.observe({
    boardConnections: () => boards.connectionCount,
    socketioConnections: () => io.of('/').sockets.size,
    boardsLoaded: () => registry.loadedCount,
    sessionsLoaded: () => sessions.loadedCount,
  });

  sessions.on({
    state: (workshopId) => use.used(workshopId), // every stored command
    ballot: (workshopId) => use.used(workshopId), // a dot (stored apart from the record)
    removed: (_w, participantId) => boards.disconnectParticipant(participantId),
    phaseChanged: (workshopId, phase) => {
      const groupIds = sessions.peek(workshopId)?.groupIds ?? [];
      void history?.takeEach(groupIds.map((groupId) => boardDocName({ workshopId, groupId })), 'phase', phase);
    },
  });

  http.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path === BOARD_PATH || path.startsWith(BOARD_PATH + '/')) boards.handleUpgrade(req, socket, head);
    else if (!path.startsWith('/socket.io/')) socket.destroy(); // Socket.IO's own listener takes its path
  });
  http.on('clientError', (_err, socket) => socket.destroy());

  return {
    http,
    io,
    registry,
    writer,
    history,
    metrics,
    sessions,
    activity,
    eraser,
    retention,
    workshops,
    signer,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          ready = true;
          retention?.start();
          resolve((http.address() as AddressInfo).port);
        });
      });
    },
    async drain({ noticeMs = 0, socketsMs = 2_000 } = {}) {
      draining = true;
      boards.refuseNew();
      log.info('draining: readiness answers 503, new board sockets are refused', { noticeMs });
      if (noticeMs > 0) await new Promise((resolve) => setTimeout(resolve, noticeMs));
      // New connections are refused from here: a balancer sends them to another node.
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      // A transport cut (not a Socket.IO disconnect, which clients take as final) makes clients reconnect.
      for (const socket of io.of('/').sockets.values()) socket.conn.close();
      await boards.goAway(socketsMs);
      log.info('draining: sockets moved; storing what the boards hold');
      await this.close();
      await stopped;
    },
    async close() {
      ready = false;
      retention?.stop();
      boards.close();
      sessions.close();
      history?.close();
      await registry.closeAll();
      await imports.close();
      await exportPool.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
