// Clusters in a real browser: a card dragged onto the middle of another makes a cluster,
// which another person sees; the keyboard groups too (select, "Agrupar", type the title);
// a cluster collapses and ungroups; no page errors, and axe finds nothing serious on the
// board with clusters, wide and on a phone (screenshots in test-results/). A cluster takes
// dots as one and the ranking shows its title and cards; anonymous ideas show no author.
import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { browserAvailability, createWorkshop, joinThroughUi, newPerson, type Workshop, useBrowserAndServer } from './browser-harness.js';
import { axeFindings, sendCommand } from './room-setup.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const GROUP = { name: 'Grupo B: Cambio Sistémico', question: '¿Qué cambios estructurales necesitamos?' };
const TEXTS = ['Fondo rotatorio', 'Microcréditos', 'Ferias locales', 'Mercados campesinos', 'Capacitación de líderes'];

/** The card whose text is `text` (a textarea's value is not its text content: found by value). */
async function card(page: Page, text: string): Promise<Locator> {
  const id = await page.evaluate((t) => {
    const area = [...document.querySelectorAll('[data-card-id] textarea')].find((el) => (el as HTMLTextAreaElement).value === t);
    return area?.closest('[data-card-id]')?.getAttribute('data-card-id') ?? null;
  }, text);
  if (!id) throw new Error(`no card "${text}" on the page`);
  return page.locator(`[data-card-id="${id}"]`);
}
/** Card texts of each cluster, by title (in grid order), and of the ungrouped cards. */
const layout = (page: Page) =>
  page.evaluate(() => {
    const texts = (root: Element) => [...root.querySelectorAll('[data-card-id] textarea')].map((t) => (t as HTMLTextAreaElement).value);
    const clusters = [...document.querySelectorAll('[data-cluster-id]')].map((c) => ({ title: (c.querySelector('input.title') as HTMLInputElement).value, cards: texts(c) }));
    const loose = [...document.querySelectorAll('[data-testid=cards] > li > [data-card-id] textarea')].map((t) => (t as HTMLTextAreaElement).value);
    return { clusters, loose };
  });

describe.skipIf(availability.skip)('clusters in a browser', () => {
  const e2e = useBrowserAndServer();
  let workshop: Workshop;

  beforeAll(async () => {
    workshop = await createWorkshop(e2e.server.url, [GROUP]);
  });

  it('drag onto a card, or select and "Agrupar", makes a cluster everyone sees; it collapses and ungroups', { timeout: 90_000 }, async () => {
    const ana = await newPerson(e2e.browser, { width: 1366, height: 900 });
    const bruno = await newPerson(e2e.browser, { width: 390, height: 844 });
    const a = ana.page;
    await joinThroughUi(a, e2e.server.url, workshop.joinCode, GROUP.name, 'Ana');
    await joinThroughUi(bruno.page, e2e.server.url, workshop.joinCode, GROUP.name, 'Bruno');
    for (const text of TEXTS) {
      await a.fill('textarea[name=card-text]', text);
      await a.keyboard.press('Enter');
    }
    await expect.poll(() => a.locator('[data-card-id]').count()).toBe(TEXTS.length);

    // Drag "Microcréditos" by its handle onto the middle of "Fondo rotatorio".
    const dragged = await card(a, 'Microcréditos');
    await dragged.hover();
    const handle = (await dragged.locator('.handle').boundingBox())!;
    await a.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await a.mouse.down();
    // Chromium reports drag-overs only once its drag session runs: move, wait, then move on.
    await a.mouse.move(handle.x, handle.y, { steps: 2 });
    await a.waitForTimeout(300);
    const middleOf = async (l: Locator) => {
      const box = (await l.boundingBox())!;
      return [box.x + box.width / 2, box.y + box.height / 2] as const;
    };
    let [x, y] = await middleOf(await card(a, 'Fondo rotatorio'));
    await a.mouse.move(x, y, { steps: 6 });
    await a.waitForTimeout(150);
    // Passing its edge may have swapped the two: go to its middle where it is now.
    [x, y] = await middleOf(await card(a, 'Fondo rotatorio'));
    await a.mouse.move(x, y, { steps: 4 });
    await (await card(a, 'Fondo rotatorio')).locator('.group-hint').waitFor({ timeout: 2000 });
    await a.mouse.up();
    await expect.poll(() => layout(a)).toEqual({ clusters: [{ title: '', cards: ['Fondo rotatorio', 'Microcréditos'] }], loose: TEXTS.slice(2) });
    await a.locator('[data-cluster-id] input.title').fill('Financiamiento');
    await bruno.page.getByRole('tab', { name: /Ideas/ }).click();
    await expect.poll(() => layout(bruno.page), { timeout: 3000 }).toEqual({ clusters: [{ title: 'Financiamiento', cards: ['Fondo rotatorio', 'Microcréditos'] }], loose: TEXTS.slice(2) });

    // The keyboard: select two cards, "Agrupar", and the new cluster's title has the focus.
    for (const text of ['Ferias locales', 'Mercados campesinos']) {
      await (await card(a, text)).locator('[data-testid=select-card]').focus();
      await a.keyboard.press('Space');
    }
    await a.locator('[data-testid=selection-bar]').getByText('2 ideas elegidas').waitFor();
    await a.locator('[data-testid=group-selected]').focus();
    await a.keyboard.press('Enter');
    await expect.poll(() => a.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('cluster-title');
    await a.keyboard.type('Mercados');
    await expect.poll(() => layout(bruno.page), { timeout: 3000 }).toEqual({
      clusters: [{ title: 'Financiamiento', cards: ['Fondo rotatorio', 'Microcréditos'] }, { title: 'Mercados', cards: ['Ferias locales', 'Mercados campesinos'] }],
      loose: ['Capacitación de líderes'],
    });

    mkdirSync('test-results', { recursive: true });
    const findings: Record<string, unknown> = {};
    await a.waitForTimeout(400);
    await a.screenshot({ path: 'test-results/clusters-wide.png', fullPage: true });
    await bruno.page.screenshot({ path: 'test-results/clusters-phone.png', fullPage: true });
    for (const [name, page] of [['wide', a], ['phone', bruno.page]] as const) {
      const found = await axeFindings(page);
      if (found.length > 0) findings[name] = found;
    }
    expect(findings).toEqual({});

    // Collapse from the keyboard: the cards are hidden for everyone, the count stays.
    const first = a.locator('[data-cluster-id]').first();
    await first.locator('[data-testid=cluster-collapse]').focus();
    await a.keyboard.press('Enter');
    await expect.poll(() => bruno.page.locator('[data-cluster-id]').first().locator('[data-testid=cluster-collapse]').getAttribute('aria-expanded')).toBe('false');
    expect(await bruno.page.locator('[data-cluster-id]').first().locator('[data-card-id]').count()).toBe(0);
    await a.waitForTimeout(400); // the grid's move animation
    await a.screenshot({ path: 'test-results/clusters-collapsed.png', fullPage: true });
    // Ungroup the other: its cards stay on the board.
    await a.locator('[data-cluster-id]').nth(1).locator('[data-testid=cluster-ungroup]').click();
    await expect.poll(() => layout(bruno.page), { timeout: 3000 }).toMatchObject({ clusters: [{ title: 'Financiamiento', cards: [] }] });
    expect((await layout(bruno.page)).loose.sort()).toEqual(['Capacitación de líderes', 'Ferias locales', 'Mercados campesinos']);

    expect([...ana.errors, ...bruno.errors]).toEqual([]);
    await ana.context.close();
    await bruno.context.close();
  });

  it('a cluster takes dots as one and the ranking shows it; while ideas are anonymous, a new card shows no author', async () => {
    const w = await createWorkshop(e2e.server.url, [GROUP], 'Taller de votos');
    const ana = await newPerson(e2e.browser, { width: 1366, height: 900 });
    const a = ana.page;
    await joinThroughUi(a, e2e.server.url, w.joinCode, GROUP.name, 'Ana');
    for (const text of TEXTS.slice(0, 3)) {
      await a.fill('textarea[name=card-text]', text);
      await a.keyboard.press('Enter');
    }
    for (const text of TEXTS.slice(0, 2)) await (await card(a, text)).locator('[data-testid=select-card]').check();
    await a.locator('[data-testid=group-selected]').click();
    await a.keyboard.type('Financiamiento');
    const groupId = w.groups[0]!.id;
    expect((await sendCommand(e2e.server.url, w.facilitatorToken, { type: 'vote:open', groupIds: [groupId], budget: 3, maxPerCard: 2, results: 'live' })).ok).toBe(true);
    const cluster = a.locator('[data-cluster-id]');
    await cluster.locator('header + .extra [data-testid=dot-plus]').click();
    await cluster.locator('header + .extra [data-testid=dot-plus]').click();
    await expect.poll(() => cluster.locator('.extra [data-testid=dot-controls]').getAttribute('data-dots')).toBe('2');
    const ranked = a.locator('[data-testid=vote-bar] [data-ranked-card^="cluster:"]');
    await expect.poll(() => ranked.textContent(), { timeout: 3000 }).toContain('Financiamiento');
    expect(await ranked.textContent()).toContain('Fondo rotatorio · Microcréditos');
    const found = await axeFindings(a);
    expect(JSON.stringify(found)).toBe('[]');
    expect((await sendCommand(e2e.server.url, w.facilitatorToken, { type: 'vote:close' })).ok).toBe(true);

    expect((await sendCommand(e2e.server.url, w.facilitatorToken, { type: 'anonymous:set', enabled: true })).ok).toBe(true);
    await a.locator('[data-testid=anonymous-note]').waitFor();
    await a.fill('textarea[name=card-text]', 'Idea sin nombre');
    await a.keyboard.press('Enter');
    await expect.poll(async () => (await card(a, 'Idea sin nombre')).locator('.byline').textContent()).toMatch(/^Anónima · /);
    expect(await (await card(a, 'Ferias locales')).locator('.byline').textContent()).toMatch(/^Ana · /);
    mkdirSync('test-results', { recursive: true });
    await a.screenshot({ path: 'test-results/clusters-vote-anonymous.png', fullPage: true });
    expect(ana.errors).toEqual([]);
    await ana.context.close();
  });
});
