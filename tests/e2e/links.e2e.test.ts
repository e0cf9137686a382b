// The console's Access panel in a real browser: the facilitator sees the links in use,
// revokes a participant's (after a confirmation) and that participant's open board says its
// access is no longer valid; changes the join code (the page shows the new one) and closes
// joining, which the join page explains in Spanish and English.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  browserAvailability, createWorkshop, joinThroughUi, launchChromium, newPerson, startE2eServer, type E2eServer,
} from './browser-harness.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const SHOTS = 'test-results/screens';
const GROUPS = [{ name: 'Grupo B: Cambio Sistémico', question: '¿Qué cambios estructurales necesitamos?' }];

describe.skipIf(availability.skip)('the console’s Access panel', () => {
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists links, revokes a participant’s, rotates the code and closes joining', async () => {
    const w = await createWorkshop(server.url, GROUPS);
    const ana = await newPerson(browser);
    await joinThroughUi(ana.page, server.url, w.joinCode, GROUPS[0]!.name, 'Ana');

    const facilitator = await newPerson(browser);
    const f = facilitator.page;
    await f.goto(`${server.url}/w/${w.id}/facilitate#k=${encodeURIComponent(w.facilitatorToken)}`);
    const rows = f.locator('[data-testid=access-panel] [data-testid=link-row]');
    await rows.nth(1).waitFor({ timeout: 10_000 });
    expect(await rows.count()).toBe(2);
    expect(await f.locator('[data-testid=link-row][data-current=true]').textContent()).toContain('Este navegador');

    // Revoke Ana's link: asked first, then her open board says her access ended.
    const anaRow = rows.filter({ hasText: 'Ana' });
    await anaRow.locator('[data-testid=revoke-link]').click();
    const dialog = f.locator('[data-testid=confirm-revoke]');
    await dialog.waitFor();
    await dialog.locator('[data-action=confirm]').click();
    await anaRow.waitFor({ state: 'detached', timeout: 5_000 });
    await ana.page.getByText('Tu acceso ya no es válido').waitFor({ timeout: 10_000 });

    // A new join code replaces the old one on the page.
    await f.locator('[data-testid=rotate-join-code]').click();
    await f.locator('[data-testid=confirm-rotate] [data-action=confirm]').click();
    const code = f.locator('[data-testid=join-code]');
    await f.waitForFunction((old) => document.querySelector('[data-testid=join-code]')?.textContent?.trim() !== old, w.joinCode);
    const newCode = (await code.textContent())!.trim();
    expect(newCode).toMatch(/^[A-Z2-9]{6}$/);

    // Closing joining: the join page says so, in the person's language.
    await f.locator('[data-testid=joining-toggle]').click();
    await f.locator('[data-testid=joining][data-open=false]').waitFor({ timeout: 5_000 });
    mkdirSync(SHOTS, { recursive: true });
    await f.locator('[data-testid=access-panel]').screenshot({ path: `${SHOTS}/access-panel.png` });
    for (const [locale, text] of [['es-ES', 'La facilitación cerró la entrada'], ['en-GB', 'The facilitators have closed joining']] as const) {
      const late = await newPerson(browser, { locale });
      await late.page.goto(`${server.url}/join/${newCode}`);
      await late.page.getByText(text).waitFor({ timeout: 10_000 });
      await late.context.close();
    }
    expect(facilitator.errors.filter((e) => !e.includes('401') && !e.includes('423'))).toEqual([]);
    await facilitator.context.close();
    await ana.context.close();
  });
});
