// Who may open a board socket: bad tokens end with 4401 before a single sync
// message, another workshop's token with 4403, a board that does not exist with
// 4404; browsers of a foreign origin are refused at the upgrade itself.
import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { CloseCode } from '../../shared/close-codes.js';
import { createTokenSigner } from '../../server/auth/tokens.js';
import { createWorkshop, setupWorkshop } from '../helpers/api.js';
import { boardUrl, kindOf, openRaw, type RawClient } from '../helpers/raw-ws.js';
import { startServer, TEST_SECRET } from '../helpers/server.js';
import { within } from '../helpers/wait.js';

async function closedWith(client: RawClient) {
  const closed = await within(client.closed, 5_000, 'the socket to close');
  return { code: closed.code, opened: await client.opened.then(() => true, () => false), messages: client.messages.map(kindOf) };
}

describe('board socket authentication', () => {
  it.each([
    ['no token', () => undefined],
    ['an empty token', () => ''],
    ['a garbage token', () => 'not.a.jwt'],
    ['a token signed with another secret', (workshopId: string) => createTokenSigner('another-secret').sign({ workshopId, role: 'facilitator' })],
    ['an expired token', (workshopId: string) =>
      new SignJWT({ wid: workshopId, role: 'facilitator' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('relatoria')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(new TextEncoder().encode(TEST_SECRET))],
    ['a token of a participant that does not exist', (workshopId: string) =>
      createTokenSigner(TEST_SECRET).sign({ workshopId, role: 'participant', participantId: 'nobody' })],
  ])('%s: closed with 4401 after the upgrade, before any sync message', async (_name, makeToken) => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const token = await makeToken(w.workshop.id);
    const client = openRaw(boardUrl(t.wsUrl, w.boardA, token));

    expect(await closedWith(client)).toEqual({ code: CloseCode.Unauthorized, opened: true, messages: [] });
    expect(t.server.registry.loadedCount).toBe(0);
  });

  it.each([
    ['facilitator', async (baseUrl: string) => (await createWorkshop(baseUrl)).facilitatorToken],
    ['participant', async (baseUrl: string) => (await setupWorkshop(baseUrl)).participant('A')],
  ])("a valid %s token of another workshop: closed with 4403 before any sync message", async (_role, otherToken) => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const client = openRaw(boardUrl(t.wsUrl, w.boardA, await otherToken(t.url)));

    expect(await closedWith(client)).toEqual({ code: CloseCode.Forbidden, opened: true, messages: [] });
    expect(t.server.registry.loadedCount).toBe(0);
  });

  it("another workshop's token cannot probe group ids: an unknown group there is 4403 too, like a real one", async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const outsider = (await createWorkshop(t.url)).facilitatorToken;
    const real = openRaw(boardUrl(t.wsUrl, w.boardA, outsider));
    const madeUp = openRaw(boardUrl(t.wsUrl, { workshopId: w.workshop.id, groupId: 'nogroup' }, outsider));
    expect(await closedWith(real)).toEqual({ code: CloseCode.Forbidden, opened: true, messages: [] });
    expect(await closedWith(madeUp)).toEqual({ code: CloseCode.Forbidden, opened: true, messages: [] });
  });

  it.each([
    ['an unknown group', (workshopId: string) => `/yjs/${workshopId}/nogroup`],
    ['a path without a group', (workshopId: string) => `/yjs/${workshopId}`],
    ['a path with a third part', (workshopId: string, groupId: string) => `/yjs/${workshopId}/${groupId}/x`],
  ])('%s: closed with 4404 before any sync message', async (_name, path) => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const client = openRaw(`${t.wsUrl}${path(w.workshop.id, w.boardA.groupId)}?token=${w.facilitatorToken}`);

    expect(await closedWith(client)).toEqual({ code: CloseCode.NotFound, opened: true, messages: [] });
    expect(t.server.registry.loadedCount).toBe(0);
  });

  it('a valid token opens the board: the server starts the sync handshake', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const client = openRaw(boardUrl(t.wsUrl, w.boardA, await w.participant('A')));
    await within(client.opened, 5_000, 'the socket to open');
    await expect.poll(() => client.messages.map(kindOf)).toContain('sync/step1');
  });
});

describe('board socket origin check', () => {
  it('refuses an upgrade from a foreign Origin with HTTP 403: no WebSocket is opened', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const client = openRaw(boardUrl(t.wsUrl, w.boardA, w.facilitatorToken), { origin: 'https://evil.example' });

    await within(client.closed, 5_000, 'the refused socket to close');
    expect(client.refusedStatus).toBe(403);
    expect(await client.opened.then(() => true, () => false)).toBe(false);
    expect(client.messages).toEqual([]);
  });

  it("refuses the Origin 'null' (sandboxed pages, file: URLs)", async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const client = openRaw(boardUrl(t.wsUrl, w.boardA, w.facilitatorToken), { origin: 'null' });

    await within(client.closed, 5_000, 'the refused socket to close');
    expect(client.refusedStatus).toBe(403);
  });

  it.each([
    ['its own origin', (url: string) => url],
    ['an origin configured as allowed', () => 'https://relatoria.example'],
  ])('accepts an upgrade from %s', async (_name, origin) => {
    const t = await startServer({ allowedOrigins: ['https://relatoria.example'] });
    const w = await setupWorkshop(t.url);
    const client = openRaw(boardUrl(t.wsUrl, w.boardA, w.facilitatorToken), { origin: origin(t.url) });

    await within(client.opened, 5_000, 'the socket to open');
    await expect.poll(() => client.messages.map(kindOf)).toContain('sync/step1');
    expect(client.refusedStatus).toBe(null);
  });
});
