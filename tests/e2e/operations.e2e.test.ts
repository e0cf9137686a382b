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
