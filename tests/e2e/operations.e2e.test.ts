// Operating the service, seen from a real browser: a page older than the server is told
// to reload (in Spanish and English) and its button reloads it; a facilitator deletes a
// workshop from the console's danger zone, after typing its title, and everyone still
// connected is told it is gone.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { PROTOCOL_VERSION } from '../../shared/protocol.js';
import {
  browserAvailability, createWorkshop, joinThroughUi, launchChromium, newPerson, startE2eServer, type E2eServer,
} from './browser-harness.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const SHOTS = 'test-results/screens';
const GROUPS = [{ name: 'Grupo B: Cambio Sistémico', question: '¿Qué cambios estructurales necesitamos?' }];

describe.skipIf(availability.skip)('a page older than the server', () => {
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    // The server was deployed after these pages were built: it no longer accepts their protocol.
    server = await startE2eServer({ protocol: { current: PROTOCOL_VERSION + 1, minimum: PROTOCOL_VERSION + 1 } });
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it.each([
    ['es-ES', 'Relatoría se actualizó', 'Recargar la página'],
    ['en-GB', 'Relatoría has been updated', 'Reload the page'],
  ])('in %s, the board page says so and offers to reload; the button reloads it', async (locale, title, button) => {
    const w = await createWorkshop(server.url, GROUPS);
    const person = await newPerson(browser, { locale });
    const page: Page = person.page;
    await joinThroughUi(page, server.url, w.joinCode, GROUPS[0]!.name, 'Ana');

    const banner = page.locator('[data-testid=reload-banner]');
    await banner.waitFor({ timeout: 5_000 });
    expect(await banner.textContent()).toContain(title);
    expect((await page.locator('[data-testid=reload-page]').textContent())?.trim()).toBe(button);
    await page.screenshot({ path: `${SHOTS}/reload-banner-${locale}.png` });

    // The button reloads the page (a fresh navigation of the same address).
    const url = page.url();
    const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()));
    expect(marker).toBeTypeOf('number');
    await Promise.all([page.waitForEvent('load'), page.locator('[data-testid=reload-page]').click()]);
    expect(page.url()).toBe(url);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBeUndefined();
    await person.context.close();
  });

  it('the console shows it too, and does not claim its key was refused', async () => {
    const w = await createWorkshop(server.url, GROUPS);
    const { page, context } = await newPerson(browser, { locale: 'es-ES' });
    await page.goto(`${server.url}/w/${w.id}/facilitate#k=${encodeURIComponent(w.facilitatorToken)}`);
    await page.locator('[data-testid=reload-banner]').waitFor({ timeout: 5_000 });
    await page.locator('[data-testid=live-console][data-status=outdated]').waitFor();
    expect(await page.getByText('La sesión rechazó esta clave de facilitación.').count()).toBe(0);
    await context.close();
  });
});

describe.skipIf(availability.skip)('deleting a workshop from the console', () => {
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks for the title, deletes, and everyone still on a page of it sees that it is gone', async () => {
    const w = await createWorkshop(server.url, GROUPS, 'Taller de Cartagena, año 2026');
    const facilitator = await newPerson(browser, { locale: 'es-ES' });
    const ana = await newPerson(browser, { locale: 'en-GB' });
    const f = facilitator.page;
    await f.goto(`${server.url}/w/${w.id}/facilitate#k=${encodeURIComponent(w.facilitatorToken)}`);
    await f.locator('[data-testid=live-console][data-status=connected]').waitFor({ timeout: 10_000 });
    await joinThroughUi(ana.page, server.url, w.joinCode, GROUPS[0]!.name, 'Ana');

    await f.locator('[data-testid=delete-workshop]').click();
    const confirm = f.locator('[data-testid=confirm-delete]');
    await f.fill('input[name=delete-confirm]', 'Taller de Cartagena');
    expect(await confirm.isDisabled()).toBe(true);
    await f.fill('input[name=delete-confirm]', '  Taller de Cartagena, año 2026 ');
    expect(await confirm.isDisabled()).toBe(false);
    await f.locator('[data-testid=danger-zone]').screenshot({ path: `${SHOTS}/danger-zone-es-ES.png` });
    await confirm.click();

    await f.locator('[data-testid=workshop-deleted]').waitFor({ timeout: 5_000 });
    expect(await f.locator('[data-testid=workshop-deleted] h1').textContent()).toBe('Este taller fue eliminado');
    await f.screenshot({ path: `${SHOTS}/workshop-deleted-console-es-ES.png` });
    // The console forgot the key: the workshop is gone from this browser too.
    expect(await f.evaluate((id) => window.localStorage.getItem(`relatoria:facilitator:${id}`), w.id)).toBeNull();

    await ana.page.locator('[data-testid=workshop-deleted]').waitFor({ timeout: 5_000 });
    expect(await ana.page.locator('[data-testid=workshop-deleted] h1').textContent()).toBe('This workshop was deleted');
    await ana.page.screenshot({ path: `${SHOTS}/workshop-deleted-board-en-GB.png` });
    expect(await server.store.getWorkshop(w.id)).toBeNull();
    expect([...facilitator.errors, ...ana.errors].filter((e) => !/WebSocket|Failed to load resource/.test(e))).toEqual([]);
  });
});
