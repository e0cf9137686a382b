// The facilitation protocol's version, through real socket.io-client sockets: the handshake
// carries it; a server refuses a client too old to work, with `outdated_client` and what it
// speaks; a client a little older whose command the server cannot read is told to reload
// instead of getting `bad_request`. A newer server is played by giving it a higher version.
import { describe, expect, it } from 'vitest';
import { ErrorCode, MIN_CLIENT_PROTOCOL, PROTOCOL_VERSION } from '../../shared/protocol.js';
import { setupWorkshop } from '../helpers/api.js';
import { connectSocket, handshakeRefusal, rawCommand } from '../helpers/facilitation.js';
import { startServer } from '../helpers/server.js';

describe('the handshake carries a protocol version', () => {
  it('a server accepts clients of its version; clients from before versioning (which send none) speak 1, below the minimum', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const current = await connectSocket(t.url, w.facilitatorToken);
    expect(current.snapshot.workshopId).toBe(w.workshop.id);
    // Protocol 3's `vote:ranking` is an object that pages of 1 and 2 cannot read; protocol 4's
    // live ranking rides with the progress, where a page of 3 would not look for it.
    expect(MIN_CLIENT_PROTOCOL).toBeGreaterThan(3);
    expect((await handshakeRefusal(t.url, w.facilitatorToken, { protocol: null })).data).toEqual({ code: ErrorCode.OutdatedClient, server: PROTOCOL_VERSION, minimum: MIN_CLIENT_PROTOCOL });
    expect((await handshakeRefusal(t.url, w.facilitatorToken, { protocol: 2 })).message).toBe(ErrorCode.OutdatedClient);
    expect((await handshakeRefusal(t.url, w.facilitatorToken, { protocol: 3 })).message).toBe(ErrorCode.OutdatedClient);
  });

  it('a version it cannot read is refused as outdated', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const refusal = await handshakeRefusal(t.url, w.facilitatorToken, { protocol: -3 });
    expect(refusal.message).toBe(ErrorCode.OutdatedClient);
  });

  it('a server whose minimum is above the client refuses it with outdated_client and the versions, before looking at the token', async () => {
    const t = await startServer({ protocol: { current: PROTOCOL_VERSION + 1, minimum: PROTOCOL_VERSION + 1 } });
    const w = await setupWorkshop(t.url);
    const refusal = await handshakeRefusal(t.url, w.facilitatorToken);
    expect(refusal).toEqual({
      message: ErrorCode.OutdatedClient,
      data: { code: ErrorCode.OutdatedClient, server: PROTOCOL_VERSION + 1, minimum: PROTOCOL_VERSION + 1 },
      retries: false,
    });
    expect((await handshakeRefusal(t.url, undefined)).message).toBe(ErrorCode.OutdatedClient);
    expect((await handshakeRefusal(t.url, w.facilitatorToken, { protocol: null })).message).toBe(ErrorCode.OutdatedClient);
    // A client of the server's version gets in.
    const fresh = await connectSocket(t.url, w.facilitatorToken, { protocol: PROTOCOL_VERSION + 1 });
    expect(fresh.snapshot.workshopId).toBe(w.workshop.id);
  });
});

describe('an older client the server still accepts', () => {
  it('is told to reload when the server cannot read its command, and gets the ordinary refusal otherwise', async () => {
    const t = await startServer({ protocol: { current: PROTOCOL_VERSION + 1, minimum: PROTOCOL_VERSION } });
    const w = await setupWorkshop(t.url);
    const older = await connectSocket(t.url, w.facilitatorToken);

    // A command shape the (newer) server does not know: after a deploy, reloading fixes it.
    const unknown = await rawCommand(older.socket, { type: 'timer:set', seconds: 60 });
    expect(unknown).toEqual({ ok: false, error: ErrorCode.OutdatedClient, message: expect.stringMatching(/reload/) });
    const changed = await rawCommand(older.socket, { type: 'lock:set', groupId: w.boardA.groupId, locked: 'yes' });
    expect(changed).toMatchObject({ ok: false, error: ErrorCode.OutdatedClient });

    // A well-formed command that a rule refuses is not about versions.
    expect(await older.command({ type: 'timer:pause' })).toMatchObject({ ok: false, error: ErrorCode.BadRequest, message: 'the timer is not running' });
    expect(await older.command({ type: 'lock:set', groupId: w.boardA.groupId, locked: true })).toEqual({ ok: true });

    // A client as new as the server sending the same bad shape made a bad request.
    const current = await connectSocket(t.url, w.facilitatorToken, { protocol: PROTOCOL_VERSION + 1 });
    expect(await rawCommand(current.socket, { type: 'timer:set', seconds: 60 })).toMatchObject({ ok: false, error: ErrorCode.BadRequest });
  });
});
