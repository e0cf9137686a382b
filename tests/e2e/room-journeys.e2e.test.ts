// Journeys through the room in Chromium: the projector keeps latecomers able to join and
// pages a long board; the join page speaks the page's language; a removed person cannot
// rejoin from the same browser; the offline bar stays in view and others' carets fade;
// everything is done by keyboard; live regions say the last minute, a lock and an
// announcement; a dismissed announcement stays dismissed; the console shows the join
// code first, whole group names and figures that agree; an editor is named after its
// section. Each journey listens for page errors and console errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserAvailability, firstEditor, joinThroughUi, launchChromium, newPerson, startE2eServer, waitConnected, type E2eServer } from './browser-harness.js';
import { actAs, CARD_TEXTS, prepareRoom, sendCommand, type Room } from './room-setup.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const LAPTOP = { width: 1366, height: 900 };
/** A 404 the page asks for on purpose (an unknown join code) is the browser's console line, not a page error. */
const unexpected = (errors: string[]) => errors.filter((e) => !/Failed to load resource: the server responded with a status of 40[34]/.test(e));

describe.skipIf(availability.skip)('journeys through the room', () => {
  let server: E2eServer;
  let browser: Browser;
  let shared: Room | undefined;
  const room = async () => (shared ??= await prepareRoom(server.url, 'Encuentro de Innovación Social'));
  const consoleUrl = (r: Room) => `${server.url}/w/${r.w.id}/facilitate#k=${encodeURIComponent(r.w.facilitatorToken)}`;
  const openConsole = async (page: Page, r: Room) => {
    await page.goto(consoleUrl(r));
    await page.locator('[data-testid=live-console][data-status=connected]').waitFor();
  };

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the projector keeps the join code and QR while a board is spotlighted, pages a long board, and shows announcements', async () => {
    const r = await room();
    const facilitator = await newPerson(browser, LAPTOP);
    const f = facilitator.page;
    await openConsole(f, r);
    await f.click('[data-testid=link-create-projector]');
    const link = await f.locator('[data-testid=link-projector] input').inputValue();
    const projector = await newPerson(browser, { width: 1920, height: 1080 });
    const p = projector.page;
    await p.goto(link);
    await p.locator('[data-testid=projector-code]').waitFor();
    await f.locator(`[data-group-id="${r.B}"] [data-testid=spotlight-toggle]`).click();
    await p.locator('[data-testid=projector-board] .card').first().waitFor();
    // Latecomers: the code and its QR stay on screen, whole.
    const join = (await p.locator('[data-testid=projector-mini-join]').boundingBox())!;
    expect(join.y).toBeGreaterThanOrEqual(0);
    expect(join.y + join.height).toBeLessThanOrEqual(1080);
    expect(await p.locator('[data-testid=projector-mini-join]').textContent()).toContain(r.w.joinCode);
    expect(await p.locator('[data-testid=projector-mini-join] [role=img]').count()).toBe(1);
    // The imported conclusions are longer than the screen: the board pages itself.
    await p.locator('[data-testid=projector-pager]').waitFor();
    expect(Number(await p.locator('[data-testid=projector-pager]').getAttribute('data-pages'))).toBeGreaterThan(1);
    const scrollTop = () => p.locator('[data-testid=projector-board]').evaluate((el) => el.scrollTop);
    expect(await scrollTop()).toBe(0);
    await expect.poll(scrollTop, { timeout: 16_000, interval: 500 }).toBeGreaterThan(200);
    // An announcement to everyone reaches the room's screen too.
    await f.fill('textarea[name=announcement]', 'Volvemos a la plenaria en 5 minutos.');
    await f.click('[data-testid=announce-send]');
    await p.locator('[data-testid=projector-announcement]', { hasText: 'Volvemos a la plenaria en 5 minutos.' }).waitFor({ timeout: 5000 });
    await f.locator(`[data-group-id="${r.B}"] [data-testid=spotlight-toggle]`).click();
    expect([...facilitator.errors, ...projector.errors]).toEqual([]);
    for (const person of [facilitator, projector]) await person.context.close();
  }, 60_000);

  for (const lang of ['es', 'en'] as const) {
    it(`the join page speaks its own language (${lang}); a removed person cannot rejoin from the same browser`, async () => {
      const r = await room();
      const text = lang === 'es'
        ? { unknown: 'Ningún taller tiene este código', removed: 'La facilitación te retiró de este taller', moved: 'te movió' }
        : { unknown: 'No workshop has this code', removed: 'The facilitators removed you from this workshop', moved: 'moved you' };
      const person = await newPerson(browser, { locale: lang === 'es' ? 'es-ES' : 'en-GB', width: 390, height: 844 });
      const p = person.page;
      await p.goto(`${server.url}/join/NOPE99`);
      const error = p.locator('[data-testid=join-error]');
      await error.waitFor();
      expect(await error.textContent()).toContain(text.unknown);
      expect(await error.textContent()).not.toContain('No workshop has this join code'); // the server's own words

      const name = `Dana ${lang}`;
      await joinThroughUi(p, server.url, r.w.joinCode, 'Grupo E', name);
      const me = await p.evaluate((id) => JSON.parse(localStorage.getItem(`relatoria:participant:${id}`) ?? 'null') as { participantId: string }, r.w.id);
      expect((await sendCommand(server.url, r.w.facilitatorToken, { type: 'participant:remove', participantId: me.participantId })).ok).toBe(true);
      await p.locator('[data-testid=removed]').waitFor();
      // Back to the join page, under another name: refused, in the page's language.
      await p.goto(`${server.url}/join/${r.w.joinCode}`);
      await p.locator('label.group', { hasText: 'Grupo E' }).click();
      await p.fill('input[name=name]', 'Otra persona');
      await p.click('button[type=submit]');
      await p.locator('form [role=alert]', { hasText: text.removed }).waitFor();
      expect(p.url()).toContain('/join/');
      expect(unexpected(person.errors)).toEqual([]);
      await person.context.close();
    }, 60_000);
  }

  it('offline: the bar stays in view at the bottom of a long draft, says edits will sync, others’ carets fade; back online, the edits arrive', async () => {
    const r = await room();
    const ana = await newPerson(browser, LAPTOP);
    const carla = await newPerson(browser, LAPTOP);
    await actAs(ana.context, r.w.id, r.ana);
    await ana.page.goto(`${server.url}/w/${r.w.id}/g/${r.B}`);
    await waitConnected(ana.page);
    await joinThroughUi(carla.page, server.url, r.w.joinCode, 'Grupo B', 'Carla Peña');
    await firstEditor(carla.page).click();
    const a = ana.page;
    await a.locator('[data-section-id] .collaboration-carets__caret').first().waitFor();

    await ana.context.setOffline(true);
    await a.locator('[data-testid=offline-banner]').waitFor({ timeout: 15_000 });
    await a.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const bar = (await a.locator('[data-testid=offline-banner]').boundingBox())!;
    expect(bar.y).toBeGreaterThanOrEqual(0);
    expect(bar.y + bar.height).toBeLessThanOrEqual(LAPTOP.height);
    expect(await a.locator('[data-testid=offline-banner]').textContent()).toContain('se enviarán al reconectar');
    // Carla's caret: gone, or faded and without its name.
    await expect.poll(() => a.locator('[data-section-id] .collaboration-carets__caret').evaluateAll((els) =>
      els.every((el) => Number(getComputedStyle(el).opacity) < 0.5 && getComputedStyle(el.querySelector('.collaboration-carets__label')!).display === 'none'))).toBe(true);

    await firstEditor(a).click();
    await a.keyboard.press('Control+End');
    await a.keyboard.type(' Escrito sin conexión.');
    await ana.context.setOffline(false);
    await waitConnected(a, 20_000);
    await expect.poll(() => firstEditor(carla.page).innerText(), { timeout: 10_000 }).toContain('Escrito sin conexión.');
    expect(await a.locator('[data-testid=offline-banner]').count()).toBe(0);
    expect(unexpected([...carla.errors])).toEqual([]);
    for (const person of [ana, carla]) await person.context.close();
  }, 90_000);

  it('by keyboard alone: a card is added, coloured, moved and voted on, and the console locks a board', async () => {
    const r = await room();
    const ana = await newPerson(browser, LAPTOP);
    await actAs(ana.context, r.w.id, r.ana);
    const a = ana.page;
    await a.goto(`${server.url}/w/${r.w.id}/g/${r.B}`);
    await waitConnected(a);
    const focused = () => a.evaluate(() => {
      const el = document.activeElement;
      return el ? `${el.tagName.toLowerCase()}[${el.getAttribute('name') ?? el.getAttribute('data-color') ?? el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? ''}]` : '';
    });
    const tabTo = async (target: string, max = 80) => {
      for (let i = 0; i < max; i++) {
        if ((await focused()) === target) return;
        await a.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached ${target} (at ${await focused()})`);
    };
    // Add a card.
    await tabTo('textarea[card-text]');
    await a.keyboard.type('Una idea escrita sin ratón');
    // Its colour: one tab stop for the six swatches, arrows to choose.
    await a.keyboard.press('Tab');
    expect(await focused()).toBe('button[yellow]');
    await a.keyboard.press('ArrowRight');
    expect(await focused()).toBe('button[pink]');
    await a.keyboard.press('Tab');
    expect(await focused()).not.toMatch(/^button\[(yellow|blue|green|orange|purple)\]$/);
    await a.locator('textarea[name=card-text]').focus();
    await a.keyboard.press('Enter');
    const cards = a.locator('[data-testid=cards] [data-card-id]');
    await expect.poll(() => cards.count()).toBe(CARD_TEXTS.length + 1);
    const last = cards.last();
    expect(await last.getAttribute('class')).toContain('card-pink');
    // Recolour it: the colour button, then the swatches by arrow.
    await last.locator('textarea').focus();
    await tabTo(`button[${'Color de la tarjeta'}]`);
    await a.keyboard.press('Enter');
    expect(await focused()).toBe('button[pink]');
    await a.keyboard.press('ArrowRight');
    await expect.poll(() => last.getAttribute('class')).toContain('card-blue');
    // Move it up one place with its handle.
    const id = await last.getAttribute('data-card-id');
    await last.locator('button[draggable=true]').focus();
    await a.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => cards.nth(CARD_TEXTS.length - 1).getAttribute('data-card-id')).toBe(id);
    // Vote on it.
    expect((await sendCommand(server.url, r.w.facilitatorToken, { type: 'vote:open', groupIds: [r.B], budget: 3, maxPerCard: 2, results: 'live' })).ok).toBe(true);
    const moved = a.locator(`[data-card-id="${id}"]`);
    await moved.locator('[data-testid=dot-plus]').waitFor();
    await moved.locator('[data-testid=dot-plus]').focus();
    await a.keyboard.press('Enter');
    await expect.poll(() => moved.locator('[data-testid=dot-controls]').getAttribute('data-dots')).toBe('1');
    expect((await sendCommand(server.url, r.w.facilitatorToken, { type: 'vote:close' })).ok).toBe(true);

    // The console: a lock toggled from the keyboard.
    const facilitator = await newPerson(browser, LAPTOP);
    const f = facilitator.page;
    await openConsole(f, r);
    const lock = f.locator(`[data-group-id="${r.E}"] [data-testid=lock-toggle]`);
    await lock.focus();
    await f.keyboard.press('Space');
    await expect.poll(() => lock.getAttribute('aria-pressed')).toBe('true');
    await f.keyboard.press('Enter');
    await expect.poll(() => lock.getAttribute('aria-pressed')).toBe('false');
    expect([...ana.errors, ...facilitator.errors]).toEqual([]);
    for (const person of [ana, facilitator]) await person.context.close();
  }, 90_000);

  it('live regions say the timer’s last minute, a lock and an announcement; a dismissed announcement stays dismissed after a reload', async () => {
    const r = await room();
    const bruno = await newPerson(browser, LAPTOP);
    await actAs(bruno.context, r.w.id, r.bruno);
    const b = bruno.page;
    await b.goto(`${server.url}/w/${r.w.id}/g/${r.D}`);
    await waitConnected(b);
    const cue = b.locator('[data-testid=timer-cue]').first();
    expect(await cue.textContent()).toBe('');
    // The running phase (45 min) brought down to its last minute.
    const f = r.w.facilitatorToken;
    expect((await sendCommand(server.url, f, { type: 'phase:start', index: 1 })).ok).toBe(true);
    expect((await sendCommand(server.url, f, { type: 'timer:add', seconds: -(45 * 60 - 50) })).ok).toBe(true);
    await expect.poll(() => cue.textContent(), { timeout: 5000 }).toBe('Queda menos de un minuto para terminar la fase.');

    expect((await sendCommand(server.url, f, { type: 'lock:set', groupId: r.D, locked: true })).ok).toBe(true);
    await expect.poll(() => b.locator('[data-testid=live-lock]').textContent()).toContain('bloqueó este tablero');
    expect((await sendCommand(server.url, f, { type: 'lock:set', groupId: r.D, locked: false })).ok).toBe(true);
    await expect.poll(() => b.locator('[data-testid=live-lock]').textContent()).toBe('');

    expect((await sendCommand(server.url, f, { type: 'announce', text: 'Grupo D: diez minutos más.', groupId: r.D })).ok).toBe(true);
    await expect.poll(() => b.locator('[data-testid=live-announcement]').textContent()).toContain('Grupo D: diez minutos más.');
    await b.locator('[data-testid=announcement] button').click();
    await expect.poll(() => b.locator('[data-testid=announcement]').count()).toBe(0);
    await b.reload();
    await waitConnected(b);
    await b.locator('[data-testid=session-strip]').waitFor();
    await b.waitForTimeout(500); // the snapshot, with its announcements, is in
    expect(await b.locator('[data-testid=announcement]').count()).toBe(0);
    expect((await sendCommand(server.url, f, { type: 'phase:start', index: 1 })).ok).toBe(true);
    expect(bruno.errors).toEqual([]);
    await bruno.context.close();
  }, 60_000);

  it('the console shows the join code on its first screen, whole group names beside a badge, and figures that agree', async () => {
    const r = await room();
    const facilitator = await newPerson(browser, LAPTOP);
    const f = facilitator.page;
    await openConsole(f, r);
    const code = (await f.locator('[data-testid=join-code]').boundingBox())!;
    expect(code.y + code.height).toBeLessThanOrEqual(LAPTOP.height);
    expect(await f.locator('[data-testid=join-code]').textContent()).toBe(r.w.joinCode);
    // Locked: the badge does not cut the name.
    await f.locator(`[data-group-id="${r.B}"] [data-testid=lock-toggle]`).click();
    const card = f.locator(`[data-group-id="${r.B}"]`);
    await card.locator('.locked-badge').waitFor();
    const title = card.locator('h3');
    expect(await title.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    expect(await title.textContent()).toBe('Grupo B: Cambio Sistémico');
    await f.locator(`[data-group-id="${r.B}"] [data-testid=lock-toggle]`).click();
    // Figures: B holds the dozen cards; E, untouched, has no words and no change — the two agree.
    const figure = (groupId: string, n: number) => f.locator(`[data-group-id="${groupId}"] .figures dd`).nth(n).textContent();
    await expect.poll(async () => Number(await figure(r.B, 1))).toBeGreaterThanOrEqual(CARD_TEXTS.length);
    expect(await figure(r.E, 1)).toBe('0');
    expect(await figure(r.E, 2)).toBe('0');
    expect(await f.locator(`[data-group-id="${r.E}"] .last`).textContent()).toContain('Sin cambios todavía');
    expect(facilitator.errors).toEqual([]);
    await facilitator.context.close();
  }, 60_000);

  it('an editor is named after its section, and renamed with it', async () => {
    const r = await room();
    const ana = await newPerson(browser, LAPTOP);
    await actAs(ana.context, r.w.id, r.ana);
    const a = ana.page;
    await a.goto(`${server.url}/w/${r.w.id}/g/${r.B}`);
    await waitConnected(a);
    const editor = firstEditor(a);
    expect(await editor.getAttribute('aria-label')).toBe('Texto de «Conclusiones y Recomendaciones»');
    const heading = a.locator('[data-section-id] textarea.heading').first();
    await heading.fill('Propuestas al Estado');
    await expect.poll(() => editor.getAttribute('aria-label')).toBe('Texto de «Propuestas al Estado»');
    expect(await editor.getAttribute('class')).toContain('tiptap');
    expect(ana.errors).toEqual([]);
    await ana.context.close();
  }, 60_000);
});
