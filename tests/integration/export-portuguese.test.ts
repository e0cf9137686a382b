// A workshop in Brazilian Portuguese, through a real server on port 0 with a temp
// SQLite file: its boards, agenda and every export speak Portuguese.
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { extractText, getDocumentProxy } from 'unpdf';
import { addCard } from '../../shared/board.js';
import type { CreateWorkshopResponse, PublicWorkshop } from '../../shared/model.js';
import { api, createWorkshop } from '../helpers/api.js';
import { startServer, type TestServer } from '../helpers/server.js';

const GROUPS = [
  { name: 'Grupo A: Sustentabilidade', question: 'O que faz as mudanças durarem depois do projeto?' },
  { name: 'Grupo B: Mudança Sistêmica', question: '' },
];

async function exportOf(srv: TestServer, w: CreateWorkshopResponse, query: string): Promise<{ status: number; bytes: Buffer; text: string }> {
  const res = await fetch(`${srv.url}/api/workshops/${w.id}/export?${query}`, { headers: { authorization: `Bearer ${w.facilitatorToken}` }, signal: AbortSignal.timeout(20_000) });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes, text: bytes.toString('utf8') };
}

async function portugueseWorkshop(srv: TestServer): Promise<CreateWorkshopResponse> {
  const w = await createWorkshop(srv.url, { title: 'Oficina da rede: Inovação 2025', place: 'Recife', language: 'pt', groups: GROUPS });
  const facilitator = { role: 'facilitator' as const, workshopId: w.id, groupId: null, participantId: null, name: '' };
  await srv.server.writer.change(facilitator, { workshopId: w.id, groupId: w.groups[0]?.id ?? '' }, (doc) => {
    addCard(doc, { text: 'Fortalecer os espaços que já existem', author: 'Conceição', color: 'green' });
  });
  return w;
}

describe('a workshop in Portuguese', () => {
  it('keeps its language, and starts each board with the Portuguese heading', async () => {
    const srv = await startServer();
    const w = await portugueseWorkshop(srv);
    expect((await api<PublicWorkshop>(srv.url, 'GET', `/api/join/${w.joinCode}`)).body.language).toBe('pt');
    const md = await exportOf(srv, w, 'format=md');
    expect(md.status).toBe(200);
    expect(md.text).toMatch(/^language: pt$/m);
    expect(md.text).toContain('\n## Grupo A: Sustentabilidade\n\n> O que faz as mudanças durarem depois do projeto?\n\n### Conclusões e Recomendações\n');
  });

  it('labels the Markdown and HTML exports in Portuguese: date, annex, table header, no cards', async () => {
    const srv = await startServer();
    const w = await portugueseWorkshop(srv);
    const md = (await exportOf(srv, w, 'format=md&annex=1')).text;
    const iso = /^date: (\d{4}-\d{2}-\d{2})$/m.exec(md)?.[1] ?? '';
    const longDate = new Intl.DateTimeFormat('pt-BR', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`));
    expect(longDate).toMatch(/^\d{1,2} de [a-zç]+ de \d{4}$/);
    expect(md).toContain(`\n${longDate} · Recife\n`);
    expect(md).toContain('\n## Anexo: cartões priorizados\n');
    expect(md).toMatch(/\| N\.º \| Cartão\s*\| Pontos \| Votantes \| Autoria\s*\|/);
    expect(md).toMatch(/\|\s+1 \| Fortalecer os espaços que já existem \|\s+0 \|\s+0 \| Conceição \|/);
    expect(md).toContain('\n### Grupo B: Mudança Sistêmica\n\nSem cartões.\n');
    for (const spanish of ['Anexo: tarjetas', 'Tarjeta', 'Autor |', 'Sin tarjetas', 'Conclusiones', ' de diciembre de ', ' de noviembre de ']) expect(md).not.toContain(spanish);

    const html = (await exportOf(srv, w, 'format=html&annex=1')).text;
    expect(html).toContain('<html lang="pt">');
    expect(html).toContain(`<p class="date">${longDate} · Recife</p>`);
    expect(html).toContain('<h2>Anexo: cartões priorizados</h2>');
    expect(html).toContain('<th>Cartão</th>');
    expect(html).toContain('<th>Autoria</th>');
    expect(html).toContain('<p>Sem cartões.</p>');
    expect(html).toContain('<h3>Conclusões e Recomendações</h3>');
  });

  it('declares Brazilian Portuguese in the Word file, writes its letters and page numbers in the PDF, and archives and restores as Portuguese with a Portuguese agenda', async () => {
    const srv = await startServer();
    const w = await portugueseWorkshop(srv);
    const docx = await exportOf(srv, w, 'format=docx&annex=1');
    const xml = [
      (await (await JSZip.loadAsync(docx.bytes)).file('word/styles.xml')?.async('string')) ?? '',
      (await (await JSZip.loadAsync(docx.bytes)).file('word/document.xml')?.async('string')) ?? '',
    ].join('\n');
    expect(xml).toContain('w:val="pt-BR"');
    expect(xml).toContain('Anexo: cartões priorizados');
    expect(xml).toContain('Sem cartões.');

    const pdf = await exportOf(srv, w, 'format=pdf&annex=1');
    const text = (await extractText(await getDocumentProxy(new Uint8Array(pdf.bytes)), { mergePages: true })).text.replace(/\s+/g, ' ');
    for (const words of ['Conclusões e Recomendações', 'Anexo: cartões priorizados', 'Mudança Sistêmica', 'Conceição', 'Página 1 de']) expect(text).toContain(words);

    const archive = JSON.parse((await exportOf(srv, w, 'format=json')).text) as { workshop: { language: string }; agenda: Array<{ name: string }> };
    expect(archive.workshop.language).toBe('pt');
    expect(archive.agenda.map((p) => p.name)).toEqual(['Boas-vindas', 'Trabalho em grupos', 'Votação', 'Plenária', 'Encerramento']);
    const res = await fetch(`${srv.url}/api/workshops/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(archive) });
    expect(res.status).toBe(201);
    const copy = (await res.json()) as CreateWorkshopResponse;
    expect((await api<PublicWorkshop>(srv.url, 'GET', `/api/join/${copy.joinCode}`)).body.language).toBe('pt');
  });

  it('refuses a language it does not speak with a 400', async () => {
    const srv = await startServer();
    const res = await api<{ error: { code: string } }>(srv.url, 'POST', '/api/workshops', { json: { title: 'Atelier', language: 'fr', groups: [{ name: 'A' }] } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
  });
});
