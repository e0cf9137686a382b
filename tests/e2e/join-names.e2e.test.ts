// The join page applies the shared name rule before asking the server, and says what
// is wrong in the page's language; a good name still gets in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { en } from '../../client/lib/i18n/en.js';
import { es } from '../../client/lib/i18n/es.js';
import { browserAvailability, createWorkshop, launchChromium, newPerson, startE2eServer, waitConnected, type E2eServer } from './browser-harness.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const GROUPS = [{ name: 'Grupo A', question: '' }];

describe.skipIf(availability.skip)('names on the join page', () => {
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

  it.each([
    ['es-ES', es],
    ['en-GB', en],
  ])('in %s, a name with a direction override or nothing visible is refused with a message; a real one joins', async (locale, messages) => {
    const w = await createWorkshop(server.url, GROUPS);
    const person = await newPerson(browser, { locale });
    const { page } = person;
    await page.goto(`${server.url}/join/${w.joinCode}`);
    const problem = page.locator('form .problem');
    for (const [name, key] of [['abc\u202Eevil', 'join.nameFormat'], ['\u200B', 'join.nameFormat'], ['\u3164', 'join.nameInvisible']] as const) {
      await page.fill('input[name=name]', name);
      await page.click('button[type=submit]');
      await expect.poll(() => problem.textContent()).toBe(messages[key]);
      expect(page.url()).toContain('/join/');
    }
    await page.fill('input[name=name]', 'Ana Núñez');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/w\/[^/]+\/g\/[^/]+$/);
    await waitConnected(page);
    expect(person.errors).toEqual([]);
    await person.context.close();
  });
});
