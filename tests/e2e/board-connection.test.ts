// The client's board connection (client/lib/board) against a real server, without a
// browser: it must hear the server refuse a write, and stop on a 44xx close.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { addCard, listCards } from '../../shared/board.js';
import { CloseCode, DENIED_READ_ONLY } from '../../shared/close-codes.js';
import type { JoinResponse } from '../../shared/model.js';
import { BoardConnection, type BoardConnectionListener } from '../../client/lib/board/board-connection.js';
import { createWorkshop, startE2eServer, type E2eServer, type Workshop } from './browser-harness.js';

const WS = NodeWebSocket as unknown as typeof WebSocket;

interface Heard {
  denied: string[];
  closed: Array<{ code: number; reason: string }>;
  synced: Promise<void>;
}

function connect(server: E2eServer, room: string, token: string): { conn: BoardConnection; heard: Heard } {
  let onSynced = () => {};
  const heard: Heard = { denied: [], closed: [], synced: new Promise((resolve) => (onSynced = resolve)) };
  let conn: BoardConnection | null = null;
  const listener: BoardConnectionListener = {
    changed: () => conn?.synced && onSynced(),
    denied: (reason) => heard.denied.push(reason),
    dropped: () => {},
    closed: (code, reason) => heard.closed.push({ code, reason }),
  };
  conn = new BoardConnection({ serverUrl: `${server.url.replace('http', 'ws')}/yjs`, room, token, localCopy: null, WebSocketPolyfill: WS }, listener);
  return { conn, heard };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the client board connection against a real server', () => {
  let server: E2eServer;
  let workshop: Workshop;
  let participant: JoinResponse;
  const open: BoardConnection[] = [];

  beforeAll(async () => {
    server = await startE2eServer({ requireClient: false });
    workshop = await createWorkshop(server.url, [{ name: 'Grupo A', question: '' }, { name: 'Grupo B', question: '' }]);
    const res = await fetch(`${server.url}/api/workshops/${workshop.id}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: workshop.joinCode, name: 'Ana', groupId: workshop.groups[0]!.id }),
    });
    participant = (await res.json()) as JoinResponse;
  });

  afterAll(async () => {
    for (const conn of open) await conn.shutdown({ clearLocal: false });
    await server?.close();
  });

  it('syncs its own group’s board and writes to it', async () => {
    const { conn, heard } = connect(server, `${workshop.id}/${workshop.groups[0]!.id}`, participant.token);
    open.push(conn);
    await heard.synced;
    addCard(conn.doc, { text: 'Una idea con ñ', author: 'Ana' });
    const other = connect(server, `${workshop.id}/${workshop.groups[0]!.id}`, workshop.facilitatorToken);
    open.push(other.conn);
    await other.heard.synced;
    await until(() => listCards(other.conn.doc).some((c) => c.text === 'Una idea con ñ'));
    expect(heard.denied).toEqual([]);
  });

  it('hears the server refuse a write to another group’s board', async () => {
    const { conn, heard } = connect(server, `${workshop.id}/${workshop.groups[1]!.id}`, participant.token);
    open.push(conn);
    await heard.synced;
    expect(heard.denied).toEqual([]);
    addCard(conn.doc, { text: 'No debería guardarse', author: 'Ana' });
    await until(() => heard.denied.length > 0);
    expect(heard.denied[0]).toBe(DENIED_READ_ONLY);
  });

  it('is seen again by the others at once after a reconnect the server saw close', async () => {
    const room = `${workshop.id}/${workshop.groups[0]!.id}`;
    const ana = connect(server, room, participant.token);
    const other = connect(server, room, workshop.facilitatorToken);
    open.push(ana.conn, other.conn);
    await Promise.all([ana.heard.synced, other.heard.synced]);
    ana.conn.awareness.setLocalStateField('user', { name: 'Ana' });
    const seen = () => other.conn.awareness.getStates().get(ana.conn.doc.clientID)?.user?.name === 'Ana';
    await until(seen);
    ana.conn.provider.disconnect();
    // The server drops her presence once it handled her close: quick alone, seconds when the
    // whole suite (browsers included) shares two cores.
    await until(() => !other.conn.awareness.getStates().has(ana.conn.doc.clientID), 15_000);
    ana.conn.reconnect();
    // The stock provider repeats its state's clock, which the server ignores; its next heartbeat is 15 s away.
    await until(seen, 3_000);
  });

  it.each([
    ['a bad token', (w: Workshop) => `${w.id}/${w.groups[0]!.id}`, () => 'not-a-token', CloseCode.Unauthorized],
    ['a board that does not exist', (w: Workshop) => `${w.id}/nope`, (w: Workshop) => w.facilitatorToken, CloseCode.NotFound],
  ])('stops for good on %s', async (_name, room, token, code) => {
    const { conn, heard } = connect(server, room(workshop), token(workshop));
    open.push(conn);
    await until(() => heard.closed.length > 0);
    expect(heard.closed[0]?.code).toBe(code);
    await new Promise((r) => setTimeout(r, 400));
    expect(conn.provider.shouldConnect).toBe(false);
    expect(heard.closed).toHaveLength(1);
  });
});
