// The Socket.IO facilitation channel: authenticated at the handshake, rooms per
// workshop / role / group / participant, a full snapshot on every (re)connect, and
// the session service's events fanned out to the right rooms. No rules live here.
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions as SocketIoOptions, type Socket } from 'socket.io';
import {
  BAD_ORIGIN, ErrorCode, MIN_CLIENT_PROTOCOL, PROTOCOL_VERSION, type Ack, type ClientToServerEvents, type CommandReply, type OutdatedClientData,
  type ServerToClientEvents, type WorkshopSnapshot,
} from '../../shared/protocol.js';
import type { Authenticate } from '../auth/authenticate.js';
import { whenExpired } from '../auth/links.js';
import type { OriginCheck } from '../auth/origin.js';
import type { Principal } from '../auth/principal.js';
import type { PeerReach } from '../cluster/cluster.js';
import type { Logger } from '../lib/logger.js';
import type { RejectReason } from '../lib/metrics.js';
import type { SessionService } from './session-service.js';
import { WorkshopDeletedError } from '../workshops/erased-workshops.js';
import { commandSchema } from './command-schema.js';
import { TokenBucket } from './rate-limit.js';
import { visibleRanking, wholeRankingRoles } from './voting-commands.js';
import { RoomShards } from './room-shards.js';

interface SocketData {
  principal: Principal;
  /** The protocol version the client speaks (`auth.protocol`; 1 when it sent none). */
  protocol: number;
}
type FacilitationSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type FacilitationServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const rooms = {
  workshop: (w: string) => `w:${w}`,
  /** Every socket of a workshop is also in one of its shards (room-shards.ts). */
  shard: (w: string, k: number) => `w:${w}:s:${k}`,
  facilitators: (w: string) => `w:${w}:facilitators`,
  projectors: (w: string) => `w:${w}:projectors`,
  group: (w: string, g: string) => `w:${w}:g:${g}`,
  participant: (p: string) => `p:${p}`,
  link: (l: string) => `l:${l}`,
};

/** The rooms of the roles told a live ranking whole (`wholeRankingRoles`). */
const wholeRankingRoom = { facilitator: rooms.facilitators, projector: rooms.projectors } as const;

const ACTIVITY_EVERY_MS = 5_000;

export interface SocketServerDeps {
  authenticate: Authenticate;
  sessions: SessionService;
  log: Logger;
  corsOrigins: string[];
  /** The board socket's own Origin policy (auth/origin.ts): a foreign page is refused at the handshake. */
  isOriginAllowed: OriginCheck;
  /** Whether the link was revoked since it was authenticated (a revocation may land between the two). */
  isLinkRevoked?: (linkId: string) => boolean;
  /** The protocol this server speaks, and the oldest client it accepts (shared/protocol.ts; tests play a newer server). */
  protocol?: { current: number; minimum: number };
  /** Counts what is refused (metrics). */
  rejected?: (reason: RejectReason) => void;
  /**
   * Cluster mode: the Redis adapter. Every broadcast below then reaches the room's sockets on
   * every node, once — only the node that ran a command emits its events; the others only
   * refresh their copy of the session.
   */
  adapter?: SocketIoOptions['adapter'];
  /** Cluster mode: whether this node hears the others; its sockets are told when that changes. */
  peers?: PeerReach;
}

/** The version a handshake says it speaks: none (clients from before versioning) is 1; anything unreadable is 0. */
export function clientProtocol(auth: unknown): number {
  const value = typeof auth === 'object' && auth !== null ? (auth as { protocol?: unknown }).protocol : undefined;
  if (value === undefined) return 1;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

export function createSocketServer(httpServer: HttpServer, deps: SocketServerDeps): FacilitationServer {
  const { sessions, log } = deps;
  const io: FacilitationServer = new Server(httpServer, {
    path: '/socket.io',
    // Board upgrades (/yjs) are routed by our own upgrade listener; Socket.IO must not end them.
    destroyUpgrade: false,
    maxHttpBufferSize: 64 * 1024,
    cors: deps.corsOrigins.length > 0 ? { origin: deps.corsOrigins } : undefined,
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
  });

  const protocol = deps.protocol ?? { current: PROTOCOL_VERSION, minimum: MIN_CLIENT_PROTOCOL };
  const rejected = deps.rejected ?? (() => undefined);
  const shards = new RoomShards();

  io.use((socket, next) => {
    const { origin, host } = socket.handshake.headers;
    if (!deps.isOriginAllowed(origin, host)) {
      rejected('bad_origin');
      const refusal = new Error(BAD_ORIGIN) as Error & { data: { code: typeof BAD_ORIGIN; message: string } };
      refusal.data = { code: BAD_ORIGIN, message: 'pages of this origin may not open the facilitation channel (ALLOWED_ORIGINS)' };
      return next(refusal);
    }
    // Before the token: a page too old to work is told to reload, whoever it is.
    socket.data.protocol = clientProtocol(socket.handshake.auth);
    if (socket.data.protocol < protocol.minimum) {
      rejected('outdated_client');
      const refusal = new Error(ErrorCode.OutdatedClient) as Error & { data: OutdatedClientData };
      refusal.data = { code: ErrorCode.OutdatedClient, server: protocol.current, minimum: protocol.minimum };
      return next(refusal);
    }
    const token: unknown = socket.handshake.auth?.token;
    deps
      .authenticate(typeof token === 'string' ? token : null)
      .then((principal) => {
        if (!principal) {
          rejected('unauthorized');
          return next(new Error(ErrorCode.Unauthorized));
        }
        socket.data.principal = principal;
        next();
      })
      .catch((err: unknown) => {
        log.error('socket authentication failed', { err });
        next(new Error(ErrorCode.Internal));
      });
  });

  // Each node tells its own sockets whether it hears the other nodes (Redis is what is missing).
  deps.peers?.onChange((cut) => void io.local.emit('cluster:link', { cut }));
  io.on('connection', (socket: FacilitationSocket) => {
    onConnection(socket).catch((err: unknown) => {
      if (err instanceof WorkshopDeletedError) socket.emit('workshop:deleted');
      else log.error('could not open the session of a socket', { workshop: socket.data.principal.workshopId, err });
      socket.disconnect(true);
    });
  });

  /**
   * A page older than the server whose command does not fit today's shapes is told to
   * reload, not that its request was bad: after a deploy, reloading is what fixes it.
   */
  function explainToOlder(clientVersion: number, reply: Ack<CommandReply>, command: unknown): Ack<CommandReply> {
    if (reply.ok || reply.error !== ErrorCode.BadRequest || clientVersion >= protocol.current) return reply;
    if (commandSchema.safeParse(command).success) return reply; // a rule said no, not the shape
    return { ok: false, error: ErrorCode.OutdatedClient, message: 'this page is older than the server: reload it' };
  }

  async function onConnection(socket: FacilitationSocket) {
    const { principal } = socket.data;
    const w = principal.workshopId;
    // In its link's room at once, so a revocation from now on reaches it; and out when the link expires.
    if (principal.linkId) {
      void socket.join(rooms.link(principal.linkId));
      if (deps.isLinkRevoked?.(principal.linkId)) {
        socket.emit('you:unauthorized', { code: ErrorCode.Unauthorized, reason: 'revoked' });
        socket.disconnect(true);
        return;
      }
    }
    const stopExpiry = whenExpired(principal.expiresAt, () => {
      socket.emit('you:unauthorized', { code: ErrorCode.Unauthorized, reason: 'expired' });
      socket.disconnect(true);
    });
    socket.on('disconnect', stopExpiry);
    // Listen before the first await: a client sends what it buffered while offline as
    // soon as it connects, and may leave while the session is still loading.
    const joined = sessions.connected(principal);
    const bucket = new TokenBucket(30, 15);
    socket.on('command', (command, ack) => {
      if (typeof ack !== 'function') return;
      if (!bucket.take()) {
        rejected('rate_limited');
        return ack({ ok: false, error: ErrorCode.RateLimited, message: 'too many commands; slow down' });
      }
      void sessions.execute(principal, command).then((reply) => ack(explainToOlder(socket.data.protocol, reply, command)));
    });
    socket.on('clock:ping', (clientTime, ack) => {
      if (typeof ack !== 'function') return;
      if (!bucket.take()) return rejected('rate_limited');
      ack({ clientTime: Number(clientTime) || 0, serverTime: Date.now() });
    });
    socket.on('disconnect', () => void joined.then(() => sessions.disconnected(principal), () => undefined));
    const session = await joined;
    if (socket.disconnected) return;
    const you = session.activeParticipant(principal.participantId);
    await socket.join([rooms.workshop(w), rooms.shard(w, shards.deal())]);
    if (principal.role === 'facilitator') await socket.join(rooms.facilitators(w));
    if (principal.role === 'projector') await socket.join(rooms.projectors(w));
    if (you) await socket.join([rooms.group(w, you.groupId), rooms.participant(you.id)]);
    await sessions.learnCardTexts(session);

    // Read after the socket joined its rooms, synchronously up to the emit: every live ranking
    // announced is in the snapshot (as announced) or reaches the socket after it, as a change
    // against exactly that (ranking-announcer.ts).
    const snapshot: WorkshopSnapshot = {
      workshopId: w,
      serverTime: Date.now(),
      session: session.state,
      presence: principal.role === 'facilitator' ? session.presence() : [],
      you: {
        role: principal.role,
        participantId: principal.participantId,
        groupId: you?.groupId ?? null,
        ballot: you ? (session.ballots.get(you.id) ?? {}) : {},
        votingDone: you ? session.done.has(you.id) : false,
        privateCards: you ? session.heldCardsOf(you.id) : [],
      },
      voteProgress: session.voteProgress(),
      ranking: visibleRanking(session, principal),
      announcements: session.announcementsFor(principal),
      joinCode: principal.role === 'facilitator' || principal.role === 'projector' ? session.joinCode : null,
    };
    socket.emit('workshop:snapshot', snapshot);
    if (deps.peers?.cut) socket.emit('cluster:link', { cut: true });
    if (principal.role === 'facilitator') {
      socket.emit('roster:update', session.roster());
      socket.emit('private:counts', session.heldCounts());
      socket.emit('activity:update', await sessions.activity(session));
    }
  }

  sessions.on({
    state: (w, state) => void io.to(rooms.workshop(w)).emit('session:state', state, Date.now()),
    resync: (w, state) => void io.local.to(rooms.workshop(w)).emit('session:state', state, Date.now()),
    // Each node sends who is online (every node's people, cluster-presence.ts) to its own sockets.
    // Only the consoles show it: the whole list to a room of 1,000 phones was 100 KB each, every 5 s of arrivals.
    presence: (w, presence) => void io.local.to(rooms.facilitators(w)).emit('presence:update', presence),
    roster: (w, roster) => void io.local.to(rooms.facilitators(w)).emit('roster:update', roster),
    ballot: (_w, pid, ballot, done) => void io.to(rooms.participant(pid)).emit('vote:ballot', ballot, done),
    // Once a second to everyone during a vote: spread over the shards, boards relayed between.
    // One packet a socket: the progress with the ranking whole to those who show it whole
    // (`wholeRankingRoles`), with its first entries (live results) to the rest of the room.
    votes: (w, { progress, ranking, room }) => {
      const whole = wholeRankingRoles(room !== null).map((role) => wholeRankingRoom[role](w));
      if (ranking) io.to(whole).emit('vote:progress', progress, ranking);
      return shards.spread((k) => {
        const shard = ranking ? io.to(rooms.shard(w, k)).except(whole) : io.to(rooms.shard(w, k));
        if (room) shard.emit('vote:progress', progress, room);
        else shard.emit('vote:progress', progress);
      });
    },
    ranking: (w, update, everyone) => void io.to(everyone ? rooms.workshop(w) : rooms.facilitators(w)).emit('vote:ranking', update),
    heldCards: (_w, pid, cards) => void io.to(rooms.participant(pid)).emit('private:cards', cards),
    heldCounts: (w, counts) => void io.to(rooms.facilitators(w)).emit('private:counts', counts),
    announcement: (w, a) => void io.to(a.groupId ? [rooms.group(w, a.groupId), rooms.facilitators(w)] : rooms.workshop(w)).emit('announcement', a),
    activity: (w, activity) => void io.to(rooms.facilitators(w)).emit('activity:update', activity),
    moved: (w, pid, groupId) => {
      const sockets = io.in(rooms.participant(pid));
      for (const g of sessions.peek(w)?.groupIds ?? []) sockets.socketsLeave(rooms.group(w, g));
      sockets.socketsJoin(rooms.group(w, groupId));
      sockets.emit('you:moved', groupId);
    },
    removed: (_w, pid) => {
      io.to(rooms.participant(pid)).emit('you:removed');
      io.in(rooms.participant(pid)).disconnectSockets(true);
    },
    deleted: (w) => {
      io.to(rooms.workshop(w)).emit('workshop:deleted');
      io.in(rooms.workshop(w)).disconnectSockets(true);
    },
  });

  // Live figures for facilitators: only for workshops with one online. Each node ticks for its
  // own sockets (`local`): through the Redis adapter every node's tick would reach them all.
  const ticker = setInterval(() => {
    for (const room of io.sockets.adapter.rooms.keys()) {
      const m = /^w:(.+):facilitators$/.exec(room);
      const session = m?.[1] ? sessions.peek(m[1]) : undefined;
      if (session) void sessions.activity(session).then((a) => io.local.to(room).emit('activity:update', a));
    }
  }, ACTIVITY_EVERY_MS);
  ticker.unref();
  io.engine.on('close', () => clearInterval(ticker));
  httpServer.on('close', () => clearInterval(ticker));

  return io;
}

/** The join code changed: the consoles and projectors of the workshop show the new one (never participants). */
export function announceJoinCode(io: FacilitationServer, workshopId: string, joinCode: string): void {
  io.to([rooms.facilitators(workshopId), rooms.projectors(workshopId)]).emit('join:code', joinCode);
}

/** Tells every socket opened with this link `unauthorized` and disconnects it (the link was revoked). */
export function revokeLinkSockets(io: FacilitationServer, linkId: string): void {
  refuse(io.in(rooms.link(linkId)), 'revoked');
}

/** The sockets' link was revoked or expired: they are told `unauthorized` and disconnected. */
function refuse(sockets: ReturnType<FacilitationServer['in']>, reason: 'revoked' | 'expired') {
  sockets.emit('you:unauthorized', { code: ErrorCode.Unauthorized, reason });
  sockets.disconnectSockets(true);
}
