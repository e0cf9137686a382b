// The board in a real browser against a real server: people join through the join
// page and write together; what one types reaches the other within a second.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  browserAvailability, createWorkshop, firstEditor, joinThroughUi, launchChromium, newPerson, startE2eServer,
  waitConnected, type E2eServer, type Workshop,
} from './browser-harness.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const GROUPS = [
  { name: 'Grupo B: Cambio Sistémico', question: '¿Qué cambios estructurales necesitamos?' },
  { name: 'Grupo D: Escalamiento', question: '¿Cómo escalamos lo que funciona?' },
];

/** Resolves once `text` shows in the locator, failing after `ms`. */
async function seesText(page: Page, selector: string, text: string, ms: number): Promise<void> {
  await page.waitForFunction(
    ([sel, expected]) => [...document.querySelectorAll(sel as string)].some((el) => el.textContent?.includes(expected as string)),
    [selector, text],
    { timeout: ms },
  );
}

describe.skipIf(availability.skip)('the board in a browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let workshop: Workshop;

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
    workshop = await createWorkshop(server.url, GROUPS);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('two people who joined one group see each other’s text and cards within a second', async () => {
    const ana = await newPerson(browser);
    const bruno = await newPerson(browser);
    await joinThroughUi(ana.page, server.url, workshop.joinCode, GROUPS[0]!.name, 'Ana Muñoz');
    await joinThroughUi(bruno.page, server.url, workshop.joinCode, GROUPS[0]!.name, 'Bruno Díaz');
    expect(ana.page.url()).toBe(bruno.page.url());
    await expect.poll(() => ana.page.textContent('[data-testid=board-title]')).toBe(GROUPS[0]!.name);

    const sentence = 'Fortalecer la articulación: ¿años de señales? ¡Sí!';
    await firstEditor(ana.page).click();
    await ana.page.keyboard.type(sentence);
    await seesText(bruno.page, '[data-section-id] .tiptap', sentence, 1000);

    await ana.page.fill('textarea[name=card-text]', 'Liderazgo local y compañía');
    await ana.page.keyboard.press('Enter');
    await expect.poll(() => bruno.page.locator('[data-card-id] textarea').inputValue(), { timeout: 1000 }).toBe('Liderazgo local y compañía');

    // Each sees the other in "who is here".
    await bruno.page.locator('[data-testid=presence] [data-name="Ana Muñoz"]').waitFor({ timeout: 2000 });
    await ana.page.locator('[data-testid=presence] [data-name="Bruno Díaz"]').waitFor({ timeout: 2000 });

    mkdirSync('test-results', { recursive: true });
    await ana.page.screenshot({ path: 'test-results/board.png', fullPage: true });
    expect([...ana.errors, ...bruno.errors]).toEqual([]);
    await ana.context.close();
    await bruno.context.close();
  });

  it('bold, lists, footnotes and tables written by one reach the other', async () => {
    const ana = await newPerson(browser);
    const bruno = await newPerson(browser);
    await joinThroughUi(ana.page, server.url, workshop.joinCode, GROUPS[0]!.name, 'Ana');
    await joinThroughUi(bruno.page, server.url, workshop.joinCode, GROUPS[0]!.name, 'Bruno');
    const a = ana.page;
    await a.click('[data-testid=draft-add-section]');
    const section = a.locator('[data-section-id]').last();
    const editor = section.locator('.tiptap');
    await editor.click();
    await a.keyboard.press('Control+b');
    await a.keyboard.type('Clave:');
    await a.keyboard.press('Control+b');
    await a.keyboard.type(' escalar');
    await section.locator('[data-tool=footnote]').click();
    await a.keyboard.type('Nota de la mañana');
    await a.keyboard.press('Enter');
    await a.keyboard.press('Enter');
    await section.locator('[data-tool=bullets]').click();
    await a.keyboard.type('uno');
    await a.keyboard.press('Enter');
    await a.keyboard.press('Tab');
    await a.keyboard.type('anidado');
    await a.keyboard.press('Enter');
    await a.keyboard.press('Enter');
    await a.keyboard.press('Enter');
    await section.locator('[data-tool=table]').click();
    await a.keyboard.type('celda');

    const other = bruno.page.locator('[data-section-id] .tiptap').last();
    // Text as written, without the other person's caret label drawn inside it.
    const written = (el: Element) => {
      const copy = el.cloneNode(true) as Element;
      copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
      return copy.textContent;
    };
    await expect.poll(() => other.locator('table td, table th').first().evaluate(written), { timeout: 2000 }).toBe('celda');
    expect(await other.locator('strong').first().textContent()).toBe('Clave:');
    expect(await other.locator('sup.footnote').first().getAttribute('data-content')).toBe('Nota de la mañana');
    expect(await other.locator('ul ul li').first().textContent()).toBe('anidado');
    await bruno.page.locator('aside li', { hasText: 'Nota de la mañana' }).waitFor();
    expect([...ana.errors, ...bruno.errors]).toEqual([]);
    await ana.context.close();
    await bruno.context.close();
  });

  it('a dragged card shows others who moves it and where, and lands on drop', async () => {
    const ana = await newPerson(browser);
    const bruno = await newPerson(browser);
    await joinThroughUi(ana.page, server.url, workshop.joinCode, GROUPS[1]!.name, 'Ana');
    await joinThroughUi(bruno.page, server.url, workshop.joinCode, GROUPS[1]!.name, 'Bruno');
    const a = ana.page;
    for (const text of ['uno', 'dos', 'tres']) {
      await a.fill('textarea[name=card-text]', text);
      await a.keyboard.press('Enter');
    }
    const order = (page: Page) =>
      page.locator('[data-card-id] textarea').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value).filter((v) => ['uno', 'dos', 'tres'].includes(v)));
    await expect.poll(() => order(bruno.page)).toEqual(['uno', 'dos', 'tres']);

    const last = a.locator('[data-card-id]').filter({ has: a.locator('textarea') }).nth(await a.locator('[data-card-id]').count() - 1);
    await last.hover();
    const handle = await last.locator('.handle').boundingBox();
    const first = await a.locator('[data-card-id]', { has: a.locator('textarea') }).first().boundingBox();
    if (!handle || !first) throw new Error('cards are not on screen');
    await a.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await a.mouse.down();
    // Chromium reports drag-overs only once its drag session runs: move, wait, then move on.
    await a.mouse.move(handle.x, handle.y, { steps: 2 });
    await a.waitForTimeout(300);
    await a.mouse.move(first.x + 20, first.y + 20, { steps: 8 });
    await a.waitForTimeout(100);
    await a.mouse.move(first.x + 24, first.y + 24, { steps: 2 });
    // Mid-drag: Bruno sees the card where it would land, and who moves it.
    await bruno.page.locator('.mover', { hasText: 'Ana' }).waitFor({ timeout: 2000 });
    await expect.poll(() => order(bruno.page), { timeout: 2000 }).toEqual(['tres', 'uno', 'dos']);
    await a.mouse.up();
    await expect.poll(() => order(bruno.page), { timeout: 2000 }).toEqual(['tres', 'uno', 'dos']);
    await expect.poll(() => bruno.page.locator('.mover').count()).toBe(0);

    // The keyboard moves a card too.
    await a.locator('[data-card-id]', { has: a.locator('textarea') }).first().locator('.handle').focus();
    await a.keyboard.press('Alt+ArrowRight');
    await expect.poll(() => order(bruno.page), { timeout: 2000 }).toEqual(['uno', 'tres', 'dos']);
    await ana.context.close();
    await bruno.context.close();
  });

  it('when the server cannot store an edit, says so, retries, and the edit arrives once it can', async () => {
    const ana = await newPerson(browser);
    const bruno = await newPerson(browser);
    await joinThroughUi(ana.page, server.url, workshop.joinCode, GROUPS[0]!.name, 'Ana');
    await joinThroughUi(bruno.page, server.url, workshop.joinCode, GROUPS[0]!.name, 'Bruno');
    const cardTexts = (page: Page) => page.locator('[data-card-id] textarea').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));

    // A store outage: every append to the board log fails until the table is back.
    server.store.db.exec('ALTER TABLE doc_updates RENAME TO doc_updates_away');
    try {
      await ana.page.fill('textarea[name=card-text]', 'Guardada más tarde');
      await ana.page.keyboard.press('Enter');
      await ana.page.locator('[data-testid=board-notice][data-notice=retrying]').waitFor({ timeout: 5000 });
      expect(await cardTexts(bruno.page)).not.toContain('Guardada más tarde');
    } finally {
      server.store.db.exec('ALTER TABLE doc_updates_away RENAME TO doc_updates');
    }
    await expect.poll(() => cardTexts(bruno.page), { timeout: 10_000 }).toContain('Guardada más tarde');
    await expect.poll(() => ana.page.locator('[data-testid=board-notice]').count(), { timeout: 10_000 }).toBe(0);
    await waitConnected(ana.page);
    await ana.context.close();
    await bruno.context.close();
  });

  it('speaks the browser’s language, and remembers a switch', async () => {
    const person = await newPerson(browser, { locale: 'en-US' });
    await person.page.goto(server.url);
    await person.page.getByRole('heading', { name: 'Create a workshop' }).waitFor();
    await person.page.getByRole('button', { name: 'ES', exact: true }).click();
    await person.page.getByRole('heading', { name: 'Crear un taller' }).waitFor();
    await person.page.reload();
    await person.page.getByRole('heading', { name: 'Crear un taller' }).waitFor();
    expect(await person.page.getAttribute('html', 'lang')).toBe('es');
    await person.context.close();
  });

  it('the join page says a wrong code is wrong in the page’s language, never with the server’s English message', async () => {
    const res = await fetch(`${server.url}/api/join/ZZZZZZ`);
    const { error } = (await res.json()) as { error: { message: string } };
    const person = await newPerson(browser);
    await person.page.goto(`${server.url}/join/ZZZZZZ`);
    const shown = person.page.locator('[data-testid=join-error]');
    await shown.waitFor();
    expect(await shown.textContent()).toContain('Ningún taller tiene este código');
    expect(await shown.textContent()).not.toContain(error.message);
    await person.context.close();
  });

  it('a reload of the board page keeps the participant’s identity', async () => {
    const marta = await newPerson(browser);
    await joinThroughUi(marta.page, server.url, workshop.joinCode, GROUPS[1]!.name, 'Marta Peña');
    const boardUrl = marta.page.url();
    await marta.page.reload();
    await waitConnected(marta.page);
    expect(marta.page.url()).toBe(boardUrl);
    await marta.page.locator('[data-testid=presence] [data-name="Marta Peña"]').waitFor({ timeout: 2000 });
    // Cards she writes after the reload are still hers.
    await marta.page.fill('textarea[name=card-text]', 'Escalar con alianzas');
    await marta.page.keyboard.press('Enter');
    await seesText(marta.page, '[data-card-id] .byline', 'Marta Peña', 2000);
    // The join page offers to continue as her.
    await marta.page.goto(`${server.url}/join/${workshop.joinCode}`);
    await marta.page.getByRole('button', { name: /Marta Peña/ }).click();
    await marta.page.waitForURL(boardUrl);
    await marta.context.close();
  });

  it('another group’s board is read-only, and a refused edit is replaced by the server’s copy', async () => {
    const writer = await newPerson(browser);
    const visitor = await newPerson(browser);
    await joinThroughUi(writer.page, server.url, workshop.joinCode, GROUPS[0]!.name, 'Elena');
    await joinThroughUi(visitor.page, server.url, workshop.joinCode, GROUPS[1]!.name, 'Tomás');
    await visitor.page.goto(writer.page.url());
    await waitConnected(visitor.page);
    await visitor.page.locator('[data-testid=read-only-notice]').waitFor();
    expect(await firstEditor(visitor.page).getAttribute('contenteditable')).toBe('false');
    // Only looking writes nothing, so nothing is refused.
    await visitor.page.waitForTimeout(500);
    expect(await visitor.page.locator('[data-testid=board-notice]').count()).toBe(0);

    // Force a write the UI would not offer (as when a board gets locked under someone's fingers).
    const heading = visitor.page.locator('[data-section-id] textarea.heading').first();
    const before = await heading.inputValue();
    await heading.evaluate((el) => el.removeAttribute('readonly'));
    await heading.click();
    await visitor.page.keyboard.type(' XYZ');
    await visitor.page.locator('[data-testid=board-notice][data-notice=denied]').waitFor({ timeout: 5000 });
    await expect.poll(() => visitor.page.locator('[data-section-id] textarea.heading').first().inputValue(), { timeout: 8000 }).toBe(before);
    await waitConnected(visitor.page);
    expect(await writer.page.locator('[data-section-id] textarea.heading').first().inputValue()).toBe(before);
    await writer.context.close();
    await visitor.context.close();
  });

  it('edits made offline reach the others on reconnect', async () => {
    const online = await newPerson(browser);
    const traveller = await newPerson(browser);
    await joinThroughUi(online.page, server.url, workshop.joinCode, GROUPS[1]!.name, 'Inés');
    await joinThroughUi(traveller.page, server.url, workshop.joinCode, GROUPS[1]!.name, 'Raúl');
    await traveller.context.setOffline(true);
    await traveller.page.locator('[data-testid=connection-status][data-state=offline]').waitFor({ timeout: 5000 });
    await traveller.page.fill('textarea[name=card-text]', 'Escrito sin conexión');
    await traveller.page.keyboard.press('Enter');
    await traveller.page.waitForTimeout(300);
    expect(await online.page.locator('[data-card-id] textarea').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value))).not.toContain('Escrito sin conexión');
    await traveller.context.setOffline(false);
    await expect
      .poll(() => online.page.locator('[data-card-id] textarea').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value)), { timeout: 10_000 })
      .toContain('Escrito sin conexión');
    await online.context.close();
    await traveller.context.close();
  });
});
