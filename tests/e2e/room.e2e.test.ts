// The room's experience in Chromium, on a workshop with real content (the fixtures'
// conclusions, a dozen cards, a closed vote, a phase running): every page passes axe-core
// with no serious or critical finding, in Spanish and English; a phone shows the group,
// the timer and the draft first; the laptop keeps the draft high; other groups' cards
// are named in the ranking; the projector keeps the join code, pages a long board and
// shows announcements; the console shows the join code first. No page error anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserAvailability, launchChromium, newPerson, startE2eServer, waitConnected, type E2eServer } from './browser-harness.js';
import { actAs, axeFindings, CARD_TEXTS, D_CARD, prepareRoom, sendCommand, type Room } from './room-setup.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 900 };
type Lang = 'es' | 'en';
const LOCALE: Record<Lang, string> = { es: 'es-ES', en: 'en-GB' };

const box = async (page: Page, selector: string) => {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not shown`);
  return b;
};

describe.skipIf(availability.skip)('the room’s experience', () => {
  let server: E2eServer;
  let browser: Browser;
  const rooms: Partial<Record<Lang, Room>> = {};
  const room = async (lang: Lang) => (rooms[lang] ??= await prepareRoom(server.url, lang === 'es' ? 'Encuentro de Innovación Social' : 'Social Innovation Gathering'));

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const lang of ['es', 'en'] as const) {
    it(`every page passes axe-core with real content (${lang})`, async () => {
      const r = await room(lang);
      const locale = LOCALE[lang];
      const findings: Record<string, unknown> = {};
      const check = async (name: string, page: Page) => {
        const found = await axeFindings(page);
        if (found.length > 0) findings[name] = found;
      };

      const visitor = await newPerson(browser, { locale, ...LAPTOP });
      await visitor.page.goto(server.url);
      await visitor.page.locator('input[name=title]').waitFor();
      await check('home', visitor.page);
      await visitor.page.goto(`${server.url}/join/${r.w.joinCode}`);
      await visitor.page.locator('label.group').first().waitFor();
      await check('join', visitor.page);

      for (const size of [LAPTOP, PHONE]) {
        const ana = await newPerson(browser, { locale, ...size });
        await actAs(ana.context, r.w.id, r.ana);
        await ana.page.goto(`${server.url}/w/${r.w.id}/g/${r.B}`);
        await waitConnected(ana.page);
        await ana.page.locator('[data-testid=vote-results] li').first().waitFor({ state: 'attached' });
        await check(`board ${size.width}`, ana.page);
        if (size === PHONE) {
          await ana.page.click('[data-testid=tab-ideas]');
          await ana.page.locator('[data-card-id]').first().waitFor();
          await check('board ideas tab 390', ana.page);
        }
        expect(ana.errors).toEqual([]);
        await ana.context.close();
      }

      const facilitator = await newPerson(browser, { locale, ...LAPTOP });
      await facilitator.page.goto(`${server.url}/w/${r.w.id}/facilitate#k=${encodeURIComponent(r.w.facilitatorToken)}`);
      await facilitator.page.locator('[data-testid=live-console][data-status=connected]').waitFor();
      await facilitator.page.locator('[data-testid=voting-panel] [data-testid=ranking] li').first().waitFor();
      await check('console', facilitator.page);

      await facilitator.page.click('[data-testid=link-create-projector]');
      const link = await facilitator.page.locator('[data-testid=link-projector] input').inputValue();
      const projector = await newPerson(browser, { locale, width: 1920, height: 1080 });
      await projector.page.goto(link);
      await projector.page.locator('[data-testid=projector-join] [data-testid=ranking] li').first().waitFor();
      await check('projector, ranking', projector.page);
      await facilitator.page.locator(`[data-group-id="${r.B}"] [data-testid=spotlight-toggle]`).click();
      await projector.page.locator('[data-testid=projector-board] .card').first().waitFor();
      await check('projector, board', projector.page);
      await facilitator.page.locator(`[data-group-id="${r.B}"] [data-testid=spotlight-toggle]`).click();

      await facilitator.page.goto(`${server.url}/w/${r.w.id}/export`);
      await facilitator.page.locator('iframe').first().waitFor();
      await check('export', facilitator.page);

      expect(findings).toEqual({});
      expect([...visitor.errors, ...facilitator.errors, ...projector.errors]).toEqual([]);
      for (const p of [visitor, facilitator, projector]) await p.context.close();
    }, 120_000);
  }

  it('a phone shows the group, the timer and the start of the draft on the first screen; the ideas are a tab', async () => {
    const r = await room('es');
    const ana = await newPerson(browser, { ...PHONE });
    await actAs(ana.context, r.w.id, r.ana);
    const p = ana.page;
    await p.goto(`${server.url}/w/${r.w.id}/g/${r.B}`);
    await waitConnected(p);
    for (const selector of ['[data-testid=board-title]', '[data-testid=session-strip] [data-testid=timer-clock]', '[data-section-id] .tiptap']) {
      const b = await box(p, selector);
      expect(b.y, selector).toBeGreaterThanOrEqual(0);
      expect(b.y + Math.min(b.height, 40), selector).toBeLessThanOrEqual(PHONE.height);
    }
    expect(await p.locator('[data-testid=board-title]').textContent()).toBe('Grupo B: Cambio Sistémico');
    // The cards wait behind their tab, which says how many there are.
    expect(await p.locator('[data-card-id]').first().isVisible()).toBe(false);
    expect(await p.locator('[data-testid=tab-ideas]').textContent()).toContain(String(CARD_TEXTS.length));
    await p.click('[data-testid=tab-ideas]');
    await p.locator('[data-card-id]').first().waitFor();
    expect(await p.locator('[data-section-id] .tiptap').first().isVisible()).toBe(false);
    // Arrow keys move between the tabs (one tab stop).
    await p.locator('[data-testid=tab-ideas]').focus();
    await p.keyboard.press('ArrowLeft');
    await expect.poll(() => p.locator('[data-testid=tab-draft]').getAttribute('aria-selected')).toBe('true');
    // Asking for less motion stills the transitions (and the timer's blink, the cards' slide).
    const transition = () => p.locator('[data-testid=open-history]').evaluate((el) => getComputedStyle(el).transitionDuration);
    expect(Number.parseFloat(await transition())).toBeGreaterThan(0.1);
    await p.emulateMedia({ reducedMotion: 'reduce' });
    expect(Number.parseFloat(await transition())).toBeLessThan(0.001);
    expect(ana.errors).toEqual([]);
    await ana.context.close();
  }, 60_000);

  it('on a phone the toolbar docks at the bottom and never covers the caret, even writing at the end of a long draft', async () => {
    const r = await room('es');
    const ana = await newPerson(browser, { ...PHONE });
    await actAs(ana.context, r.w.id, r.ana);
    const p = ana.page;
    await p.goto(`${server.url}/w/${r.w.id}/g/${r.B}`);
    await waitConnected(p);
    const editor = p.locator('[data-section-id] .tiptap').first();
    await editor.click();
    await p.keyboard.press('Control+End');
    for (let i = 0; i < 6; i++) {
      await p.keyboard.press('Enter');
      await p.keyboard.type(`Línea nueva ${i + 1} escrita desde el teléfono`);
    }
    const toolbar = p.locator('.toolbar-slot.docked');
    await toolbar.waitFor();
    const bar = (await toolbar.boundingBox())!;
    expect(bar.y + bar.height).toBeLessThanOrEqual(PHONE.height + 1);
    await expect.poll(async () => {
      const caret = await p.evaluate(() => {
        const range = window.getSelection()?.getRangeAt(0);
        const r = range?.getClientRects()[0] ?? range?.getBoundingClientRect();
        return r ? { top: r.top, bottom: r.bottom } : null;
      });
      const t = (await toolbar.boundingBox())!;
      return caret !== null && caret.bottom <= t.y && caret.top >= 0;
    }).toBe(true);
    expect(ana.errors).toEqual([]);
    await ana.context.close();
  }, 60_000);

  it('on a 1366×900 laptop the draft starts high even with an announcement and the results, and the results name other groups’ cards', async () => {
    const r = await room('es');
    await sendCommand(server.url, r.w.facilitatorToken, { type: 'announce', text: 'Quedan 5 minutos: terminen la idea en la que están.', groupId: null });
    const bruno = await newPerson(browser, { ...LAPTOP });
    await actAs(bruno.context, r.w.id, r.bruno);
    const p = bruno.page;
    await p.goto(`${server.url}/w/${r.w.id}/g/${r.D}`);
    await waitConnected(p);
    await p.locator('[data-testid=announcement]').waitFor();
    const results = p.locator('[data-testid=vote-results]');
    await results.locator('li').first().waitFor();
    expect((await box(p, '[data-section-id] .tiptap')).y).toBeLessThan(450);
    // Open, with a visible arrow; Bruno (group D) reads B's cards by their words.
    expect(await results.getAttribute('open')).not.toBeNull();
    expect(await results.locator('summary .chevron svg').isVisible()).toBe(true);
    const texts = await results.locator('[data-ranked-card] .text').allTextContents();
    expect(texts).toEqual(['Medir impacto, no actividad', D_CARD, 'Financiamiento público-privado sostenible']);
    expect(texts.join(' ')).not.toContain('Tarjeta de');
    expect(bruno.errors).toEqual([]);
    await bruno.context.close();
  }, 60_000);
});
