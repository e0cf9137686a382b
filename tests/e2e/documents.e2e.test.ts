// The document side in a real browser against a real server: the export page's
// preview and downloads, restoring a JSON archive, importing Markdown into a live
// board, a board's history (save, edit, restore reaching another person), and
// creating a workshop from the built-in template. Screenshots go to test-results/documents.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Download, Page } from 'playwright-core';
import {
  browserAvailability, createWorkshop, firstEditor, joinThroughUi, newPerson, startE2eServer,
  waitConnected, type Workshop, useBrowserAndServer,
} from './browser-harness.js';
import { FIXTURES_DIR } from '../support/fixtures.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const SHOTS = 'test-results/documents';
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

const TITLE = 'Encuentro de Innovación Social';
const GROUPS = [
  { name: 'Grupo B: Cambio Sistémico', question: '¿Qué cambios estructurales necesitamos?' },
  { name: 'Grupo D: Escalamiento', question: '¿Cómo escalamos lo que funciona?' },
];

/** What each format's bytes start with, and its media type. */
const FORMATS = [
  { format: 'md', type: 'text/markdown', check: (b: Buffer) => b.toString('utf8').startsWith('---') },
  { format: 'html', type: 'text/html', check: (b: Buffer) => /^<!doctype html>/i.test(b.toString('utf8')) },
  { format: 'docx', type: 'wordprocessingml', check: (b: Buffer) => b.subarray(0, 2).toString('latin1') === 'PK' },
  { format: 'pdf', type: 'application/pdf', check: (b: Buffer) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { format: 'json', type: 'application/json', check: (b: Buffer) => typeof JSON.parse(b.toString('utf8')) === 'object' },
] as const;

async function importMarkdown(base: string, w: Workshop, groupId: string, markdown: string): Promise<void> {
  const res = await fetch(`${base}/api/workshops/${w.id}/groups/${groupId}/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${w.facilitatorToken}`, 'content-type': 'text/markdown; charset=utf-8' },
    body: markdown,
  });
  if (!res.ok) throw new Error(`import answered ${res.status}: ${await res.text()}`);
}

/** Opens the console once so the browser keeps the facilitator key, as after creating. */
async function asFacilitator(page: Page, base: string, w: Workshop): Promise<void> {
  await page.goto(`${base}/w/${w.id}/facilitate#k=${encodeURIComponent(w.facilitatorToken)}`);
  await page.locator('[data-testid=join-code]').waitFor();
}

interface ConsoleView {
  id: string;
  title: string;
  groups: Array<{ id: string; name: string }>;
  session: { agenda: Array<{ name: string }> };
}

/** The workshop the console shows, read with the facilitator key this browser kept. */
async function consoleWorkshop(page: Page, base: string): Promise<ConsoleView> {
  const id = /\/w\/([^/]+)\/facilitate/.exec(page.url())?.[1] ?? '';
  const token = await page.evaluate((key) => localStorage.getItem(key), `relatoria:facilitator:${id}`);
  const res = await fetch(`${base}/api/workshops/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as ConsoleView;
}

const previewText = (page: Page) => page.frameLocator('[data-testid=export-preview]').locator('body').innerText();

async function downloadOf(page: Page, format: string): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-format=${format}]`)]);
  const path = await download.path();
  return { download, bytes: readFileSync(path) };
}

describe.skipIf(availability.skip)('documents in a browser', () => {
  const e2e = useBrowserAndServer();
  let workshop: Workshop;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    workshop = await createWorkshop(e2e.server.url, GROUPS, TITLE);
    await importMarkdown(e2e.server.url, workshop, workshop.groups[0]!.id, '## Conclusiones\n\n- **Fortalecer** los espacios existentes¹\n\n¹ Según la relatoría de la mañana.\n');
    await importMarkdown(e2e.server.url, workshop, workshop.groups[1]!.id, '## Conclusiones\n\n- Escalar con alianzas público-privadas\n');
  });

  it('the export page previews the chosen groups and downloads every format under the server’s name', async () => {
    const f = await newPerson(e2e.browser);
    await asFacilitator(f.page, e2e.server.url, workshop);
    await f.page.click('[data-testid=open-export]');
    await f.page.waitForURL(/\/export$/);
    await expect.poll(() => previewText(f.page), { timeout: 5000 }).toContain('Fortalecer los espacios existentes');
    expect(await previewText(f.page)).toContain('Escalar con alianzas');

    // Only one group: the other's text leaves the preview.
    await f.page.locator('label.check', { hasText: GROUPS[1]!.name }).locator('input').uncheck();
    await expect.poll(() => previewText(f.page), { timeout: 5000 }).not.toContain('Escalar con alianzas');
    expect(await previewText(f.page)).toContain('Fortalecer');
    // None: nothing to download.
    await f.page.getByRole('button', { name: 'Ninguno' }).click();
    expect(await f.page.locator('button[data-format=pdf]').isDisabled()).toBe(true);
    await f.page.getByRole('button', { name: 'Todos' }).click();
    await expect.poll(() => previewText(f.page), { timeout: 5000 }).toContain('Escalar con alianzas');

    // The preview follows the boards: a change shows after a refresh.
    await importMarkdown(e2e.server.url, workshop, workshop.groups[1]!.id, '## Más\n\n- Medir impacto, no actividad\n');
    await f.page.click('[data-testid=export-refresh]');
    await expect.poll(() => previewText(f.page), { timeout: 5000 }).toContain('Medir impacto, no actividad');
    await shot(f.page, 'export-es');

    const name = new RegExp(`^${TITLE} \\d{4}-\\d{2}-\\d{2}\\.`);
    for (const { format, check } of FORMATS) {
      const { download, bytes } = await downloadOf(f.page, format);
      expect(download.suggestedFilename()).toMatch(name);
      expect(download.suggestedFilename().endsWith(`.${format}`)).toBe(true);
      expect([format, check(bytes)]).toEqual([format, true]);
    }
    expect(f.errors).toEqual([]);
    await f.context.close();
  });

  it('an organizer link opens the export page, in English too, without the console', async () => {
    const f = await newPerson(e2e.browser);
    await asFacilitator(f.page, e2e.server.url, workshop);
    await f.page.click('[data-testid=create-organizer-link]');
    const link = await f.page.locator('[data-testid=facilitator-documents] input[readonly]').inputValue();
    expect(link).toMatch(new RegExp(`/w/${workshop.id}/export#k=`));
    await shot(f.page, 'facilitator-documents');

    const organizer = await newPerson(e2e.browser, { locale: 'en-GB' });
    await organizer.page.goto(link);
    await expect.poll(() => previewText(organizer.page), { timeout: 5000 }).toContain('Fortalecer los espacios existentes');
    expect(organizer.page.url()).not.toContain('#k=');
    expect(await organizer.page.getByRole('link', { name: 'Back to the console' }).count()).toBe(0);
    await organizer.page.getByRole('button', { name: 'Word' }).waitFor();
    await organizer.page.locator('input[name=export-annex]').check();
    await expect.poll(() => previewText(organizer.page), { timeout: 5000 }).toMatch(/Anexo|Annex/);
    await shot(organizer.page, 'export-en');
    await organizer.page.setViewportSize({ width: 390, height: 844 });
    await shot(organizer.page, 'export-en-phone');
    // A reload keeps the organizer's key.
    await organizer.page.reload();
    await expect.poll(() => previewText(organizer.page), { timeout: 5000 }).toContain('Fortalecer');
    expect(organizer.errors).toEqual([]);
    await organizer.context.close();
    await f.context.close();
  });

  it('says why a document was not generated: rendering past the server’s time budget', async () => {
    // A server whose export workers get 1 ms a document: every rendering runs out of time (503 export_too_long).
    const slow = await startE2eServer({ exports: { timeBudgetMs: 1 } });
    onTestFinished(() => slow.close());
    const w = await createWorkshop(slow.url, GROUPS, TITLE);
    const f = await newPerson(e2e.browser);
    await asFacilitator(f.page, slow.url, w);
    await f.page.click('[data-testid=open-export]');
    await f.page.waitForURL(/\/export$/);
    await f.page.locator('button[data-format=pdf]').click();
    const note = f.page.locator('.downloads [role=alert]');
    await expect.poll(() => note.count(), { timeout: 20_000 }).toBe(1);
    expect(await note.innerText()).toMatch(/Documento no generado\s+Generarlo tomó más tiempo del que el servidor dedica a un documento\. Prueba con menos grupos o con otro formato\./);
    // The preview was refused the same way: its note says so, and no "generating" is left under it.
    await expect.poll(() => f.page.locator('.preview-error [role=alert]').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => f.page.getByText('Generando la vista previa').count(), { timeout: 5_000 }).toBe(0);
    await f.page.evaluate(() => window.scrollTo(0, 0)); // the sticky bar back on top of the full-page shot
    await shot(f.page, 'export-too-long');
    await f.context.close();
  });

  it('a JSON archive uploaded on the home page becomes a new workshop with the same groups', async () => {
    const res = await fetch(`${e2e.server.url}/api/workshops/${workshop.id}/export?format=json`, { headers: { authorization: `Bearer ${workshop.facilitatorToken}` } });
    const archive = Buffer.from(await res.arrayBuffer());
    const p = await newPerson(e2e.browser);
    await p.page.goto(e2e.server.url);
    await p.page.setInputFiles('input[name=archive]', { name: 'taller.json', mimeType: 'application/json', buffer: archive });
    await p.page.getByRole('button', { name: 'Restaurar taller' }).click();
    await p.page.locator('[data-testid=join-code]').waitFor();
    expect(p.page.url()).not.toContain(workshop.id);
    const restored = await consoleWorkshop(p.page, e2e.server.url);
    expect(restored.groups.map((g) => g.name)).toEqual(GROUPS.map((g) => g.name));

    // A file that is no archive: the server's reason, and no workshop.
    await p.page.goto(e2e.server.url);
    await p.page.setInputFiles('input[name=archive]', { name: 'otro.json', mimeType: 'application/json', buffer: Buffer.from('{"hola": 1}') });
    await p.page.getByRole('button', { name: 'Restaurar taller' }).click();
    await p.page.locator('.restore [role=alert]').waitFor();
    expect(p.page.url()).toBe(`${e2e.server.url}/`);
    await p.context.close();
  });

  it('Markdown imported through the dialog shows on another participant’s board', async () => {
    const w = await createWorkshop(e2e.server.url, GROUPS, TITLE);
    const groupD = w.groups[1]!;
    const bruno = await newPerson(e2e.browser);
    await joinThroughUi(bruno.page, e2e.server.url, w.joinCode, GROUPS[1]!.name, 'Bruno Díaz');

    const f = await newPerson(e2e.browser);
    await asFacilitator(f.page, e2e.server.url, w);
    await f.page.goto(`${e2e.server.url}/w/${w.id}/g/${groupD.id}?as=facilitator`);
    await waitConnected(f.page);
    await f.page.click('[data-testid=open-import]');
    const dialog = f.page.locator('[data-testid=import-dialog]');
    await dialog.waitFor();

    // Problems show inline, before anything is sent.
    await dialog.locator('[data-testid=import-submit]').click();
    expect(await dialog.locator('[data-testid=import-problem]').textContent()).toContain('vacío');
    await dialog.locator('input[name=markdown-file]').setInputFiles({ name: 'latin1.md', mimeType: 'text/markdown', buffer: Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]) });
    await expect.poll(() => dialog.locator('[data-testid=import-problem]').textContent()).toContain('UTF-8');

    // Refused by the server (nesting past its limit): why, in the reader's language, and nothing imported.
    await dialog.locator('textarea[name=markdown]').fill(`${'> '.repeat(40)}hondo`);
    await dialog.locator('[data-testid=import-submit]').click();
    const refusal = dialog.locator('[role=alert]', { hasText: 'Documento demasiado complejo' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('más de 30 niveles');
    expect(await dialog.locator('[data-testid=import-done]').count()).toBe(0);

    await dialog.locator('input[name=markdown-file]').setInputFiles(join(FIXTURES_DIR, 'grupo-d-escalamiento.md'));
    await expect.poll(() => dialog.locator('textarea[name=markdown]').inputValue()).toContain('Claridad en la lógica de escalamiento');
    await dialog.locator('input[name=import-mode][value=replace]').check();
    await shot(f.page, 'import-dialog');
    await dialog.locator('[data-testid=import-submit]').click();
    await dialog.locator('[data-testid=import-done]').waitFor();

    const bullet = bruno.page.locator('[data-section-id] .tiptap li', { hasText: 'Claridad en la lógica de escalamiento desde el diseño' });
    await bullet.first().waitFor({ timeout: 3000 });
    expect(await bruno.page.locator('[data-section-id] .tiptap li strong', { hasText: 'Formalización de los actores' }).count()).toBe(1);
    expect(await bruno.page.locator('[data-section-id] .tiptap ul ul li', { hasText: 'adoptar una innovación' }).count()).toBeGreaterThan(0);
    // Imported: the dialog offers no second import of the same text (it would write everything twice).
    expect(await dialog.locator('[data-testid=import-submit]').count()).toBe(0);
    await dialog.locator('footer').getByRole('button', { name: 'Cerrar', exact: true }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    // The one refusal above is the browser's only complaint (a failed request is logged as a console error).
    expect([...f.errors.filter((e) => !e.includes('status of 422')), ...bruno.errors]).toEqual([]);
    await f.context.close();
    await bruno.context.close();
  });

  it('history: a named version, an edit, a restore that reaches another participant', async () => {
    const w = await createWorkshop(e2e.server.url, GROUPS, TITLE);
    const ana = await newPerson(e2e.browser);
    const bruno = await newPerson(e2e.browser);
    await joinThroughUi(ana.page, e2e.server.url, w.joinCode, GROUPS[0]!.name, 'Ana Muñoz');
    await joinThroughUi(bruno.page, e2e.server.url, w.joinCode, GROUPS[0]!.name, 'Bruno Díaz');
    const a = ana.page;
    const brunoText = () => firstEditor(bruno.page).innerText();

    await firstEditor(a).click();
    await a.keyboard.type('Primera versión acordada: ');
    await a.keyboard.press('Control+b');
    await a.keyboard.type('fortalecer la articulación');
    await a.keyboard.press('Control+b');
    await a.fill('textarea[name=card-text]', 'Alianzas con universidades');
    await a.keyboard.press('Enter');
    await expect.poll(brunoText, { timeout: 3000 }).toContain('fortalecer la articulación');

    await a.click('[data-testid=open-history]');
    const drawer = a.locator('[data-testid=history-drawer]');
    await drawer.locator('input[name=version-label]').fill('Antes de la plenaria');
    await drawer.getByRole('button', { name: 'Guardar', exact: true }).click();
    await drawer.locator('[data-testid=history-notice]').waitFor();
    const named = drawer.locator('[data-kind=named]', { hasText: 'Antes de la plenaria' });
    await named.waitFor();
    expect(await named.textContent()).toMatch(/ahora|hace/);
    expect(await named.textContent()).toContain('Ana Muñoz');
    await drawer.getByRole('button', { name: 'Cerrar el historial' }).click();

    // The edit: the sentence replaced, a card removed.
    await firstEditor(a).click();
    await a.keyboard.press('Control+a');
    await a.keyboard.type('Texto cambiado después');
    const card = a.locator('[data-card-id]', { has: a.locator('textarea') }).first();
    await card.hover();
    await card.getByRole('button', { name: 'Eliminar idea' }).click();
    await expect.poll(brunoText, { timeout: 3000 }).toContain('Texto cambiado después');
    await expect.poll(() => bruno.page.locator('[data-card-id] textarea').count(), { timeout: 3000 }).toBe(0);

    await a.click('[data-testid=open-history]');
    await named.waitFor();
    await named.locator('[data-action=view]').click();
    const content = drawer.locator('[data-testid=version-content]');
    await content.waitFor();
    expect(await content.locator('strong', { hasText: 'fortalecer la articulación' }).count()).toBe(1);
    expect(await content.textContent()).toContain('Alianzas con universidades');
    await shot(a, 'history-version');
    await drawer.getByRole('button', { name: 'Cambios desde entonces' }).click();
    const diff = drawer.locator('[data-testid=version-diff]');
    await diff.waitFor();
    expect(await diff.locator('[data-op=del]').first().textContent()).toContain('Primera versión acordada');
    expect(await diff.locator('[data-op=add]').first().textContent()).toContain('Texto cambiado después');
    expect(await diff.locator('.cards [data-op=del]').textContent()).toContain('Alianzas con universidades');
    await shot(a, 'history-diff');
    await drawer.getByRole('button', { name: 'Volver al historial' }).click();
    await shot(a, 'history-drawer');

    await named.locator('[data-action=restore]').click();
    await named.locator('[data-testid=restore-yes]').click();
    await drawer.locator('[data-testid=history-notice]').waitFor();
    await expect.poll(brunoText, { timeout: 3000 }).toContain('Primera versión acordada: fortalecer la articulación');
    expect(await brunoText()).not.toContain('Texto cambiado');
    await expect.poll(() => firstEditor(a).innerText(), { timeout: 3000 }).toContain('Primera versión acordada');
    await expect.poll(() => bruno.page.locator('[data-card-id] textarea').inputValue(), { timeout: 3000 }).toBe('Alianzas con universidades');
    // The state before the restore is kept.
    await drawer.locator('[data-kind=before-restore]').first().waitFor();

    // Someone from another group reads the history but may not restore.
    const carla = await newPerson(e2e.browser, { width: 390, height: 844 });
    await joinThroughUi(carla.page, e2e.server.url, w.joinCode, GROUPS[1]!.name, 'Carla');
    await carla.page.goto(a.url());
    await waitConnected(carla.page);
    await carla.page.click('[data-testid=open-history]');
    const other = carla.page.locator('[data-testid=history-drawer]');
    await other.locator('[data-testid=history-blocked][data-reason=readOnly]').waitFor();
    expect(await other.locator('[data-kind=named] [data-action=restore]').isDisabled()).toBe(true);
    await shot(carla.page, 'history-phone-read-only');

    // While locked, the writer may not restore either.
    const lock = await fetch(`${e2e.server.url}/api/workshops/${w.id}/groups/${w.groups[0]!.id}/lock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.facilitatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ locked: true }),
    });
    expect(lock.status).toBe(200);
    await drawer.getByRole('button', { name: 'Actualizar' }).click();
    await drawer.locator('[data-testid=history-blocked][data-reason=locked]').waitFor();
    expect(await named.locator('[data-action=restore]').isDisabled()).toBe(true);

    expect([...ana.errors, ...bruno.errors, ...carla.errors].filter((e) => !e.includes('403'))).toEqual([]);
    await ana.context.close();
    await bruno.context.close();
    await carla.context.close();
  });

  it('a workshop created from the built-in template has its four groups, agenda and sections', async () => {
    const f = await newPerson(e2e.browser);
    await f.page.goto(e2e.server.url);
    const picker = f.page.locator('[data-testid=template-picker]');
    await picker.locator('[data-template=red-de-proyectos]').click();
    await expect.poll(() => f.page.locator('[data-testid=group-row]').count()).toBe(4);
    expect(await f.page.locator('input[name=title]').inputValue()).toBe('Taller de intercambio de la red de proyectos');
    await shot(f.page, 'template-picker');
    // Still editable before creating.
    await f.page.locator('input[name=title]').fill('Taller de la red, noviembre');
    await f.page.locator('input[name=group-name]').nth(3).fill('Grupo D: Escalamiento y réplica');
    await f.page.click('button[type=submit]');
    await f.page.locator('[data-testid=join-code]').waitFor();
    const view = await consoleWorkshop(f.page, e2e.server.url);
    expect(view.groups.map((g) => g.name)).toEqual(['Grupo A: Sostenibilidad', 'Grupo B: Cambio Sistémico', 'Grupo C: Articulación de Actores', 'Grupo D: Escalamiento y réplica']);
    expect(view.title).toBe('Taller de la red, noviembre');
    expect(view.session.agenda.map((a) => a.name)).toContain('Lluvia de ideas');
    const consoleUrl = f.page.url();
    await f.page.goto(`${e2e.server.url}/w/${view.id}/g/${view.groups[0]!.id}?as=facilitator`);
    await waitConnected(f.page);
    expect(await f.page.locator('[data-section-id] textarea.heading').first().inputValue()).toBe('Conclusiones y Recomendaciones');

    // The console saves this workshop as a template, which the home page then offers.
    await f.page.goto(consoleUrl);
    await f.page.locator('input[name=template-name]').fill('Red de proyectos (noviembre)');
    await f.page.locator('[data-testid=facilitator-documents] button[type=submit]').click();
    await f.page.locator('[data-testid=facilitator-documents] [role=status]').waitFor();
    await f.page.goto(e2e.server.url);
    await picker.locator('label', { hasText: 'Red de proyectos (noviembre)' }).click();
    expect(await f.page.locator('input[name=group-name]').nth(3).inputValue()).toBe('Grupo D: Escalamiento y réplica');
    expect(f.errors).toEqual([]);
    await f.context.close();
  });
});
