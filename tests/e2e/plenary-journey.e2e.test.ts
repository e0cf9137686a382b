// The plenary synthesis from the first pull to the printed page, in a real browser: a
// rapporteur drags one group's card onto the recommendations and pulls another group's
// card with its button, merges them, and pulls a passage selected in a group's draft; the
// room votes; the facilitator downloads the DOCX and the PDF from the export page. The
// files open with the synthesis, the merged recommendation with its dots and both groups
// linked to their chapters; their first pages are drawn as PNG (the PDF by pdftoppm, the
// DOCX through LibreOffice) under test-results/screens to be looked at.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, listSections, sectionBody } from '../../shared/board.js';
import { connectSocket, tokenOfLink } from '../helpers/facilitation.js';
import { roundTrip, syncedClient } from '../helpers/yclient.js';
import { libreOffice, pdftoppm } from '../support/requires.js';
import { browserAvailability, createWorkshop, joinThroughUi, newPerson, type Workshop, useBrowserAndServer } from './browser-harness.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const SHOTS = 'test-results/screens';
const run = promisify(execFile);
const GROUPS = [
  { name: 'Grupo A: Educación', question: '¿Qué debe cambiar en la escuela rural?' },
  { name: 'Grupo B: Territorio', question: '¿Cómo llegan los servicios al territorio?' },
];
const CARD_A = 'Transporte escolar gratuito en zonas rurales';
const CARD_B = 'Rutas seguras para llegar a la escuela';
const DRAFT_A = 'La escuela rural necesita conectividad estable y docentes formados en el territorio.';
const PASSAGE = 'conectividad estable';

async function importMarkdown(base: string, w: Workshop, groupId: string, markdown: string): Promise<void> {
  const res = await fetch(`${base}/api/workshops/${w.id}/groups/${groupId}/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${w.facilitatorToken}`, 'content-type': 'text/markdown; charset=utf-8' },
    body: markdown,
  });
  if (!res.ok) throw new Error(`import answered ${res.status}: ${await res.text()}`);
}

async function download(page: Page, format: 'docx' | 'pdf'): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-format=${format}]`)]);
  return readFileSync(await file.path());
}

/** Draws the PDF's first pages as PNG files named `<name>-<n>.png` in SHOTS; their paths. */
async function drawPages(tool: string, pdf: string, name: string, pages: number): Promise<string[]> {
  await run(tool, ['-png', '-r', '70', '-f', '1', '-l', String(pages), pdf, join(SHOTS, name)], { timeout: 60_000 });
  const drawn = Array.from({ length: pages }, (_, i) => join(SHOTS, `${name}-${i + 1}.png`)).filter((p) => existsSync(p));
  expect(drawn.length, `${name}: pages drawn`).toBeGreaterThan(0);
  return drawn;
}

/** Selects `words` inside the element the locator finds, as a person dragging over them would. */
async function selectWords(page: Page, selector: string, words: string): Promise<void> {
  await page.locator(selector).evaluate((root, target) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(target) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + target.length);
      const selection = document.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      return;
    }
    throw new Error(`"${target}" is not in ${root.className}`);
  }, words);
}

describe.skipIf(availability.skip)('the plenary synthesis, pulled, merged, voted and exported', () => {
  const e2e = useBrowserAndServer();
  const dir = mkdtempSync(join(tmpdir(), 'relatoria-journey-'));

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('a rapporteur drags, pulls, merges and pulls a passage; the room votes; the DOCX and PDF open with the synthesis and link both groups', async () => {
    const w = await createWorkshop(e2e.server.url, GROUPS, 'Encuentro Rural 2026');
    const [groupA, groupB] = w.groups as [Workshop['groups'][number], Workshop['groups'][number]];
    await importMarkdown(e2e.server.url, w, groupA.id, `## Conclusiones\n\n${DRAFT_A}\n`);
    await importMarkdown(e2e.server.url, w, groupB.id, '## Conclusiones\n\nLos servicios llegan cuando hay caminos.\n');
    const wsUrl = e2e.server.url.replace(/^http/, 'ws');
    const a = await syncedClient(wsUrl, { workshopId: w.id, groupId: groupA.id }, w.facilitatorToken);
    const b = await syncedClient(wsUrl, { workshopId: w.id, groupId: groupB.id }, w.facilitatorToken);
    const cardA = addCard(a.doc, { text: CARD_A, author: 'Lucía' });
    const cardB = addCard(b.doc, { text: CARD_B, author: 'Sofía' });
    await roundTrip(a);
    await roundTrip(b);
    a.destroy();
    b.destroy();

    const facilitator = await connectSocket(e2e.server.url, w.facilitatorToken);
    const link = await facilitator.command({ type: 'link:create', role: 'rapporteur' });
    if (!link.ok) throw new Error(link.message);

    // The rapporteur drags group A's card onto the recommendations, and pulls group B's with its button.
    const rapporteur = await newPerson(e2e.browser, { width: 1440, height: 900 });
    const p = rapporteur.page;
    await p.goto(`${e2e.server.url}/w/${w.id}/plenary#k=${encodeURIComponent(tokenOfLink(link.link))}`);
    const panel = p.locator('[data-testid=source-panel]');
    const items = p.locator('[data-testid=plenary-item]');
    const drop = p.locator('[data-testid=plenary-drop]');
    const grip = panel.locator(`[data-card-id="${cardA}"] [data-testid=source-drag]`);
    await grip.waitFor({ timeout: 10_000 });
    // By hand, to see the drop zone answer before letting go.
    await grip.hover();
    await p.mouse.down();
    const box = await drop.boundingBox();
    if (!box) throw new Error('the items list is not on the page');
    await p.mouse.move(box.x + box.width / 2, box.y + 40, { steps: 8 });
    await expect.poll(() => drop.getAttribute('class'), { timeout: 5_000 }).toContain('dropping');
    await p.screenshot({ path: `${SHOTS}/plenary-drop-wide.png` });
    await p.mouse.up();
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(1);
    expect(await drop.getAttribute('class')).not.toContain('dropping');
    await panel.locator(`[data-card-id="${cardB}"] [data-testid=pull-to-plenary]`).click();
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(2);
    expect(await items.nth(0).locator('[data-testid=plenary-item-text]').inputValue()).toBe(CARD_A);

    await items.nth(0).locator('[data-testid=plenary-select]').check();
    await items.nth(1).locator('[data-testid=plenary-select]').check();
    await p.locator('[data-testid=plenary-merge]').click();
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(1);
    const merged = await items.first().getAttribute('data-item-id');

    // On group A's board, words selected in its draft go alone: the button says so.
    await p.goto(`${e2e.server.url}/w/${w.id}/g/${groupA.id}?as=rapporteur`);
    const section = p.locator('[data-section-id]').first();
    await section.locator('.ProseMirror').filter({ hasText: DRAFT_A }).waitFor({ timeout: 10_000 });
    const pullSection = section.locator('[data-testid=pull-to-plenary]');
    expect(await pullSection.getAttribute('data-passage')).toBeNull();
    await selectWords(p, '[data-section-id] .ProseMirror', PASSAGE);
    await expect.poll(() => pullSection.getAttribute('data-passage'), { timeout: 5_000 }).toBe('selected');
    await p.screenshot({ path: `${SHOTS}/plenary-passage-wide.png` });
    await pullSection.click();
    await section.getByRole('status').filter({ hasText: 'Pasaje en la síntesis' }).waitFor({ timeout: 10_000 });
    // A card's words, selected in its (read-only) text: the same.
    const card = p.locator(`[data-card-id="${cardA}"]`);
    await card.locator('textarea.text').evaluate((el: HTMLTextAreaElement) => {
      el.focus();
      el.setSelectionRange(0, 'Transporte escolar'.length);
    });
    await expect.poll(() => card.locator('[data-testid=pull-to-plenary]').getAttribute('data-passage'), { timeout: 5_000 }).toBe('selected');
    await card.locator('[data-testid=pull-to-plenary]').click();
    await card.getByRole('status').filter({ hasText: 'Pasaje en la síntesis' }).waitFor({ timeout: 10_000 });
    // On a phone, the same in the draft.
    await p.setViewportSize({ width: 390, height: 844 });
    await section.scrollIntoViewIfNeeded();
    await selectWords(p, '[data-section-id] .ProseMirror', 'docentes formados');
    await expect.poll(() => pullSection.getAttribute('data-passage'), { timeout: 5_000 }).toBe('selected');
    await p.screenshot({ path: `${SHOTS}/plenary-passage-phone.png` });

    await p.goto(`${e2e.server.url}/w/${w.id}/plenary`);
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(3);
    const passageItem = items.filter({ has: p.locator('[data-testid=plenary-passage]') });
    expect(await passageItem.count()).toBe(2);
    expect(await passageItem.first().locator('[data-testid=plenary-item-text]').inputValue()).toBe(PASSAGE);
    await p.screenshot({ path: `${SHOTS}/plenary-passage-items-phone.png`, fullPage: true });
    await p.setViewportSize({ width: 1440, height: 900 });
    await p.screenshot({ path: `${SHOTS}/plenary-passage-items-wide.png`, fullPage: true });

    // The group rewrites the words the passage took: the item says so, and shows what the draft says now.
    const writer = await syncedClient(wsUrl, { workshopId: w.id, groupId: groupA.id }, w.facilitatorToken);
    const paragraph = sectionBody(writer.doc, listSections(writer.doc)[0]!.id)?.get(0);
    const line = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null;
    if (!(line instanceof Y.XmlText)) throw new Error('the draft has no paragraph');
    line.delete(line.toString().indexOf(' estable'), ' estable'.length);
    await roundTrip(writer);
    writer.destroy();
    const passageOfDraft = items.nth(1);
    await passageOfDraft.locator('[data-testid=source-changed]').click({ timeout: 15_000 });
    const diff = passageOfDraft.locator('[data-testid=source-diff]');
    await diff.waitFor();
    expect(await diff.textContent()).toContain('El pasaje ya no está tal cual en el grupo');
    expect(await diff.locator('ins').textContent()).toBe('La escuela rural necesita conectividad y docentes formados en el territorio.');
    await p.screenshot({ path: `${SHOTS}/plenary-passage-changed-wide.png` });
    await p.setViewportSize({ width: 390, height: 844 });
    await passageOfDraft.scrollIntoViewIfNeeded();
    await p.screenshot({ path: `${SHOTS}/plenary-passage-changed-phone.png` });
    expect(rapporteur.errors).toEqual([]);
    await rapporteur.context.close();

    // The room votes: Ana gives the merged recommendation both her dots.
    expect(await facilitator.command({ type: 'vote:open', groupIds: ['plenary'], budget: 3, maxPerCard: 2, results: 'live' })).toMatchObject({ ok: true });
    const ana = await newPerson(e2e.browser, { width: 390, height: 844 });
    await joinThroughUi(ana.page, e2e.server.url, w.joinCode, GROUPS[0]!.name, 'Ana');
    await ana.page.goto(`${e2e.server.url}/w/${w.id}/plenary`);
    const vote = ana.page.locator(`[data-testid=plenary-item][data-item-id="${merged}"]`);
    await vote.locator('[data-testid=dot-plus]').click({ timeout: 10_000 });
    await vote.locator('[data-testid=dot-controls][data-dots="1"]').waitFor({ timeout: 10_000 });
    await vote.locator('[data-testid=dot-plus]').click();
    await vote.locator('[data-testid=dot-controls][data-dots="2"]').waitFor({ timeout: 10_000 });
    await ana.context.close();
    expect(await facilitator.command({ type: 'vote:close' })).toMatchObject({ ok: true });
    facilitator.close();

    // The facilitator downloads both files from the export page, as they would.
    const f = await newPerson(e2e.browser, { width: 1280, height: 900 });
    await f.page.goto(`${e2e.server.url}/w/${w.id}/facilitate#k=${encodeURIComponent(w.facilitatorToken)}`);
    await f.page.click('[data-testid=open-export]');
    await f.page.waitForURL(/\/export$/);
    await f.page.locator('button[data-format=pdf]').waitFor();
    const docx = await download(f.page, 'docx');
    const pdf = await download(f.page, 'pdf');
    expect(f.errors).toEqual([]);
    await f.context.close();

    // The PDF: the synthesis first, the merged recommendation ranked first with its dots, both groups linked to their chapters.
    const proxy = await getDocumentProxy(new Uint8Array(pdf));
    const text = (await extractText(proxy, { mergePages: true })).text.replace(/\s+/g, ' ');
    const order = ['Síntesis', 'Recomendaciones', CARD_A, CARD_B, 'Puntos: 2', 'Origen: Grupo A: Educación, Grupo B: Territorio', PASSAGE, 'Grupo A: Educación'];
    const at = order.map((words, i) => text.indexOf(words, i === order.length - 1 ? text.indexOf(PASSAGE) : 0));
    expect(at.every((i) => i >= 0), `${order.join(' | ')}: ${at.join(',')}`).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
    const first = await proxy.getPage(1);
    const dests = ((await first.getAnnotations()) as Array<{ dest?: unknown }>).flatMap((a) => (typeof a.dest === 'string' ? [a.dest] : []));
    expect(new Set(dests.filter((d) => d.startsWith('grupo-')))).toEqual(new Set(['grupo-1', 'grupo-2']));
    for (const [name, group] of [['grupo-1', GROUPS[0]!.name], ['grupo-2', GROUPS[1]!.name]] as const) {
      const dest = (await proxy.getDestination(name)) as [{ num: number; gen: number }, ...unknown[]] | null;
      if (!dest) throw new Error(`no destination ${name}`);
      const page = await proxy.getPage((await proxy.getPageIndex(dest[0])) + 1);
      const words = (await page.getTextContent()).items.flatMap((t) => ('str' in t ? [t.str] : [])).join(' ');
      expect(words, name).toContain(group);
      expect(page.pageNumber, name).toBeGreaterThan(1);
    }

    // The DOCX: the same order, and each group's name an internal link to the bookmark on its chapter heading.
    const xml = (await (await JSZip.loadAsync(docx)).file('word/document.xml')?.async('string')) ?? '';
    const plain = xml.replace(/<w:p[ >]/g, '\n$&').replace(/<[^>]+>/g, '');
    const docxAt = ['Síntesis', CARD_A, 'Puntos: 2', PASSAGE, `\n${GROUPS[0]!.name}`].map((words) => plain.indexOf(words));
    expect(docxAt.every((i) => i >= 0), docxAt.join(',')).toBe(true);
    expect([...docxAt].sort((x, y) => x - y)).toEqual(docxAt);
    const anchors = [...xml.matchAll(/<w:hyperlink [^>]*w:anchor="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(anchors)).toEqual(new Set(['grupo_1', 'grupo_2']));
    for (const anchor of new Set(anchors)) expect(xml).toContain(`<w:bookmarkStart w:name="${anchor}"`);

    // Drawn, to look at: the PDF's first pages, and the DOCX as LibreOffice lays it out.
    const poppler = pdftoppm();
    if (!poppler) return;
    const pdfFile = join(dir, 'synthesis.pdf');
    writeFileSync(pdfFile, pdf);
    await drawPages(poppler, pdfFile, 'plenary-export-pdf', 3);
    const soffice = libreOffice();
    if (!soffice) return;
    const docxFile = join(dir, 'synthesis.docx');
    writeFileSync(docxFile, docx);
    await run(soffice, ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'pdf', '--outdir', join(dir, 'lo'), docxFile], {
      timeout: 150_000,
      env: { ...process.env, HOME: dir },
    });
    const converted = readFileSync(join(dir, 'lo', 'synthesis.pdf'));
    await drawPages(poppler, join(dir, 'lo', 'synthesis.pdf'), 'plenary-export-docx', 3);
    // LibreOffice keeps Word's internal links as links to the chapters' pages.
    const office = await getDocumentProxy(new Uint8Array(converted));
    const targets = new Set<string>();
    for (const a of (await (await office.getPage(1)).getAnnotations()) as Array<{ dest?: unknown }>) {
      if (!Array.isArray(a.dest)) continue;
      const index = await office.getPageIndex(a.dest[0] as { num: number; gen: number });
      if (index === 0) continue; // the synthesis's own page names the groups too: a link must leave it
      const page = await office.getPage(index + 1);
      const words = (await page.getTextContent()).items.flatMap((t) => ('str' in t ? [t.str] : [])).join(' ');
      for (const group of GROUPS) if (words.includes(group.name)) targets.add(group.name);
    }
    expect(targets).toEqual(new Set(GROUPS.map((g) => g.name)));
  }, 300_000);
});
