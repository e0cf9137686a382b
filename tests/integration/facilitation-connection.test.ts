// The first moments of a Socket.IO connection, while the server loads the workshop's
// session from a store that takes its time (a networked database, a busy disk): a
// command the client sent on connecting — socket.io-client flushes what it buffered
// while offline as soon as it connects — is answered, and a socket that leaves before
// the load finishes is not counted online.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { io } from 'socket.io-client';
import { createRelatoriaServer } from '../../server/server.js';
import { PROTOCOL_VERSION } from '../../shared/protocol.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/store.js';
import { joinWorkshop, setupWorkshop } from '../helpers/api.js';
import { connectSocket, type ClientSocket } from '../helpers/facilitation.js';
import { CapturingLogger } from '../helpers/logger.js';
import { TEST_SECRET } from '../helpers/server.js';
import { within } from '../helpers/wait.js';

const LOAD_DELAY_MS = 300;

/**
 * A server whose store answers `loadSession` late — or fails it, while `failing.loads`
 * is above zero — and a way to make it forget the loaded sessions (as a restart does).
 */
async function slowSessionServer() {
  const failing = { loads: 0 };
  const dataDir = await mkdtemp(join(tmpdir(), 'relatoria-it-'));
  const file = join(dataDir, 'relatoria.db');
  let store = new SqliteStore(file);
  const slow = (inner: SqliteStore): Store =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (prop === 'loadSession') {
          return async (...args: unknown[]) => {
            await new Promise((resolve) => setTimeout(resolve, LOAD_DELAY_MS));
            if (failing.loads > 0 && failing.loads--) throw new Error('the database is unreachable');
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    }) as Store;
  const build = () => createRelatoriaServer({ store: slow(store), log: new CapturingLogger(), secret: TEST_SECRET, clientDir: join(dataDir, 'no-client') });
  let server = build();
  const port = await server.listen(0, '127.0.0.1');
  onTestFinished(async () => {
    await server.close();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    failing,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    get server() {
      return server;
    },
    /** A fresh server on the same file and port: no session loaded. */
    async restart() {
      await server.close();
      await store.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      store = new SqliteStore(file);
      server = build();
      await server.listen(port, '127.0.0.1');
    },
  };
}

function bareSocket(url: string, token: string): ClientSocket {
  const socket: ClientSocket = io(url, { auth: { token, protocol: PROTOCOL_VERSION }, transports: ['websocket'], forceNew: true, autoConnect: false, reconnection: false });
  onTestFinished(() => void socket.disconnect());
  return socket;
}

describe('while the session loads', () => {
  it('a command sent on connecting, before the snapshot, is answered and applied', async () => {
    const t = await slowSessionServer();
    const w = await setupWorkshop(t.url);
    await t.restart();

    const socket = bareSocket(t.url, w.facilitatorToken);
    // Emitted while disconnected: socket.io-client buffers it and sends it right after the handshake.
    const reply = socket.timeout(LOAD_DELAY_MS + 3_000).emitWithAck('command', { type: 'lock:set', groupId: w.boardA.groupId, locked: true });
    socket.connect();

    expect(await reply).toEqual({ ok: true });
    const again = await connectSocket(t.url, w.facilitatorToken);
    expect(again.snapshot.session.lockedGroups).toEqual([w.boardA.groupId]);
  });

  it('a socket that disconnects before the load finishes is not left online', async () => {
    const t = await slowSessionServer();
    const w = await setupWorkshop(t.url);
    const ana = await joinWorkshop(t.url, w.workshop, w.boardA.groupId, 'Ana');
    await t.restart();

    const socket = bareSocket(t.url, ana.token);
    const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.connect();
    await within(connected, 5_000, 'the handshake');
    socket.disconnect(); // before the snapshot: the session is still loading

    await new Promise((resolve) => setTimeout(resolve, LOAD_DELAY_MS + 100));
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    expect(facilitator.snapshot.presence.map((p) => p.role)).toEqual(['facilitator']);
    const [roster] = await facilitator.next('roster:update');
    expect(roster).toEqual([expect.objectContaining({ name: 'Ana', online: false })]);
  });

  it('a store failure while loading: the command is answered internal, the socket is closed, the process lives on', async () => {
    const t = await slowSessionServer();
    const w = await setupWorkshop(t.url);
    await t.restart();
    t.failing.loads = 1;

    const socket = bareSocket(t.url, w.facilitatorToken);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    const reply = socket.timeout(LOAD_DELAY_MS + 3_000).emitWithAck('command', { type: 'lock:set', groupId: w.boardA.groupId, locked: true });
    socket.connect();

    expect(await reply).toMatchObject({ ok: false, error: 'internal' });
    expect(await within(closed, 5_000, 'the socket to be closed')).toBe('io server disconnect');
    // The failed load is not kept: once the store answers, the workshop is served, unchanged.
    const again = await connectSocket(t.url, w.facilitatorToken);
    expect(again.snapshot.session.lockedGroups).toEqual([]);
    expect(await again.command({ type: 'lock:set', groupId: w.boardA.groupId, locked: true })).toEqual({ ok: true });
  });
});
