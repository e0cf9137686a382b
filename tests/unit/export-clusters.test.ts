// Clusters in the exports' annex: each format lists a group's clusters, most dots first,
// with the dots the cluster got as one and its cards; the archive keeps its version-1 shape.
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { extractText, getDocumentProxy } from 'unpdf';
import * as Y from 'yjs';
import { addCard, createCluster, initBoard, readBoardContent } from '../../shared/board.js';
import { clusterKey } from '../../shared/voting.js';
import { consolidate } from '../../server/export/consolidate.js';
import { renderMarkdown } from '../../server/export/markdown.js';
import { renderHtml } from '../../server/export/html.js';
import { renderDocx } from '../../server/export/docx.js';
import { renderPdf } from '../../server/export/pdf.js';
import { toArchive } from '../../server/export/json-archive.js';
import { parseArchive } from '../../server/import/archive.js';
import { WORKSHOP } from '../support/export-fixtures.js';

function model() {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Grupo B', question: '¿Qué?', language: 'es' });
  const [a, b, c, d] = ['Fondo rotatorio', 'Microcréditos', 'Ferias locales', 'Sin agrupar'].map((text) => addCard(doc, { text, author: text === 'Ferias locales' ? '' : 'Ana' }));
  const money = createCluster(doc, [a!, b!], 'Financiamiento')!;
  const market = createCluster(doc, [c!], '')!;
  const board = readBoardContent(doc);
  const votes = [
    { groupId: 'g1', cardId: clusterKey(market), dots: 5, voters: 3 },
    { groupId: 'g1', cardId: clusterKey(money), dots: 2, voters: 1 },
    { groupId: 'g1', cardId: d!, dots: 1, voters: 1 },
  ];
  const group = { id: 'g1', workshopId: WORKSHOP.id, name: 'Grupo B', question: '', position: 0 };
  return consolidate(WORKSHOP, [{ group, board }], { annex: true, votes });
}

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('clusters in the annex', () => {
  it('are in the model, most dots first, with their cards', () => {
    expect(model().annex![0]!.clusters).toEqual([
      { title: '', dots: 5, voters: 3, cards: [{ text: 'Ferias locales', author: '' }] },
      { title: 'Financiamiento', dots: 2, voters: 1, cards: [{ text: 'Fondo rotatorio', author: 'Ana' }, { text: 'Microcréditos', author: 'Ana' }] },
    ]);
  });

  it('Markdown and HTML list each cluster with its dots and cards', () => {
    const md = renderMarkdown(model());
    expect(md).toContain('**Agrupaciones**');
    expect(md).toContain('**Agrupación sin título** — Puntos: 5 · Votantes: 3');
    expect(md).toMatch(/\*\*Financiamiento\*\* — Puntos: 2 · Votantes: 1\n\n[*-] Fondo rotatorio \(Ana\)\n[*-] Microcréditos \(Ana\)/);
    const html = flat(renderHtml(model()));
    expect(html).toContain('<strong>Financiamiento</strong> — Puntos: 2 · Votantes: 1');
    expect(html).toMatch(/<li>(<p>)?Fondo rotatorio \(Ana\)/);
  });

  it('DOCX and PDF list them too', async () => {
    const zip = await JSZip.loadAsync(await renderDocx(model()));
    const xml = (await zip.file('word/document.xml')!.async('string'));
    const words = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    expect(words).toContain('AgrupacionesAgrupación sin título — Puntos: 5 · Votantes: 3Ferias locales');
    expect(words).toContain('Financiamiento — Puntos: 2 · Votantes: 1Fondo rotatorio (Ana)Microcréditos (Ana)');
    const pdf = await getDocumentProxy(new Uint8Array(await renderPdf(model())));
    const text = flat((await extractText(pdf, { mergePages: true })).text);
    expect(text).toContain('Agrupaciones');
    expect(text).toContain('Financiamiento — Puntos: 2 · Votantes: 1');
    expect(text).toContain('Microcréditos (Ana)');
  });

  it('the archive keeps its version-1 annex, which imports again', () => {
    const archive = toArchive(model());
    expect(archive.annex![0]).not.toHaveProperty('clusters');
    expect(() => parseArchive(JSON.stringify(archive))).not.toThrow();
  });
});
