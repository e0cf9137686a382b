// Brazilian Portuguese in a real browser: a Chromium whose language is pt-BR gets the
// home page, the console, the join page, a board and the export page in Portuguese — no catalogue key and
// no Spanish word left on screen, nothing wider than a phone — and the switch offers
// all three languages. Screenshots land in test-results/pt/ for a person to look at.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { es } from '../../client/lib/i18n/es.js';
import { browserAvailability, launchChromium, newPerson, startE2eServer, waitConnected, type E2eServer } from './browser-harness.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const SHOTS = 'test-results/pt';
const SIZES = [{ width: 1366, height: 900 }, { width: 390, height: 844 }] as const;
const KEYS = Object.keys(es).filter((k) => k.includes('.'));

/** Everything a person reads or hears on the page: its text and the labels, titles and placeholders. */
const readable = (page: Page) =>
  page.evaluate(() => {
    const attrs = [...document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')].flatMap((el) =>
      ['aria-label', 'title', 'placeholder', 'alt'].map((a) => el.getAttribute(a) ?? ''),
    );
    return [document.body.innerText, ...attrs].join('\n');
  });

async function expectPortuguese(page: Page, where: string): Promise<void> {
  const text = await readable(page);
  expect(KEYS.filter((k) => text.includes(k)), `catalogue keys on ${where}`).toEqual([]);
  // The Spanish words for workshop and board: a string left out of the catalogue would show them.
  expect(text.match(/\b(taller|tablero|borrador|añadir)\b/gi), `Spanish on ${where}`).toBeNull();
}

/** Screenshots at both sizes; at the phone's width nothing may make the page scroll sideways. */
async function shoot(page: Page, name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${size.width}px`).toBeLessThanOrEqual(size.width);
    await page.screenshot({ path: `${SHOTS}/${name}-${size.width}.png`, fullPage: true });
  }
}

describe.skipIf(availability.skip)('Brazilian Portuguese in a browser', () => {
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startE2eServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a pt-BR browser gets the home page, console and board in Portuguese, and a workshop created there is in Portuguese', async () => {
    const facilitator = await newPerson(browser, { locale: 'pt-BR', width: 1366, height: 900 });
    const f = facilitator.page;
    await f.goto(server.url);
    await expect.poll(() => f.evaluate(() => document.documentElement.lang)).toBe('pt');
    await expect.poll(() => f.locator('h1').first().textContent()).toBe('Escrevam juntos as conclusões da oficina');
    expect(await f.locator('select[name=language]').inputValue()).toBe('pt');
    expect(await f.locator('select[name=language] option').allTextContents()).toEqual(['Español', 'English', 'Português']);
    const choices = f.getByRole('group', { name: 'Idioma' }).getByRole('button');
    expect(await choices.allTextContents()).toEqual(['ES', 'EN', 'PT']);
    expect(await f.getByRole('group', { name: 'Idioma' }).getByRole('button', { name: 'PT', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await expectPortuguese(f, 'the home page');
    await shoot(f, 'home');

    await f.setViewportSize(SIZES[0]);
    await f.fill('input[name=title]', 'Encontro de Inovação Social 2025');
    await f.locator('input[name=group-name]').nth(0).fill('Grupo B: Mudança Sistêmica');
    await f.locator('textarea[name=group-question]').nth(0).fill('Que mudanças estruturais são necessárias para transformar o sistema?');
    await f.locator('input[name=group-name]').nth(1).fill('Grupo D: Escalonamento');
    await f.click('button[type=submit]');
    await f.locator('[data-testid=join-code]').waitFor();
    await expectPortuguese(f, 'the console');
    await shoot(f, 'console');
    const code = ((await f.textContent('[data-testid=join-code]')) ?? '').trim();

    const ana = await newPerson(browser, { locale: 'pt-BR', width: 1366, height: 900 });
    const a = ana.page;
    await a.goto(`${server.url}/join/${code}`);
    await a.locator('label.group', { hasText: 'Grupo B' }).click();
    await a.fill('input[name=name]', 'Ana Conceição');
    await expectPortuguese(a, 'the join page');
    await a.click('button[type=submit]');
    await waitConnected(a);
    await expect.poll(() => a.getByLabel('Título da seção').first().inputValue()).toBe('Conclusões e Recomendações');
    await a.fill('textarea[name=card-text]', 'Fortalecer os espaços que já existem');
    await a.keyboard.press('Enter');
    await a.locator('[data-card-id]').first().waitFor();
    await expectPortuguese(a, 'the board');
    await shoot(a, 'board');

    // The export page, and its preview: the workshop's own language labels the document.
    await f.click('[data-testid=open-export]');
    await f.waitForURL(/\/export$/);
    await f.locator('input[name=export-annex]').check();
    const preview = () => f.frameLocator('[data-testid=export-preview]').locator('body').innerText();
    await expect.poll(preview, { timeout: 5000 }).toContain('Anexo: cartões priorizados');
    expect(await preview()).toContain('Conclusões e Recomendações');
    await expectPortuguese(f, 'the export page');
    await shoot(f, 'export');

    // The switch takes the page to Spanish and back; the choice outlives a reload.
    await a.getByRole('group', { name: 'Idioma' }).getByRole('button', { name: 'ES', exact: true }).click();
    await expect.poll(() => a.evaluate(() => document.documentElement.lang)).toBe('es');
    await a.getByRole('group', { name: 'Idioma' }).getByRole('button', { name: 'PT', exact: true }).click();
    await a.reload();
    await expect.poll(() => a.evaluate(() => document.documentElement.lang)).toBe('pt');
    expect([...facilitator.errors, ...ana.errors]).toEqual([]);
    await facilitator.context.close();
    await ana.context.close();
  });
});
