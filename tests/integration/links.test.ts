// Links expire and can be revoked (issue 8 §5), and the facilitator controls the join code;
// Socket.IO checks Origin as the board socket does (§7). Real server, SQLite file, real
// ws and socket.io clients.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodeJwt } from 'jose';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/close-codes.js';
import { BAD_ORIGIN, PROTOCOL_VERSION } from '../../shared/protocol.js';
import type { LinkView } from '../../shared/links.js';
import { LinkService } from '../../server/auth/links.js';
import { createTokenSigner } from '../../server/auth/tokens.js';
import { CapturingLogger } from '../helpers/logger.js';
import { api, setupWorkshop } from '../helpers/api.js';
import { connectSocket, endOf, flush, handshakeRefusal, makeLink } from '../helpers/facilitation.js';
import { openRaw, openRawBoard, boardUrl } from '../helpers/raw-ws.js';
import { startServer, TEST_SECRET, type TestServer } from '../helpers/server.js';
import { waitFor, within } from '../helpers/wait.js';

const DAY_MS = 24 * 3_600_000;
type Listed = LinkView & { current?: boolean };

async function links(t: TestServer, workshopId: string, token: string): Promise<Listed[]> {
  const res = await api<Listed[]>(t.url, 'GET', `/api/workshops/${workshopId}/links`, { token });
  expect(res.status).toBe(200);
  return res.body;
}

describe('every token has an id and an expiry', () => {
  it('facilitator, co-facilitator, projector and organizer links last LINK_TTL_DAYS; participants 30 days', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const console = await connectSocket(t.url, w.facilitatorToken);
    const organizer = await api(t.url, 'POST', `/api/workshops/${w.workshop.id}/organizer-link`, { token: w.facilitatorToken });
    const tokens = {
      facilitator: w.facilitatorToken,
      cofacilitator: await makeLink(console, 'facilitator'),
      projector: await makeLink(console, 'projector'),
      organizer: organizer.body.token as string,
      participant: await w.participant('A'),
    };
    const ids = new Set<string>();
    for (const [who, token] of Object.entries(tokens)) {
      const { exp, iat, jti } = decodeJwt(token);
      expect(typeof jti, who).toBe('string');
      ids.add(jti!);
      expect(exp! - iat!, who).toBeGreaterThanOrEqual(30 * 86_400 - 1);
      expect(exp! - iat!, who).toBeLessThanOrEqual(30 * 86_400 + 1);
    }
    expect(ids.size).toBe(5);
    // Every one of them is listed, the caller's own marked.
    const listed = await links(t, w.workshop.id, w.facilitatorToken);
    expect(new Set(listed.map((l) => l.id))).toEqual(ids);
    expect(listed.find((l) => l.current)?.id).toBe(decodeJwt(w.facilitatorToken).jti);
    expect(listed.map((l) => l.role).sort()).toEqual(['facilitator', 'facilitator', 'organizer', 'participant', 'projector']);
    expect(listed.find((l) => l.role === 'participant')).toMatchObject({ name: 'Persona A', groupId: w.boardA.groupId });
  });

  it('LINK_TTL_DAYS sets the lifetime of the links a facilitator hands out, not the participants’', async () => {
    const t = await startServer({ linkTtlDays: 2 });
    const w = await setupWorkshop(t.url);
    const life = (token: string) => decodeJwt(token).exp! - decodeJwt(token).iat!;
    expect(Math.abs(life(w.facilitatorToken) - 2 * 86_400)).toBeLessThanOrEqual(1);
    expect(Math.abs(life(await w.participant('B')) - 30 * 86_400)).toBeLessThanOrEqual(1);
    const [own] = await links(t, w.workshop.id, w.facilitatorToken);
    expect(Math.abs(own!.expiresAt - (own!.createdAt + 2 * DAY_MS))).toBeLessThan(1_000);
  });
});

describe('the links list', () => {
  it('shows when each link was last used', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const console = await connectSocket(t.url, w.facilitatorToken);
    const projector = await makeLink(console, 'projector');
    const id = decodeJwt(projector).jti;
    const before = (await links(t, w.workshop.id, w.facilitatorToken)).find((l) => l.id === id)!;
    expect(before).toMatchObject({ role: 'projector', lastUsedAt: null });
    expect(before.expiresAt).toBeGreaterThan(Date.now() + 29 * DAY_MS);

    const usedAt = Date.now();
    expect((await api(t.url, 'GET', '/api/me', { token: projector })).status).toBe(200);
    await waitFor(async () => ((await links(t, w.workshop.id, w.facilitatorToken)).find((l) => l.id === id)?.lastUsedAt ?? 0) >= usedAt - 1_000, 5_000, 'last use recorded');
    // Stored, not only in memory: the SQLite file has it.
    const db = new Database(join(t.dataDir, 'relatoria.db'), { readonly: true });
    const row = db.prepare('SELECT last_used_at FROM links WHERE id = ?').get(id) as { last_used_at: number };
    db.close();
    expect(row.last_used_at).toBeGreaterThanOrEqual(usedAt - 1_000);
  });

  it('only the workshop’s facilitator lists and revokes: others get 401/403, unknown links 404', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const other = await setupWorkshop(t.url);
    const participant = await w.participant('A');
    const console = await connectSocket(t.url, w.facilitatorToken);
    const projector = await makeLink(console, 'projector');
    const [own] = await links(t, w.workshop.id, w.facilitatorToken);
    const path = `/api/workshops/${w.workshop.id}/links`;
    for (const token of [participant, projector, other.facilitatorToken]) {
      expect((await api(t.url, 'GET', path, { token })).status).toBe(403);
      expect((await api(t.url, 'DELETE', `${path}/${own!.id}`, { token })).status).toBe(403);
    }
    expect((await api(t.url, 'GET', path)).status).toBe(401);
    expect((await api(t.url, 'DELETE', `${path}/${own!.id}`)).status).toBe(401);
    expect((await api(t.url, 'DELETE', `${path}/no-such-link`, { token: w.facilitatorToken })).status).toBe(404);
    // Another workshop's link is not this workshop's to revoke.
    const [theirs] = await links(t, other.workshop.id, other.facilitatorToken);
    expect((await api(t.url, 'DELETE', `${path}/${theirs!.id}`, { token: w.facilitatorToken })).status).toBe(404);
    expect((await api(t.url, 'GET', `/api/workshops/${other.workshop.id}`, { token: other.facilitatorToken })).status).toBe(200);
    // Nothing was revoked by any of that.
    expect((await api(t.url, 'GET', '/api/me', { token: w.facilitatorToken })).status).toBe(200);
    expect((await api(t.url, 'GET', '/api/me', { token: projector })).status).toBe(200);
  });
});

describe('a revoked link stops working at once, everywhere', () => {
  it('HTTP 401, its open board socket closed 4401, its open Socket.IO socket told unauthorized and disconnected, new connections refused', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const console = await connectSocket(t.url, w.facilitatorToken);
    const cofacilitator = await makeLink(console, 'facilitator');
    const board = await openRawBoard(t.wsUrl, w.boardA, cofacilitator);
    const socket = await connectSocket(t.url, cofacilitator);
    const ended = endOf(socket);
    // Someone else on the same board with another link is not touched.
    const bystander = await openRawBoard(t.wsUrl, w.boardA, w.facilitatorToken);

    const id = decodeJwt(cofacilitator).jti!;
    expect((await api(t.url, 'DELETE', `/api/workshops/${w.workshop.id}/links/${id}`, { token: w.facilitatorToken })).status).toBe(204);

    expect(await within(board.closed, 5_000, 'the board socket to close')).toMatchObject({ code: CloseCode.Unauthorized, reason: 'link revoked' });
    expect(await within(ended, 5_000, 'the Socket.IO socket to end')).toEqual({ told: { code: 'unauthorized', reason: 'revoked' }, reason: 'io server disconnect' });
    expect((await api(t.url, 'GET', '/api/me', { token: cofacilitator })).status).toBe(401);
    expect((await api(t.url, 'GET', `/api/workshops/${w.workshop.id}/links`, { token: cofacilitator })).status).toBe(401);
    const again = openRaw(boardUrl(t.wsUrl, w.boardA, cofacilitator));
    expect((await within(again.closed, 5_000, 'a new board socket to close')).code).toBe(CloseCode.Unauthorized);
    expect((await handshakeRefusal(t.url, cofacilitator)).message).toBe('unauthorized');

    // The facilitator's own link, and its sockets, go on; the revoked link is no longer listed.
    expect(bystander.isOpen()).toBe(true);
    expect(console.socket.connected).toBe(true);
    expect((await links(t, w.workshop.id, w.facilitatorToken)).map((l) => l.id)).not.toContain(id);
    // Revoking again is harmless.
    expect((await api(t.url, 'DELETE', `/api/workshops/${w.workshop.id}/links/${id}`, { token: w.facilitatorToken })).status).toBe(204);
  });

  it('revoking one participant’s link ends that device only; the others of the group stay', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const ana = await w.participant('A', 'Ana');
    const beto = await w.participant('A', 'Beto');
    const anaBoard = await openRawBoard(t.wsUrl, w.boardA, ana);
    const betoBoard = await openRawBoard(t.wsUrl, w.boardA, beto);
    const anaLink = (await links(t, w.workshop.id, w.facilitatorToken)).find((l) => l.name === 'Ana')!;
    expect((await api(t.url, 'DELETE', `/api/workshops/${w.workshop.id}/links/${anaLink.id}`, { token: w.facilitatorToken })).status).toBe(204);
    expect((await within(anaBoard.closed, 5_000, 'Ana’s board to close')).code).toBe(CloseCode.Unauthorized);
    expect((await api(t.url, 'GET', '/api/me', { token: ana })).status).toBe(401);
    expect(betoBoard.isOpen()).toBe(true);
    expect((await api(t.url, 'GET', '/api/me', { token: beto })).status).toBe(200);
  });

  it('a revocation holds across a restart (it is stored, not only cached)', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const console = await connectSocket(t.url, w.facilitatorToken);
    const projector = await makeLink(console, 'projector');
    await api(t.url, 'DELETE', `/api/workshops/${w.workshop.id}/links/${decodeJwt(projector).jti}`, { token: w.facilitatorToken });
    // A second server over the same file starts with an empty cache.
    const { createRelatoriaServer } = await import('../../server/server.js');
    const { CapturingLogger } = await import('../helpers/logger.js');
    const second = createRelatoriaServer({ store: t.store, log: new CapturingLogger(), secret: TEST_SECRET, clientDir: '/nonexistent' });
    const url = `http://127.0.0.1:${await second.listen(0, '127.0.0.1')}`;
    try {
      expect((await api(url, 'GET', '/api/me', { token: projector })).status).toBe(401);
      expect((await api(url, 'GET', '/api/me', { token: w.facilitatorToken })).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});

describe('the revocation cache', () => {
  it('a revocation that lands while a cold link is being read from the store wins', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const console = await connectSocket(t.url, w.facilitatorToken);
    const projector = await makeLink(console, 'projector');
    // A service with a cold cache over the same store, whose first read of a link waits for us.
    const links = new LinkService({ store: t.store, signer: createTokenSigner(TEST_SECRET), log: new CapturingLogger(), linkTtlDays: 30 });
    const getLink = t.store.getLink.bind(t.store);
    let reads = 0;
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    t.store.getLink = async (id) => {
      const row = await getLink(id);
      if (reads++ === 0) await gate;
      return row;
    };
    const checking = links.verify(projector);
    await waitFor(() => reads === 1, 5_000, 'the first read');
    expect(await links.revoke(w.workshop.id, decodeJwt(projector).jti!)).toBe(true);
    release();
    expect(await checking).toBe(null);
    expect(links.isRevoked(decodeJwt(projector).jti)).toBe(true);
  });
});

describe('an expired link stops working, also where it is open', () => {
  it('a link that expires while its sockets are open: board closed 4401, Socket.IO told unauthorized, HTTP 401', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    // A link recorded like any, with a two-second life.
    const token = await t.server.signer.sign({ workshopId: w.workshop.id, role: 'facilitator' }, 2);
    const board = await openRawBoard(t.wsUrl, w.boardA, token);
    const socket = await connectSocket(t.url, token);
    const ended = endOf(socket);
    expect(await within(board.closed, 8_000, 'the board socket to close at expiry')).toMatchObject({ code: CloseCode.Unauthorized, reason: 'link expired' });
    expect(await within(ended, 8_000, 'the Socket.IO socket to end at expiry')).toEqual({ told: { code: 'unauthorized', reason: 'expired' }, reason: 'io server disconnect' });
    expect((await api(t.url, 'GET', '/api/me', { token })).status).toBe(401);
    expect((await within(openRaw(boardUrl(t.wsUrl, w.boardA, token)).closed, 5_000, 'a new board socket')).code).toBe(CloseCode.Unauthorized);
    expect((await handshakeRefusal(t.url, token)).message).toBe('unauthorized');
    expect((await links(t, w.workshop.id, w.facilitatorToken)).map((l) => l.id)).not.toContain(decodeJwt(token).jti);
  });

  it('a token signed with an expiry in the past is refused on every channel', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const token = await createTokenSigner(TEST_SECRET).sign({ workshopId: w.workshop.id, role: 'facilitator' }, -60);
    expect((await api(t.url, 'GET', `/api/workshops/${w.workshop.id}`, { token })).status).toBe(401);
    expect((await within(openRaw(boardUrl(t.wsUrl, w.boardA, token)).closed, 5_000, 'the board socket')).code).toBe(CloseCode.Unauthorized);
    expect((await handshakeRefusal(t.url, token)).message).toBe('unauthorized');
  });
});

describe('the join code', () => {
  it('rotating it: the old code stops working at once, the new one works, people already in stay in', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const ana = await w.participant('A', 'Ana');
    const old = w.workshop.joinCode;
    const path = `/api/workshops/${w.workshop.id}`;
    const console = await connectSocket(t.url, w.facilitatorToken);
    const projector = await connectSocket(t.url, await makeLink(console, 'projector'));
    const anaSocket = await connectSocket(t.url, ana);
    expect((await api(t.url, 'POST', `${path}/join-code`, { token: ana })).status).toBe(403);
    const rotated = await api(t.url, 'POST', `${path}/join-code`, { token: w.facilitatorToken });
    expect(rotated.status).toBe(201);
    const code = rotated.body.joinCode as string;
    expect(code).toMatch(/^[A-Z2-9]{6}$/);
    expect(code).not.toBe(old);

    expect((await api(t.url, 'GET', `/api/join/${old}`)).status).toBe(404);
    const refused = await api(t.url, 'POST', `${path}/join`, { json: { code: old, name: 'Tarde', groupId: w.boardA.groupId } });
    expect(refused.status).toBe(403);
    expect((await api(t.url, 'GET', `/api/join/${code}`)).status).toBe(200);
    expect((await api(t.url, 'POST', `${path}/join`, { json: { code, name: 'Nueva', groupId: w.boardA.groupId } })).status).toBe(201);
    expect((await api(t.url, 'GET', '/api/me', { token: ana })).status).toBe(200);
    // The consoles and the projector are given the new code at once; participants never see it.
    expect(await projector.next('join:code')).toEqual([code]);
    expect(await console.next('join:code')).toEqual([code]);
    await flush(anaSocket);
    expect(anaSocket.all('join:code')).toEqual([]);
    expect((await api(t.url, 'GET', path, { token: w.facilitatorToken })).body.joinCode).toBe(code);
    expect((await connectSocket(t.url, w.facilitatorToken)).snapshot.joinCode).toBe(code);
  });

  it('closing joining: lookup and join answer 423 join_closed; people already in stay in; reopening lets people join again', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const ana = await w.participant('A', 'Ana');
    const path = `/api/workshops/${w.workshop.id}`;
    const code = w.workshop.joinCode;
    expect((await api(t.url, 'PUT', `${path}/joining`, { token: ana, json: { open: false } })).status).toBe(403);
    expect((await api(t.url, 'PUT', `${path}/joining`, { token: w.facilitatorToken, json: { open: 'no' } })).status).toBe(400);
    expect((await api(t.url, 'PUT', `${path}/joining`, { token: w.facilitatorToken, json: { open: false } })).body).toEqual({ open: false });
    expect((await api(t.url, 'GET', `${path}/joining`, { token: w.facilitatorToken })).body).toEqual({ open: false, joinCode: code });

    const lookup = await api(t.url, 'GET', `/api/join/${code}`);
    expect(lookup.status).toBe(423);
    expect(lookup.body.error.code).toBe('join_closed');
    const join = await api(t.url, 'POST', `${path}/join`, { json: { code, name: 'Tarde', groupId: w.boardA.groupId } });
    expect(join.status).toBe(423);
    expect(join.body.error.code).toBe('join_closed');
    expect((await api(t.url, 'GET', '/api/me', { token: ana })).status).toBe(200);

    await api(t.url, 'PUT', `${path}/joining`, { token: w.facilitatorToken, json: { open: true } });
    expect((await api(t.url, 'POST', `${path}/join`, { json: { code, name: 'Tarde', groupId: w.boardA.groupId } })).status).toBe(201);
  });
});

describe('deleting a workshop', () => {
  it('removes its links from the SQLite file, and leaves other workshops’ links', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const other = await setupWorkshop(t.url);
    await w.participant('A');
    const console = await connectSocket(t.url, w.facilitatorToken);
    await makeLink(console, 'projector');
    const count = (workshopId: string) => {
      const db = new Database(join(t.dataDir, 'relatoria.db'), { readonly: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM links WHERE workshop_id = ?').get(workshopId) as { n: number }).n;
      } finally {
        db.close();
      }
    };
    expect(count(w.workshop.id)).toBe(3);
    expect((await api(t.url, 'DELETE', `/api/workshops/${w.workshop.id}`, { token: w.facilitatorToken })).status).toBe(204);
    expect(count(w.workshop.id)).toBe(0);
    expect(count(other.workshop.id)).toBe(1);
    expect((await api(t.url, 'GET', '/api/me', { token: w.facilitatorToken })).status).toBe(401);
  });
});

describe('Socket.IO checks Origin as the board socket does', () => {
  const handshake = (url: string, token: string, origin: string) =>
    new Promise<{ connected: boolean; message?: string; data?: unknown }>((resolve) => {
      const socket = io(url, {
        path: '/socket.io', transports: ['websocket'], forceNew: true, reconnection: false,
        auth: { token, protocol: PROTOCOL_VERSION }, extraHeaders: { origin },
      });
      socket.once('connect', () => {
        socket.disconnect();
        resolve({ connected: true });
      });
      socket.once('connect_error', (err) => {
        socket.disconnect();
        resolve({ connected: false, message: err.message, data: (err as Error & { data?: unknown }).data });
      });
    });

  it('a page of a foreign origin gets connect_error bad_origin, before its token is looked at', async () => {
    const t = await startServer({ allowedOrigins: ['https://relatoria.example'] });
    const w = await setupWorkshop(t.url);
    for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1.evil.example']) {
      const refused = await within(handshake(t.url, w.facilitatorToken, origin), 5_000, `the handshake from ${origin}`);
      expect(refused).toMatchObject({ connected: false, message: BAD_ORIGIN, data: { code: BAD_ORIGIN } });
    }
  });

  it.each([
    ['its own origin', (url: string) => url],
    ['an origin configured as allowed', () => 'https://relatoria.example'],
  ])('accepts %s', async (_name, origin) => {
    const t = await startServer({ allowedOrigins: ['https://relatoria.example'] });
    const w = await setupWorkshop(t.url);
    expect(await within(handshake(t.url, w.facilitatorToken, origin(t.url)), 5_000, 'the handshake')).toEqual({ connected: true });
  });
});
