// The HTTP API over a real server and SQLite file: creating and joining
// workshops, what each token may read, and one error shape — {error:{code,message}}
// — for every refusal, with nothing stored by a refused request.
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/model.js';
import { createTokenSigner } from '../../server/auth/tokens.js';
import { api, createWorkshop, defaultWorkshop, joinWorkshop, setupWorkshop } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { syncedClient } from '../helpers/yclient.js';
import { barrier } from '../helpers/board.js';

const errorBody = (code: string) => ({ error: { code, message: expect.any(String) } });

function rowCounts(t: TestServer) {
  const count = (table: string) => (t.store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { workshops: count('workshops'), groups: count('groups'), participants: count('participants'), docUpdates: count('doc_updates') };
}

describe('POST /api/workshops', () => {
  it('creates a workshop: 201 with id, join code, facilitator token and the groups; each board is stored', async () => {
    const t = await startServer();
    const res = await api(t.url, 'POST', '/api/workshops', {
      json: { title: '  Taller de Cartagena  ', language: 'en', groups: [{ name: 'Grupo A', question: '¿Qué?' }, { name: 'Grupo B' }] },
    });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      joinCode: expect.stringMatching(new RegExp(`^[A-Z2-9]{${LIMITS.joinCodeLength}}$`)),
      facilitatorToken: expect.any(String),
      groups: [
        { id: expect.any(String), name: 'Grupo A' },
        { id: expect.any(String), name: 'Grupo B' },
      ],
    });
    expect(rowCounts(t)).toEqual({ workshops: 1, groups: 2, participants: 0, docUpdates: 2 });
    const view = await api(t.url, 'GET', `/api/workshops/${res.body.id}`, { token: res.body.facilitatorToken });
    expect(view.body).toMatchObject({ title: 'Taller de Cartagena', language: 'en' }); // trimmed
  });

  it.each([
    ['malformed JSON', { raw: '{"title": "x", ' }],
    ['no body', {}],
    ['a JSON array', { json: [] }],
    ['a missing title', { json: { groups: [{ name: 'A' }] } }],
    ['a blank title', { json: { title: '   ', groups: [{ name: 'A' }] } }],
    ['a title over 200 characters', { json: { title: 'x'.repeat(LIMITS.titleLength + 1), groups: [{ name: 'A' }] } }],
    ['a title with a control character', { json: { title: 'a\u0007b', groups: [{ name: 'A' }] } }],
    ['no groups', { json: { title: 'T', groups: [] } }],
    ['groups missing', { json: { title: 'T' } }],
    ['a group without a name', { json: { title: 'T', groups: [{ question: 'q' }] } }],
    ['a group name over 120 characters', { json: { title: 'T', groups: [{ name: 'x'.repeat(LIMITS.groupNameLength + 1) }] } }],
    ['more than 60 groups', { json: { title: 'T', groups: Array.from({ length: LIMITS.maxGroups + 1 }, (_, i) => ({ name: `G${i}` })) } }],
    ['an unknown language', { json: { title: 'T', language: 'fr', groups: [{ name: 'A' }] } }],
  ])('%s: 400 with the error shape, and nothing stored', async (_name, request) => {
    const t = await startServer();
    const res = await api(t.url, 'POST', '/api/workshops', request);

    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorBody('bad_request'));
    expect(rowCounts(t)).toEqual({ workshops: 0, groups: 0, participants: 0, docUpdates: 0 });
  });

  it('a body over 100 kB: 413 with the error shape, and nothing stored', async () => {
    const t = await startServer();
    const res = await api(t.url, 'POST', '/api/workshops', { json: { title: 'T', groups: [{ name: 'A', question: 'q'.repeat(110_000) }] } });

    expect(res.status).toBe(413);
    expect(res.body).toEqual(errorBody('too_large'));
    expect(rowCounts(t).workshops).toBe(0);
  });

  it('accepts a title of exactly 200 characters', async () => {
    const t = await startServer();
    const res = await api(t.url, 'POST', '/api/workshops', { json: { title: 'x'.repeat(LIMITS.titleLength), groups: [{ name: 'A' }] } });
    expect(res.status).toBe(201);
  });
});

describe('joining', () => {
  it('GET /api/join/:code shows the workshop without secrets, whatever the case and dashes of the code; a wrong code is 404', async () => {
    const t = await startServer();
    const w = await createWorkshop(t.url);
    const typed = `${w.joinCode.slice(0, 3).toLowerCase()}-${w.joinCode.slice(3).toLowerCase()}`;

    const res = await api(t.url, 'GET', `/api/join/${typed}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: w.id, title: defaultWorkshop().title, groups: [{ id: w.groups[0]!.id, name: 'Grupo A' }, { id: w.groups[1]!.id, name: 'Grupo B' }] });
    expect(JSON.stringify(res.body)).not.toContain(w.joinCode);
    expect(JSON.stringify(res.body)).not.toContain(w.facilitatorToken);

    const wrong = await api(t.url, 'GET', '/api/join/ZZZZZZ');
    expect(wrong.status).toBe(404);
    expect(wrong.body).toEqual(errorBody('not_found'));
  });

  it('POST /api/workshops/:id/join: 201 with a participant token that opens and writes its own board', async () => {
    const t = await startServer();
    const w = await createWorkshop(t.url);
    const res = await api(t.url, 'POST', `/api/workshops/${w.id}/join`, { json: { code: w.joinCode.toLowerCase(), name: ' Ana ', groupId: w.groups[0]!.id } });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ participantId: expect.any(String), token: expect.any(String), groupId: w.groups[0]!.id, name: 'Ana' });
    expect(rowCounts(t).participants).toBe(1);
    const board = { workshopId: w.id, groupId: w.groups[0]!.id };
    const participant = await syncedClient(t.wsUrl, board, res.body.token);
    const facilitator = await syncedClient(t.wsUrl, board, w.facilitatorToken);
    await barrier(participant, [facilitator]);
    expect(participant.denied).toEqual([]);
  });

  it.each([
    ['a wrong join code', 403, 'forbidden', (w: Awaited<ReturnType<typeof createWorkshop>>) => ({ path: w.id, body: { code: 'ZZZZZZ', name: 'Ana', groupId: w.groups[0]!.id } })],
    ['an unknown workshop', 404, 'not_found', (w: Awaited<ReturnType<typeof createWorkshop>>) => ({ path: 'nope', body: { code: w.joinCode, name: 'Ana', groupId: w.groups[0]!.id } })],
    ['an unknown group', 400, 'bad_request', (w: Awaited<ReturnType<typeof createWorkshop>>) => ({ path: w.id, body: { code: w.joinCode, name: 'Ana', groupId: 'nogroup' } })],
    ['a display name over 60 characters', 400, 'bad_request', (w: Awaited<ReturnType<typeof createWorkshop>>) => ({ path: w.id, body: { code: w.joinCode, name: 'x'.repeat(LIMITS.displayNameLength + 1), groupId: w.groups[0]!.id } })],
    ['a blank display name', 400, 'bad_request', (w: Awaited<ReturnType<typeof createWorkshop>>) => ({ path: w.id, body: { code: w.joinCode, name: '  ', groupId: w.groups[0]!.id } })],
    ['a group of another workshop', 400, 'bad_request', (w: Awaited<ReturnType<typeof createWorkshop>>, other: Awaited<ReturnType<typeof createWorkshop>>) => ({ path: w.id, body: { code: w.joinCode, name: 'Ana', groupId: other.groups[0]!.id } })],
  ])('%s: %i, and no participant stored', async (_name, status, code, request) => {
    const t = await startServer();
    const w = await createWorkshop(t.url);
    const other = await createWorkshop(t.url);
    const { path, body } = request(w, other);
    const res = await api(t.url, 'POST', `/api/workshops/${path}/join`, { json: body });

    expect(res.status).toBe(status);
    expect(res.body).toEqual(errorBody(code));
    expect(rowCounts(t).participants).toBe(0);
  });

  it('GET /api/me names the participant a join token belongs to', async () => {
    const t = await startServer();
    const w = await createWorkshop(t.url);
    const joined = await joinWorkshop(t.url, w, w.groups[1]!.id, 'Beto');
    const me = await api(t.url, 'GET', '/api/me', { token: joined.token });
    expect(me.body).toEqual({ role: 'participant', workshopId: w.id, groupId: w.groups[1]!.id, participantId: joined.participantId, name: 'Beto' });
  });

  it('accepts a display name of exactly 60 characters', async () => {
    const t = await startServer();
    const w = await createWorkshop(t.url);
    const res = await api(t.url, 'POST', `/api/workshops/${w.id}/join`, { json: { code: w.joinCode, name: 'x'.repeat(LIMITS.displayNameLength), groupId: w.groups[0]!.id } });
    expect(res.status).toBe(201);
  });
});

describe('GET /api/workshops/:id', () => {
  it('the facilitator sees the join code; a participant sees the workshop without it', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const asFacilitator = await api(t.url, 'GET', `/api/workshops/${w.workshop.id}`, { token: w.facilitatorToken });
    const asParticipant = await api(t.url, 'GET', `/api/workshops/${w.workshop.id}`, { token: await w.participant('A') });

    expect(asFacilitator.status).toBe(200);
    expect(asFacilitator.body).toMatchObject({ id: w.workshop.id, title: defaultWorkshop().title, joinCode: w.workshop.joinCode });
    expect(asParticipant.status).toBe(200);
    expect(asParticipant.body).toMatchObject({ id: w.workshop.id, groups: [{ id: w.boardA.groupId }, { id: w.boardB.groupId }] });
    expect(asParticipant.body).not.toHaveProperty('joinCode');
    expect(JSON.stringify(asParticipant.body)).not.toContain(w.workshop.joinCode);
  });

  it("another workshop's token is 403; no token, a garbage token or a token of another secret is 401", async () => {
    const t = await startServer();
    const w = await createWorkshop(t.url);
    const other = await createWorkshop(t.url);
    const path = `/api/workshops/${w.id}`;

    const forbidden = await api(t.url, 'GET', path, { token: other.facilitatorToken });
    expect([forbidden.status, forbidden.body]).toEqual([403, errorBody('forbidden')]);
    const otherSecret = await createTokenSigner('another-secret').sign({ workshopId: w.id, role: 'facilitator' });
    for (const token of [undefined, 'garbage', otherSecret]) {
      const res = await api(t.url, 'GET', path, token === undefined ? {} : { token });
      expect({ token, status: res.status, body: res.body }).toEqual({ token, status: 401, body: errorBody('unauthorized') });
    }
  });
});

describe('everything else', () => {
  it('an unknown /api route is a JSON 404', async () => {
    const t = await startServer();
    for (const [method, path] of [['GET', '/api/nope'], ['POST', '/api/workshops/x/nope'], ['DELETE', '/api/workshops']] as const) {
      const res = await api(t.url, method, path);
      expect({ method, path, status: res.status, body: res.body }).toEqual({ method, path, status: 404, body: errorBody('not_found') });
    }
  });

  it('a malformed percent-encoding in a path is a JSON 400, not a 500', async () => {
    const t = await startServer();
    const res = await api(t.url, 'GET', '/api/join/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorBody('bad_request'));
    expect(t.log.at('error')).toEqual([]);
  });

  it('GET /healthz answers 200 {ok: true} while listening', async () => {
    const t = await startServer();
    const res = await api(t.url, 'GET', '/healthz');
    expect([res.status, res.body]).toEqual([200, { ok: true }]);
  });
});

describe('the routes that need no token', () => {
  it('are limited per address: past the limit a 429 with a message, and nothing stored', async () => {
    const t = await startServer({ limits: { creationsPerMinute: 3 } });
    const body = { json: { title: 'Taller', groups: [{ name: 'G' }] } };
    for (let i = 0; i < 3; i++) expect((await api(t.url, 'POST', '/api/workshops', body)).status).toBe(201);
    const refused = await api(t.url, 'POST', '/api/workshops', body);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited' });
    expect((t.store.db.prepare('SELECT COUNT(*) AS n FROM workshops').get() as { n: number }).n).toBe(3);
    // Routes behind a token are not counted against it.
    expect((await api(t.url, 'GET', '/healthz')).status).toBe(200);
  });

  it('joining has its own, higher limit: a room behind one address joins while creating is refused', async () => {
    const t = await startServer({ limits: { creationsPerMinute: 1, joinsPerMinute: 8 } });
    const created = await api(t.url, 'POST', '/api/workshops', { json: { title: 'Taller', groups: [{ name: 'G' }] } });
    expect(created.status).toBe(201);
    expect((await api(t.url, 'POST', '/api/workshops', { json: { title: 'Otro', groups: [{ name: 'G' }] } })).status).toBe(429);
    const { id, joinCode, groups } = created.body as { id: string; joinCode: string; groups: Array<{ id: string }> };
    // Four people look the code up and join (two requests each): all within the join limit.
    for (let i = 0; i < 4; i++) {
      expect((await api(t.url, 'GET', `/api/join/${joinCode}`)).status).toBe(200);
      expect((await api(t.url, 'POST', `/api/workshops/${id}/join`, { json: { code: joinCode, name: `P${i}`, groupId: groups[0]!.id } })).status).toBe(201);
    }
    // Past it, lookups too are refused, so join codes cannot be guessed at speed.
    const refused = await api(t.url, 'GET', '/api/join/ZZZZZZ');
    expect([refused.status, refused.body.error?.code]).toEqual([429, 'rate_limited']);
    expect((t.store.db.prepare('SELECT COUNT(*) AS n FROM participants').get() as { n: number }).n).toBe(4);
  });
});
