// The y-websocket endpoint at /yjs/<workshopId>/<groupId>?token=…
// Refuses foreign origins at the upgrade; authenticates before accepting; then
// accepts and closes with 44xx when the token or the board is wrong, because the
// stock client retries forever on an HTTP error but stops on 4400–4499.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { CloseCode } from '../../shared/close-codes.js';
import { boardDocName, parseBoardDocName, type BoardAddress } from '../../shared/doc-name.js';
import type { Authenticate } from '../auth/authenticate.js';
import { whenExpired } from '../auth/links.js';
import type { OriginCheck } from '../auth/origin.js';
import type { BoardAccess, Principal } from '../auth/principal.js';
import type { Logger } from '../lib/logger.js';
import type { RejectReason } from '../lib/metrics.js';
import type { BoardRegistry } from './registry.js';
import { WorkshopDeletedError } from '../workshops/erased-workshops.js';
import { BoardConnection } from './connection.js';

export const BOARD_PATH = '/yjs';
export const MAX_MESSAGE_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 30_000;

/** Who may do what with a board: `prepare` loads what `access` needs, which then answers synchronously per message. */
export interface BoardPolicy {
  prepare(board: BoardAddress, principal?: Principal): Promise<void>;
  /** Whether the workshop has this group, once prepared: from memory, not a store query per connection. */
  exists(board: BoardAddress): boolean;
  access(principal: Principal, board: BoardAddress): BoardAccess;
}

export interface BoardEndpointDeps {
  authenticate: Authenticate;
  policy: BoardPolicy;
  registry: BoardRegistry;
  log: Logger;
  isOriginAllowed: OriginCheck;
  /** Whether the link was revoked since it was authenticated (a revocation may land between the two). */
  isLinkRevoked?: (linkId: string) => boolean;
  /** Counts what is refused (metrics). */
  rejected?: (reason: RejectReason) => void;
}

export interface BoardEndpoint {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every board socket of a participant (removed from the workshop) with 4401. */
  disconnectParticipant(participantId: string): void;
  /** Closes every board socket opened with this link (revoked) with 4401. */
  disconnectLink(linkId: string): void;
  /** Open board sockets (those still being authorised or loaded included). */
  readonly connectionCount: number;
  /** Shutdown with notice: from now on new upgrades get 503 (a balancer tries another node). */
  refuseNew(): void;
  /**
   * Then every open socket is closed with 1012, which the stock client answers by reconnecting — through
   * the balancer, to another node. Resolves once they closed, or after `timeoutMs`.
   */
  goAway(timeoutMs: number): Promise<void>;
  close(): void;
}

const toBytes = (data: RawData): Uint8Array =>
  Array.isArray(data) ? new Uint8Array(Buffer.concat(data)) : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

export function createBoardEndpoint(deps: BoardEndpointDeps): BoardEndpoint {
  const { log } = deps;
  const rejected = deps.rejected ?? (() => undefined);
  // No permessage-deflate: `ws` then writes every frame at once, so the frames a board
  // relays straight to the socket stay in order with its own (relayed-message.ts).
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  const alive = new WeakSet<WebSocket>();
  const byParticipant = new Map<string, Set<WebSocket>>();
  const byLink = new Map<string, Set<WebSocket>>();

  /** Keeps `ws` under `key` while it is open. */
  function index(sockets: Map<string, Set<WebSocket>>, key: string, ws: WebSocket) {
    const mine = sockets.get(key) ?? new Set();
    sockets.set(key, mine.add(ws));
    ws.on('close', () => {
      mine.delete(ws);
      if (mine.size === 0 && sockets.get(key) === mine) sockets.delete(key);
    });
  }

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) ws.terminate();
      else {
        alive.delete(ws);
        ws.ping();
      }
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  /** `unavailable`: the token could not be checked (the store failed), which says nothing about the token. */
  async function accept(ws: WebSocket, principal: Principal | null | 'unavailable', address: BoardAddress | null, transport: Duplex) {
    // Without an error listener, an invalid frame (RSV bits, unmasked data) makes `ws` throw and the process exit.
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') rejected('too_large'); // ws closes it with 1009
      log.warn('board socket error', { err });
    });
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    if (principal === 'unavailable') return ws.close(CloseCode.TryAgainLater, 'try again later');
    if (!principal) {
      rejected('unauthorized');
      return ws.close(CloseCode.Unauthorized, 'invalid or missing token');
    }
    if (!address) return ws.close(CloseCode.NotFound, 'no such board');
    // Another workshop's token learns nothing, not even which of its group ids exist.
    if (principal.workshopId !== address.workshopId) {
      rejected('forbidden');
      return ws.close(CloseCode.Forbidden, 'not your workshop');
    }
    if (principal.participantId) index(byParticipant, principal.participantId, ws);
    if (principal.linkId) {
      index(byLink, principal.linkId, ws);
      if (deps.isLinkRevoked?.(principal.linkId)) return ws.close(CloseCode.Unauthorized, 'link revoked');
    }
    // A link that expires while the board is open ends there, as a revoked one does.
    const stopExpiry = whenExpired(principal.expiresAt, () => ws.close(CloseCode.Unauthorized, 'link expired'));
    ws.on('close', stopExpiry);

    // Messages that arrive while we look the board up are kept, in order, with when they arrived.
    const early: Array<[Uint8Array, number]> = [];
    let connection: BoardConnection | null = null;
    ws.on('message', (data) => (connection ? connection.receive(toBytes(data)) : early.push([toBytes(data), performance.now()])));
    ws.on('close', () => connection?.dispose());

    try {
      await deps.policy.prepare(address, principal);
      if (!deps.policy.exists(address)) return ws.close(CloseCode.NotFound, 'no such board');
      const access = () => deps.policy.access(principal, address);
      if (access() === 'none') {
        rejected('forbidden');
        return ws.close(CloseCode.Forbidden, 'not your workshop');
      }
      const board = await deps.registry.open(boardDocName(address));
      if (ws.readyState !== ws.OPEN) return;
      connection = new BoardConnection(ws, transport, board, principal, access, log, rejected);
      connection.start();
      for (const [message, at] of early.splice(0)) connection.receive(message, at);
    } catch (err) {
      if (err instanceof WorkshopDeletedError) return ws.close(CloseCode.WorkshopDeleted, 'workshop deleted');
      log.error('could not open a board', { board: boardDocName(address), err }); // not req.url: it carries the token
      ws.close(CloseCode.TryAgainLater, 'board unavailable');
    }
  }

  let leaving = false;

  return {
    handleUpgrade(req, socket, head) {
      socket.on('error', (err) => log.warn('upgrade socket error', { err }));
      if (leaving) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      if (!deps.isOriginAllowed(req.headers.origin, req.headers.host)) {
        rejected('bad_origin');
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const address = parseBoardDocName(safeDecode(url.pathname.slice(BOARD_PATH.length + 1)));
      void deps
        .authenticate(url.searchParams.get('token'))
        .catch((err) => {
          log.error('authentication failed', { err });
          return 'unavailable' as const;
        })
        .then((principal) => {
          if (socket.destroyed) return;
          wss.handleUpgrade(req, socket, head, (ws) => void accept(ws, principal, address, socket));
        });
    },
    get connectionCount() {
      return wss.clients.size;
    },
    disconnectParticipant(participantId) {
      for (const ws of byParticipant.get(participantId) ?? []) ws.close(CloseCode.Unauthorized, 'removed from the workshop');
    },
    disconnectLink(linkId) {
      for (const ws of byLink.get(linkId) ?? []) ws.close(CloseCode.Unauthorized, 'link revoked');
    },
    refuseNew() {
      leaving = true;
    },
    async goAway(timeoutMs) {
      leaving = true;
      const open = [...wss.clients];
      const closed = open.map((ws) => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve()))));
      for (const ws of open) ws.close(CloseCode.ServiceRestart, 'server restarting');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(closed), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
    close() {
      leaving = true;
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}
