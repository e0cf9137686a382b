// Issue 10 through a real server: import answers say what was repaired (?repair=off keeps
// the text), the board keeps the document's front matter (board content, JSON archive, a
// group's Markdown alone) and its title, the chapter keeps the group's name, and documents
// drop private-use characters with a note in the log.
import { describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import { readBoardContent } from '../../shared/board.js';
import type { CreateWorkshopResponse } from '../../shared/model.js';
import { createWorkshop } from '../helpers/api.js';
import { storedBoard } from '../helpers/board.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { fixture } from '../support/fixtures.js';

const GROUPS = [{ name: 'Red de proyectos PIP' }, { name: 'Grupo E: Analytics' }];

async function send(srv: TestServer, method: string, path: string, token: string, body?: string, type = 'text/markdown; charset=utf-8') {
  const res = await fetch(srv.url + path, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': type } : {}) }, body, signal: AbortSignal.timeout(20_000) });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes, text: bytes.toString('utf8') };
}
const importInto = (srv: TestServer, w: CreateWorkshopResponse, i: number, body: string, query = '') =>
  send(srv, 'POST', `/api/workshops/${w.id}/groups/${w.groups[i]?.id}/import${query}`, w.facilitatorToken, body);
const boardOf = async (srv: TestServer, w: CreateWorkshopResponse, i: number) =>
  readBoardContent(await storedBoard(srv.store, { workshopId: w.id, groupId: w.groups[i]?.id ?? '' }));

describe('import of issue 10\'s material over HTTP', () => {
  it('repairs a mis-decoded document and says how many characters; ?repair=off keeps it', async () => {
    const srv = await startServer();
    try {
      const w = await createWorkshop(srv.url, { title: 'Taller PIP', groups: GROUPS });
      const broken = fixture('estrategia-analytics.mac-roman.md');
      const repaired = await importInto(srv, w, 1, broken, '?mode=replace');
      expect(repaired.status).toBe(200);
      const answer = JSON.parse(repaired.text) as { repaired: number; title: string };
      expect(answer.repaired).toBeGreaterThan(400);
      expect(answer.title).toBe('ESTRATEGIA DE ANALYTICS DE LA RED');
      expect(JSON.stringify((await boardOf(srv, w, 1)).sections)).toContain('PIRÁMIDE DE MÉTRICAS');
      const kept = await importInto(srv, w, 1, broken, '?mode=replace&repair=off');
      expect(JSON.parse(kept.text)).toMatchObject({ repaired: 0 });
      expect(JSON.stringify((await boardOf(srv, w, 1)).sections)).toContain('PIR√ÅMIDE');
      expect((await importInto(srv, w, 1, broken, '?repair=maybe')).status).toBe(400);
    } finally {
      await srv.close();
    }
  });

  it('keeps the front matter with the board, in the archive, and writes it back for the group alone; the chapter keeps the group\'s name', async () => {
    const srv = await startServer();
    try {
      const w = await createWorkshop(srv.url, { title: 'Taller PIP', groups: GROUPS });
      expect((await importInto(srv, w, 1, fixture('estrategia-analytics.md'), '?mode=replace')).status).toBe(200);
      expect((await importInto(srv, w, 0, fixture('presentacion-red-pip.txt'), '?mode=replace')).status).toBe(200);
      const board = await boardOf(srv, w, 1);
      expect(board.meta.frontMatter).toContain('category: estrategia');
      expect(board.meta.title).toBe('ESTRATEGIA DE ANALYTICS DE LA RED');
      const code = board.sections.flatMap((s) => s.body).filter((b) => b.type === 'code');
      expect(code).toHaveLength(4);
      const deck = await boardOf(srv, w, 0);
      expect(deck.sections.flatMap((s) => s.body).filter((b) => b.type === 'table')).toHaveLength(2);

      const archive = JSON.parse((await send(srv, 'GET', `/api/workshops/${w.id}/export?format=json`, w.facilitatorToken)).text) as { groups: Array<{ name: string; board: { title: string; frontMatter?: string } }> };
      expect(archive.groups[1]?.board.frontMatter).toBe(board.meta.frontMatter);
      // The archive makes the workshop again with it.
      const again = await send(srv, 'POST', '/api/workshops/import', w.facilitatorToken, JSON.stringify(archive), 'application/json');
      expect(again.status).toBe(201);
      const copy = JSON.parse(again.text) as CreateWorkshopResponse;
      expect((await boardOf(srv, copy, 1)).meta.frontMatter).toBe(board.meta.frontMatter);

      const alone = (await send(srv, 'GET', `/api/workshops/${w.id}/export?format=md&groups=${w.groups[1]?.id}`, w.facilitatorToken)).text;
      expect(alone).toMatch(/^---\ntitle: Estrategia de Analytics 2026\ncategory: estrategia\ntags:\n {2}- métricas\n {2}- datos\ncreated: 2026-03-14\nworkshop: Taller PIP\n/);
      const all = (await send(srv, 'GET', `/api/workshops/${w.id}/export?format=md`, w.facilitatorToken)).text;
      expect(all).not.toContain('category: estrategia');
      expect(all).toContain('\n## Red de proyectos PIP\n\n**LA EXPERIENCIA DE LA RED DE PROYECTOS PIP**\n');
      expect(all).toContain('\n## Grupo E: Analytics\n\n**ESTRATEGIA DE ANALYTICS DE LA RED**\n');
      expect(all).not.toMatch(/^## (LA EXPERIENCIA|ESTRATEGIA)/m);
      // Appending a document without front matter keeps it; replacing the draft with one drops it.
      expect((await importInto(srv, w, 1, '## Más\n\ntexto\n')).status).toBe(200);
      expect((await boardOf(srv, w, 1)).meta.frontMatter).toBe(board.meta.frontMatter);
      expect((await importInto(srv, w, 1, '## Otro\n\ntexto\n', '?mode=replace')).status).toBe(200);
      expect((await boardOf(srv, w, 1)).meta.frontMatter).toBeUndefined();
    } finally {
      await srv.close();
    }
  });

  it('drops private-use characters from documents (not from the archive) and logs how many', async () => {
    const srv = await startServer();
    try {
      const w = await createWorkshop(srv.url, { title: 'Taller PIP', groups: GROUPS });
      expect((await importInto(srv, w, 0, '## Cierre\n\n\uF0B7 Gracias por su atención \uF0A7\n')).status).toBe(200);
      const pdf = await send(srv, 'GET', `/api/workshops/${w.id}/export?format=pdf`, w.facilitatorToken);
      const text = (await extractText(await getDocumentProxy(new Uint8Array(pdf.bytes)), { mergePages: true })).text;
      expect(text).toContain('Gracias por su atención');
      expect(text).not.toMatch(/[\uE000-\uF8FF]/);
      for (const format of ['md', 'html']) expect((await send(srv, 'GET', `/api/workshops/${w.id}/export?format=${format}`, w.facilitatorToken)).text).not.toMatch(/[\uE000-\uF8FF]/);
      expect((await send(srv, 'GET', `/api/workshops/${w.id}/export?format=json`, w.facilitatorToken)).text).toContain('\uF0B7');
      expect(srv.log.entries.filter((e) => e.message === 'export: private-use characters dropped').map((e) => e.fields.dropped)).toEqual([2, 2, 2]);
    } finally {
      await srv.close();
    }
  });
});
