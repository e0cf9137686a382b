// The synthesis through the HTTP export route, on a real server: two items pulled from two
// groups, a closed vote over the plenary, and the Markdown and Word documents open with
// them in ranked order, each naming its group; `synthesis` is validated and chooses the parts.
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { PLENARY_BOARD } from '../../shared/doc-name.js';
import { api, setupWorkshop } from '../helpers/api.js';
import { writeCard } from '../helpers/board.js';
import { connectSocket } from '../helpers/facilitation.js';
import { startServer, type TestServer } from '../helpers/server.js';

async function download(srv: TestServer, workshopId: string, token: string, query: string): Promise<{ status: number; bytes: Buffer }> {
  const res = await fetch(`${srv.url}/api/workshops/${workshopId}/export?${query}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(20_000) });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

const docxText = async (bytes: Buffer) => {
  const xml = (await (await JSZip.loadAsync(bytes)).file('word/document.xml')?.async('string')) ?? '';
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')).join('\n');
};

describe('the export route with a plenary synthesis', () => {
  it('md and docx open with the voted items in ranked order, each naming its group; synthesis=only|none choose the parts', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const [groupA, groupB] = w.workshop.groups as [{ id: string; name: string }, { id: string; name: string }];
    const a = await writeCard(t.wsUrl, w.boardA, w.facilitatorToken, 'Bibliotecas rurales');
    const b = await writeCard(t.wsUrl, w.boardB, w.facilitatorToken, 'Formación docente');
    const pull = (groupId: string, cardId: string) => api(t.url, 'POST', `/api/workshops/${w.workshop.id}/plenary/items`, { token: w.facilitatorToken, json: { groupId, cardId } });
    const one = (await pull(groupA.id, a)).body.itemId as string;
    const two = (await pull(groupB.id, b)).body.itemId as string;

    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    expect(await facilitator.command({ type: 'vote:open', groupIds: [PLENARY_BOARD], budget: 3, maxPerCard: 3, results: 'on-close' })).toMatchObject({ ok: true });
    const voter = await connectSocket(t.url, await w.participant('A', 'Uno'));
    expect(await voter.command({ type: 'vote:set', groupId: PLENARY_BOARD, cardId: two, dots: 3 })).toMatchObject({ ok: true });
    expect(await facilitator.command({ type: 'vote:close' })).toMatchObject({ ok: true });
    voter.close();
    facilitator.close();

    const md = (await download(t, w.workshop.id, w.facilitatorToken, 'format=md')).bytes.toString('utf8');
    const first = md.indexOf('Formación docente');
    const second = md.indexOf('Bibliotecas rurales');
    // The voted item first, with its dots; each links to its group's chapter, which follows.
    expect(first).toBeGreaterThan(md.indexOf('## Síntesis'));
    expect(second).toBeGreaterThan(first);
    expect(md.slice(first, second)).toContain('Puntos: 3');
    expect(md.slice(first, second)).toContain(`Origen: [${groupB.name}](#`);
    expect(md.slice(second)).toContain(`Origen: [${groupA.name}](#`);
    expect(md.indexOf(`## ${groupA.name}`)).toBeGreaterThan(second);
    expect(one).not.toBe(two);

    const docx = await download(t, w.workshop.id, w.facilitatorToken, 'format=docx');
    expect(docx.status).toBe(200);
    const text = await docxText(docx.bytes);
    const d1 = text.indexOf('Formación docente');
    const d2 = text.indexOf('Bibliotecas rurales');
    expect(text.indexOf('Síntesis')).toBeGreaterThanOrEqual(0);
    expect(d1).toBeGreaterThan(text.indexOf('Síntesis'));
    expect(d2).toBeGreaterThan(d1);
    expect(text.slice(d1, d2)).toContain(`Puntos: 3 · Votantes: 1 · Origen: ${groupB.name}`);
    expect(text.indexOf(`\n${groupA.name}\n`)).toBeGreaterThan(d2);

    const only = (await download(t, w.workshop.id, w.facilitatorToken, 'format=md&synthesis=only')).bytes.toString('utf8');
    expect(only).toContain('Formación docente');
    expect(only).not.toContain(`## ${groupA.name}`);
    const none = (await download(t, w.workshop.id, w.facilitatorToken, 'format=md&synthesis=none')).bytes.toString('utf8');
    expect(none).not.toContain('Síntesis');
    expect(none).toContain(`## ${groupA.name}`);
    const bad = await download(t, w.workshop.id, w.facilitatorToken, 'format=md&synthesis=all');
    expect(bad.status).toBe(400);
    expect(bad.bytes.toString('utf8')).toContain('synthesis');
  });
});
