// Export and import through a real server on port 0 with a temp SQLite file.
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { extractText, getDocumentProxy } from 'unpdf';
import { addCard, readBoardContent } from '../../shared/board.js';
import { boardDocName } from '../../shared/doc-name.js';
import type { CreateWorkshopResponse } from '../../shared/model.js';
import { api, createWorkshop, joinWorkshop } from '../helpers/api.js';
import { storedBoard } from '../helpers/board.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { syncedClient } from '../helpers/yclient.js';
import { fixture } from '../support/export-fixtures.js';

const TITLE = 'Taller de Innovación: Ñandú 2025';
const GROUPS = [{ name: 'Grupo B: Cambio Sistémico' }, { name: 'Grupo D: Escalamiento' }];

interface Download {
  status: number;
  type: string;
  disposition: string;
  bytes: Buffer;
  text: string;
}

async function request(srv: TestServer, method: string, path: string, opts: { token?: string; body?: string | Uint8Array; type?: string } = {}): Promise<Download> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.type) headers['content-type'] = opts.type;
  const body = opts.body === undefined || typeof opts.body === 'string' ? opts.body : new Uint8Array(opts.body);
  const res = await fetch(srv.url + path, { method, headers, body, signal: AbortSignal.timeout(20_000) });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', bytes, text: bytes.toString('utf8') };
}

const exportOf = (srv: TestServer, w: { id: string }, token: string, query: string) => request(srv, 'GET', `/api/workshops/${w.id}/export?${query}`, { token });
const importInto = (srv: TestServer, w: CreateWorkshopResponse, groupIndex: number, body: string | Uint8Array, opts: { token?: string; type?: string; mode?: string } = {}) =>
  request(srv, 'POST', `/api/workshops/${w.id}/groups/${w.groups[groupIndex]?.id}/import${opts.mode ? `?mode=${opts.mode}` : ''}`, {
    token: opts.token ?? w.facilitatorToken,
    body,
    type: opts.type ?? 'text/markdown; charset=utf-8',
  });

async function fixturesWorkshop(srv: TestServer): Promise<CreateWorkshopResponse> {
  const w = await createWorkshop(srv.url, { title: TITLE, groups: GROUPS });
  expect((await importInto(srv, w, 0, fixture('grupo-b-cambio-sistemico.md'))).status).toBe(200);
  expect((await importInto(srv, w, 1, fixture('grupo-d-escalamiento.md'))).status).toBe(200);
  return w;
}

async function organizerToken(srv: TestServer, w: CreateWorkshopResponse): Promise<string> {
  const res = await api<{ token: string; role: string }>(srv.url, 'POST', `/api/workshops/${w.id}/organizer-link`, { token: w.facilitatorToken });
  expect(res.status).toBe(201);
  expect(res.body.role).toBe('organizer');
  return res.body.token;
}

const pdfText = async (bytes: Buffer) => (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text.replace(/\s+/g, ' ');
const docxXml = async (bytes: Buffer) => (await (await JSZip.loadAsync(bytes)).file('word/document.xml')?.async('string')) ?? '';

describe('GET /api/workshops/:id/export', () => {
  it('carries the place given at creation into the workshop view and every document', async () => {
    const srv = await startServer();
    const w = await createWorkshop(srv.url, { title: TITLE, place: 'Cartagena de Indias', groups: GROUPS });
    expect((await api(srv.url, 'GET', `/api/join/${w.joinCode}`)).body.place).toBe('Cartagena de Indias');
    const md = await request(srv, 'GET', `/api/workshops/${w.id}/export?format=md`, { token: w.facilitatorToken });
    expect(md.text).toMatch(/^place: Cartagena de Indias$/m);
    expect(md.text).toMatch(/· Cartagena de Indias/);
    const html = await request(srv, 'GET', `/api/workshops/${w.id}/export?format=html`, { token: w.facilitatorToken });
    expect(html.text).toContain('Cartagena de Indias');
  });

  it('lets the facilitator and an organizer export, and no one else', async () => {
    const srv = await startServer();
    const w = await createWorkshop(srv.url, { title: TITLE, groups: GROUPS });
    const other = await createWorkshop(srv.url, { title: 'Otro taller', groups: [{ name: 'X' }] });
    const participant = (await joinWorkshop(srv.url, w, w.groups[0]?.id ?? '', 'Ana')).token;
    const organizer = await organizerToken(srv, w);
    expect((await exportOf(srv, w, w.facilitatorToken, 'format=md')).status).toBe(200);
    expect((await exportOf(srv, w, organizer, 'format=md')).status).toBe(200);
    expect((await exportOf(srv, w, participant, 'format=md')).status).toBe(403);
    expect((await exportOf(srv, w, '', 'format=md')).status).toBe(401);
    expect((await exportOf(srv, w, 'not-a-token', 'format=md')).status).toBe(401);
    expect((await exportOf(srv, w, other.facilitatorToken, 'format=md')).status).toBe(403);
    // Only the facilitator hands out organizer links; an organizer token only exports.
    expect((await request(srv, 'POST', `/api/workshops/${w.id}/organizer-link`, { token: participant })).status).toBe(403);
    expect((await request(srv, 'POST', `/api/workshops/${w.id}/organizer-link`, { token: organizer })).status).toBe(403);
    expect((await importInto(srv, w, 0, '# x', { token: organizer })).status).toBe(403);
  });

  it('serves every format with its type and a download name that keeps the accents', async () => {
    const srv = await startServer();
    const w = await fixturesWorkshop(srv);
    const date = new Date().toISOString().slice(0, 10);
    const name = (ext: string) => `Taller de Innovación: Ñandú 2025 ${date}.${ext}`.replace(':', ' ').replace(/\s+/g, ' ');
    const expected: Record<string, string> = {
      md: 'text/markdown; charset=utf-8',
      html: 'text/html; charset=utf-8',
      docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      pdf: 'application/pdf',
      json: 'application/json; charset=utf-8',
    };
    for (const [format, type] of Object.entries(expected)) {
      const res = await exportOf(srv, w, w.facilitatorToken, `format=${format}`);
      expect(res.status, format).toBe(200);
      expect(res.type).toBe(type);
      expect(res.disposition).toBe(
        `attachment; filename="${name(format).normalize('NFD').replace(/\p{M}/gu, '')}"; filename*=UTF-8''${encodeURIComponent(name(format))}`,
      );
    }
    expect(decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec((await exportOf(srv, w, w.facilitatorToken, 'format=md')).disposition)?.[1] ?? '')).toBe(name('md'));
    const md = (await exportOf(srv, w, w.facilitatorToken, 'format=md')).text;
    expect(md).toContain('- **Marco regulatorio adecuado[^1] y contexto favorable**');
    expect(md).toContain('[^2]: En determinados contextos');
    expect(await docxXml((await exportOf(srv, w, w.facilitatorToken, 'format=docx')).bytes)).toContain('<w:footnoteReference w:id="2"/>');
    const pdf = await exportOf(srv, w, w.facilitatorToken, 'format=pdf');
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await pdfText(pdf.bytes)).toContain('diseño e implementación de la estrategia de intervención');
    expect((await exportOf(srv, w, w.facilitatorToken, 'format=html')).text).toContain('<h2>Grupo D: Escalamiento</h2>');
  });

  it('exports a subset of groups, and refuses unknown formats and groups', async () => {
    const srv = await startServer();
    const w = await fixturesWorkshop(srv);
    const only = await exportOf(srv, w, w.facilitatorToken, `format=md&groups=${w.groups[1]?.id}`);
    expect(only.status).toBe(200);
    expect(only.text).toContain('## Grupo D: Escalamiento');
    expect(only.text).not.toContain('Grupo B');
    const bad = await exportOf(srv, w, w.facilitatorToken, 'format=odt');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.message).toMatch(/format/);
    expect((await exportOf(srv, w, w.facilitatorToken, 'format=md&groups=nope')).status).toBe(400);
  });
});

describe('POST /api/workshops/:id/groups/:groupId/import', () => {
  it('writes the document to the live board: connected clients get it, the store keeps it, the export reads as the fixture', async () => {
    const srv = await startServer();
    const w = await createWorkshop(srv.url, { title: TITLE, groups: GROUPS });
    const participant = (await joinWorkshop(srv.url, w, w.groups[1]?.id ?? '', 'Íñigo')).token;
    const board = { workshopId: w.id, groupId: w.groups[1]?.id ?? '' };
    const client = await syncedClient(srv.wsUrl, board, participant);
    const res = await importInto(srv, w, 1, fixture('grupo-d-escalamiento.md'));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ title: 'Grupo D: Escalamiento', mode: 'append', sections: [''] });
    await waitFor(() => readBoardContent(client.doc).sections.some((s) => JSON.stringify(s.body).includes('Ciertas normas')), 5_000, 'the import to reach the client');
    // The untouched default section was replaced, not kept above the document.
    expect(readBoardContent(client.doc).sections).toHaveLength(1);
    const stored = readBoardContent(await storedBoard(srv.store, board));
    expect(stored.sections).toEqual(readBoardContent(client.doc).sections.map((s) => ({ ...s })));
    const md = (await exportOf(srv, w, w.facilitatorToken, `format=md&groups=${board.groupId}`)).text;
    expect(md).toContain('\n## Grupo D: Escalamiento\n\nLos proyectos analizados son aún bastante recientes');
    expect(md).toContain('\n- **Claridad en la lógica de escalamiento desde el diseño** y permanente reflexión');
    expect(md).toContain('\n  - adoptar una innovación, un modelo de negocio\n');
    expect(md).toContain('\n[^1]: Ciertas normas pueden impedir el escalamiento.\n');
  });

  it('appends by default and replaces on request', async () => {
    const srv = await startServer();
    const w = await createWorkshop(srv.url, { title: TITLE, groups: GROUPS });
    const board = srv.server.registry;
    const name = boardDocName({ workshopId: w.id, groupId: w.groups[0]?.id ?? '' });
    await importInto(srv, w, 0, '### Uno\n\ntexto uno');
    await importInto(srv, w, 0, '### Dos\n\ntexto dos');
    expect((await (await board.open(name)).read(readBoardContent)).sections.map((s) => s.heading)).toEqual(['Uno', 'Dos']);
    await importInto(srv, w, 0, '### Tres\n\ntexto tres', { mode: 'replace' });
    expect((await (await board.open(name)).read(readBoardContent)).sections.map((s) => s.heading)).toEqual(['Tres']);

    // Every import keeps what the board held before as a version: a replace can be undone.
    const versions = await api<Array<{ id: string; kind: string; label: string }>>(srv.url, 'GET', `/api/workshops/${w.id}/groups/${w.groups[0]?.id}/versions`, { token: w.facilitatorToken });
    expect(versions.body.filter((v) => v.kind === 'before-import').map((v) => v.label)).toEqual(['replace', 'append', 'append']);
    const beforeReplace = versions.body.find((v) => v.label === 'replace')!;
    const restored = await api(srv.url, 'POST', `/api/workshops/${w.id}/groups/${w.groups[0]?.id}/versions/${beforeReplace.id}/restore`, { token: w.facilitatorToken });
    expect(restored.status).toBe(200);
    expect((await (await board.open(name)).read(readBoardContent)).sections.map((s) => s.heading)).toEqual(['Uno', 'Dos']);
  });

  it('refuses bad input with a 4xx and a message, and changes nothing', async () => {
    const srv = await startServer();
    const w = await createWorkshop(srv.url, { title: TITLE, groups: GROUPS });
    const participant = (await joinWorkshop(srv.url, w, w.groups[0]?.id ?? '', 'Ana')).token;
    const ref = { workshopId: w.id, groupId: w.groups[0]?.id ?? '' };
    const before = readBoardContent(await storedBoard(srv.store, ref));
    const cases: Array<[string, Promise<Download>, number]> = [
      ['participant', importInto(srv, w, 0, '# x', { token: participant }), 403],
      ['no token', request(srv, 'POST', `/api/workshops/${w.id}/groups/${ref.groupId}/import`, { body: '# x', type: 'text/markdown' }), 401],
      ['not Markdown', importInto(srv, w, 0, '{"a":1}', { type: 'application/json' }), 415],
      ['another charset', importInto(srv, w, 0, '# x', { type: 'text/markdown; charset=latin1' }), 415],
      ['not UTF-8', importInto(srv, w, 0, new Uint8Array([0x23, 0x20, 0x43, 0xe1, 0x6d, 0x61, 0x72, 0x61]), {}), 400],
      ['binary', importInto(srv, w, 0, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), {}), 400],
      ['empty', importInto(srv, w, 0, '', {}), 400],
      ['blank', importInto(srv, w, 0, ' \n\n\t\n', {}), 400],
      ['too large', importInto(srv, w, 0, `# x\n\n${'palabra '.repeat(200_000)}`, {}), 413],
      ['bad mode', importInto(srv, w, 0, '# x', { mode: 'merge' }), 400],
      ['no such group', request(srv, 'POST', `/api/workshops/${w.id}/groups/nope/import`, { token: w.facilitatorToken, body: '# x', type: 'text/markdown' }), 404],
    ];
    for (const [what, pending, status] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(status);
      expect(typeof JSON.parse(res.text).error.message, what).toBe('string');
    }
    expect(readBoardContent(await storedBoard(srv.store, ref))).toEqual(before);
  });
});

describe('JSON archive: POST /api/workshops/import', () => {
  it('makes a new workshop that exports exactly the same documents', async () => {
    const srv = await startServer();
    const w = await fixturesWorkshop(srv);
    const facilitator = { role: 'facilitator' as const, workshopId: w.id, groupId: null, participantId: null, name: '' };
    await srv.server.writer.change(facilitator, { workshopId: w.id, groupId: w.groups[0]?.id ?? '' }, (doc) => {
      addCard(doc, { text: 'Fortalecer espacios existentes', author: 'Ana', color: 'green' });
      addCard(doc, { text: '¿Liderazgo local?', author: 'Íñigo' });
    });
    const archive = await exportOf(srv, w, w.facilitatorToken, 'format=json');
    expect(JSON.parse(archive.text)).toMatchObject({ format: 'relatoria-archive', version: 1, agenda: expect.any(Array) });
    const res = await request(srv, 'POST', '/api/workshops/import', { body: archive.bytes, type: 'application/json' });
    expect(res.status).toBe(201);
    const copy = JSON.parse(res.text) as CreateWorkshopResponse;
    expect(copy.id).not.toBe(w.id);
    expect(copy.groups.map((g) => g.name)).toEqual(GROUPS.map((g) => g.name));
    expect(copy.groups.map((g) => g.id)).not.toEqual(w.groups.map((g) => g.id));

    for (const format of ['md', 'html']) {
      expect((await exportOf(srv, copy, copy.facilitatorToken, `format=${format}`)).text, format).toBe((await exportOf(srv, w, w.facilitatorToken, `format=${format}`)).text);
    }
    expect(await docxXml((await exportOf(srv, copy, copy.facilitatorToken, 'format=docx')).bytes)).toBe(await docxXml((await exportOf(srv, w, w.facilitatorToken, 'format=docx')).bytes));
    expect(await pdfText((await exportOf(srv, copy, copy.facilitatorToken, 'format=pdf')).bytes)).toBe(await pdfText((await exportOf(srv, w, w.facilitatorToken, 'format=pdf')).bytes));
    const stripIds = (text: string) => JSON.parse(text.replace(/"(id|groupId)": "[^"]*"/g, '"$1": "…"'));
    expect(stripIds((await exportOf(srv, copy, copy.facilitatorToken, 'format=json')).text)).toEqual(stripIds(archive.text));
  });

  it('refuses truncated, foreign-version and forged archives with a 400 and creates nothing', async () => {
    const srv = await startServer();
    const w = await fixturesWorkshop(srv);
    const good = (await exportOf(srv, w, w.facilitatorToken, 'format=json')).text;
    const count = () => (srv.store.db.prepare('SELECT COUNT(*) AS n FROM workshops').get() as { n: number }).n;
    const before = count();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test breaks an archive's fields at will
    type Archive = Record<string, any>;
    const edit = (change: (a: Archive) => void) => {
      const a = JSON.parse(good) as Archive;
      change(a);
      return JSON.stringify(a);
    };
    let deep: unknown = { type: 'paragraph', content: [] };
    for (let i = 0; i < 200; i++) deep = { type: 'quote', content: [deep] };
    const cases: Array<[string, string, RegExp]> = [
      ['truncated', good.slice(0, good.length / 2), /not valid JSON/],
      ['not an object', '[1,2,3]', /JSON object/],
      ['another format', edit((a) => (a.format = 'other-app')), /Not a Relatoría archive/],
      ['a later version', edit((a) => (a.version = 2)), /version 2 is not supported/],
      ['an unknown field', edit((a) => (a.workshop.admin = true)), /workshop/],
      ['a __proto__ key', good.replace('"workshop": {', '"workshop": { "__proto__": { "polluted": true },'), /workshop/],
      ['a wrong type', edit((a) => (a.groups[0].board.sections[0].heading = 42)), /groups\.0\.board\.sections\.0\.heading/],
      ['a heading level 9', edit((a) => (a.groups[0].board.sections[0].body = [{ type: 'heading', level: 9, content: [] }])), /level/],
      ['a control character', edit((a) => (a.workshop.title = 'Taller\u0007')), /control characters/],
      ['a card colour that does not exist', edit((a) => (a.groups[0].board.cards = [{ id: 'c', text: 'x', author: 'y', color: 'black', createdAt: 1 }])), /color/],
      ['a date that is not the day', edit((a) => (a.workshop.date = '1999-01-01')), /date/],
      ['nesting too deep', edit((a) => (a.groups[0].board.sections[0].body = [deep])), /deeper/],
      ['no groups', edit((a) => (a.groups = [])), /groups/],
    ];
    for (const [what, body, message] of cases) {
      const res = await request(srv, 'POST', '/api/workshops/import', { body, type: 'application/json' });
      expect(res.status, what).toBe(400);
      expect(JSON.parse(res.text).error.message, what).toMatch(message);
    }
    expect((await request(srv, 'POST', '/api/workshops/import', { body: good, type: 'text/plain' })).status).toBe(415);
    expect((await request(srv, 'POST', '/api/workshops/import', { body: ' '.repeat(11 * 1024 * 1024), type: 'application/json' })).status).toBe(413);
    expect(count()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
