// The facilitation UI in a real browser against a real server: the console locks a
// board and a participant's typing stops changing it; dots placed on a board show in
// the console's ranking; the timer reads the same mm:ss everywhere; follow mode,
// announcements, private writing, moves and removals reach the participants; and
// screenshots of the console and the projector for a person to look at.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { listSections, readBoardContent, sectionBody, xmlPlainText } from '../../shared/board.js';
import { syncedClient } from '../helpers/yclient.js';
import {
  browserAvailability, createWorkshop, firstEditor, joinThroughUi, launchChromium, newPerson, startE2eServer,
  type E2eServer, type Workshop,
} from './browser-harness.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const GROUPS = [
  { name: 'Grupo B: Cambio Sistémico', question: '¿Qué cambios estructurales necesitamos?' },
  { name: 'Grupo D: Escalamiento', question: '¿Cómo escalamos lo que funciona?' },
];

/** The console, opened with the facilitator's secret link, once its channel is live. */
async function openConsole(page: Page, base: string, w: Workshop): Promise<void> {
  await page.goto(`${base}/w/${w.id}/facilitate#k=${encodeURIComponent(w.facilitatorToken)}`);
  await page.locator('[data-testid=live-console][data-status=connected]').waitFor({ timeout: 10_000 });
}

const groupCard = (page: Page, groupId: string) => page.locator(`[data-testid=groups-panel] [data-group-id="${groupId}"]`);
const editorText = (page: Page) => firstEditor(page).evaluate((el) => {
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
  return copy.textContent ?? '';
});

describe.skipIf(availability.skip)('facilitation in a browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let wsUrl: string;

  beforeAll(async () => {
    server = await startE2eServer();
    wsUrl = server.url.replace(/^http/, 'ws');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the console locks a board: the participant sees the notice and its typing changes nothing; unlocked, it writes again', async () => {
    const w = await createWorkshop(server.url, GROUPS);
    const groupId = w.groups[0]!.id;
    const facilitator = await newPerson(browser);
    const ana = await newPerson(browser);
    const bruno = await newPerson(browser);
    await openConsole(facilitator.page, server.url, w);
    await joinThroughUi(ana.page, server.url, w.joinCode, GROUPS[0]!.name, 'Ana');
    await joinThroughUi(bruno.page, server.url, w.joinCode, GROUPS[0]!.name, 'Bruno');

    await firstEditor(ana.page).click();
    await ana.page.keyboard.type('Antes del bloqueo.');
    await expect.poll(() => editorText(bruno.page), { timeout: 2000 }).toContain('Antes del bloqueo.');

    await groupCard(facilitator.page, groupId).locator('[data-testid=lock-toggle]').click();
    await ana.page.locator('[data-testid=locked-notice]').waitFor({ timeout: 3000 });
    await expect.poll(() => firstEditor(ana.page).getAttribute('contenteditable')).toBe('false');
    expect(await ana.page.locator('textarea[name=card-text]').count()).toBe(0);
    await groupCard(facilitator.page, groupId).locator('.locked-badge').waitFor();

    // Typing into the locked editor does nothing.
    await firstEditor(ana.page).click();
    await ana.page.keyboard.type(' BLOQUEADO');
    // A write the UI would not offer (a heading forced writable) is refused by the server and undone.
    const heading = ana.page.locator('[data-section-id] textarea.heading').first();
    const headingBefore = await heading.inputValue();
    await heading.evaluate((el) => el.removeAttribute('readonly'));
    await heading.click();
    await ana.page.keyboard.type(' XYZ');
    await ana.page.locator('[data-testid=board-notice][data-notice=denied]').waitFor({ timeout: 5000 });
    await expect.poll(() => ana.page.locator('[data-section-id] textarea.heading').first().inputValue(), { timeout: 8000 }).toBe(headingBefore);

    expect(await editorText(bruno.page)).not.toContain('BLOQUEADO');
    expect(await bruno.page.locator('[data-section-id] textarea.heading').first().inputValue()).toBe(headingBefore);
    const stored = await syncedClient(wsUrl, { workshopId: w.id, groupId }, w.facilitatorToken);
    const content = readBoardContent(stored.doc);
    expect(content.sections[0]!.heading).toBe(headingBefore);
    const body = sectionBody(stored.doc, listSections(stored.doc)[0]!.id)!;
    expect(xmlPlainText(body)).toContain('Antes del bloqueo.');
    expect(xmlPlainText(body)).not.toContain('BLOQUEADO');
    stored.destroy();

    // Unlocked: the notice goes and typing reaches Bruno again.
    await groupCard(facilitator.page, groupId).locator('[data-testid=lock-toggle]').click();
    await expect.poll(() => ana.page.locator('[data-testid=locked-notice]').count(), { timeout: 3000 }).toBe(0);
    await expect.poll(() => firstEditor(ana.page).getAttribute('contenteditable')).toBe('true');
    await firstEditor(ana.page).click();
    await ana.page.keyboard.press('End');
    await ana.page.keyboard.type(' Después.');
    await expect.poll(() => editorText(bruno.page), { timeout: 3000 }).toContain('Después.');
    // Ana's page included: the lock re-renders her editor while it has focus, and its blur
    // must not touch reactive state mid-update (Svelte's state_unsafe_mutation).
    expect([...facilitator.errors, ...bruno.errors, ...ana.errors]).toEqual([]);
    for (const p of [facilitator, ana, bruno]) await p.context.close();
  });

  it('a participant places dots on cards and the console ranks them with their texts', async () => {
    const w = await createWorkshop(server.url, GROUPS);
    const facilitator = await newPerson(browser);
    const ana = await newPerson(browser);
    await openConsole(facilitator.page, server.url, w);
    await joinThroughUi(ana.page, server.url, w.joinCode, GROUPS[0]!.name, 'Ana');
    for (const text of ['Fortalecer redes locales', 'Financiamiento sostenible']) {
      await ana.page.fill('textarea[name=card-text]', text);
      await ana.page.keyboard.press('Enter');
    }
    await expect.poll(() => ana.page.locator('[data-card-id]').count()).toBe(2);

    const f = facilitator.page;
    await f.locator('[data-testid=voting-panel] input[name=budget]').fill('3');
    await f.locator('[data-testid=voting-panel] input[name=max-per-card]').fill('2');
    await f.click('[data-testid=vote-open]');
    await ana.page.locator('[data-testid=vote-bar]').waitFor({ timeout: 3000 });

    const second = ana.page.locator('[data-testid=cards] [data-card-id]').nth(1);
    const first = ana.page.locator('[data-testid=cards] [data-card-id]').nth(0);
    await second.locator('[data-testid=dot-plus]').click();
    await second.locator('[data-testid=dot-plus]').click();
    await expect.poll(() => second.locator('[data-testid=dot-controls]').getAttribute('data-dots')).toBe('2');
    // The per-card maximum is reached: no third dot here.
    expect(await second.locator('[data-testid=dot-plus]').isDisabled()).toBe(true);
    await first.locator('[data-testid=dot-plus]').click();
    await expect.poll(() => ana.page.locator('[data-testid=dots-left]').getAttribute('data-left')).toBe('0');
    // The budget is spent; moving a dot is lowering one card and raising another.
    expect(await first.locator('[data-testid=dot-plus]').isDisabled()).toBe(true);
    await second.locator('[data-testid=dot-minus]').click();
    await first.locator('[data-testid=dot-plus]').click();
    await expect.poll(() => first.locator('[data-testid=dot-controls]').getAttribute('data-dots')).toBe('2');
    await ana.page.click('[data-testid=vote-done]');
    await ana.page.locator('[data-testid=vote-progress]', { hasText: '1 de 1' }).waitFor({ timeout: 3000 });

    const ranking = f.locator('[data-testid=voting-panel] [data-testid=ranking] li');
    await expect.poll(() => ranking.first().textContent(), { timeout: 5000 }).toContain('Fortalecer redes locales');
    expect(await ranking.first().locator('[data-testid=ranking-dots]').textContent()).toBe('2');
    expect(await ranking.nth(1).textContent()).toContain('Financiamiento sostenible');
    expect(await ranking.nth(1).locator('[data-testid=ranking-dots]').textContent()).toBe('1');
    await f.locator('[data-testid=console-vote-progress]', { hasText: '1 de 1' }).waitFor();

    await f.click('[data-testid=vote-close]');
    await ana.page.locator('[data-testid=vote-results]').waitFor({ timeout: 3000 });
    expect([...facilitator.errors, ...ana.errors]).toEqual([]);
    for (const p of [facilitator, ana]) await p.context.close();
  });

  it('the timer: a phase started in the console reads the same mm:ss on a participant’s board', async () => {
    const w = await createWorkshop(server.url, GROUPS);
    const facilitator = await newPerson(browser);
    const ana = await newPerson(browser, { width: 390, height: 844 });
    await openConsole(facilitator.page, server.url, w);
    await joinThroughUi(ana.page, server.url, w.joinCode, GROUPS[1]!.name, 'Ana');
    const f = facilitator.page;
    await f.click('[data-testid=phase-start]');
    const clock = (p: Page) => p.locator('[data-testid=timer-clock]').first().textContent();
    await ana.page.locator('[data-testid=session-strip] [data-testid=timer-clock]').waitFor({ timeout: 3000 });
    const seconds = (t: string | null) => {
      const [m, s] = (t ?? '').split(':').map(Number);
      return (m ?? 0) * 60 + (s ?? 0);
    };
    const [mine, theirs] = await Promise.all([clock(f), clock(ana.page)]);
    expect(Math.abs(seconds(mine) - seconds(theirs))).toBeLessThanOrEqual(1);
    expect(seconds(theirs)).toBeGreaterThan(9 * 60);
    expect(await ana.page.locator('[data-testid=timer-phase]').textContent()).toBe(await f.locator('[data-testid=timer-phase]').textContent());

    // Paused, both read exactly the same; +1 min shows on both.
    await f.click('[data-testid=timer-pause]');
    await ana.page.locator('[data-testid=phase-timer][data-state=paused]').waitFor({ timeout: 3000 });
    await expect.poll(async () => (await clock(ana.page)) === (await clock(f))).toBe(true);
    const before = seconds(await clock(f));
    await f.click('[data-testid=timer-add-1]');
    await expect.poll(async () => seconds(await clock(ana.page)), { timeout: 3000 }).toBe(before + 60);
    await f.click('[data-testid=timer-resume]');
    await ana.page.locator('[data-testid=phase-timer][data-state=running]').waitFor({ timeout: 3000 });

    mkdirSync('test-results', { recursive: true });
    await ana.page.screenshot({ path: 'test-results/board-timer-phone.png', fullPage: false });
    expect([...facilitator.errors, ...ana.errors]).toEqual([]);
    for (const p of [facilitator, ana]) await p.context.close();
  });

  it('follow mode, a group announcement, private writing revealed, a move and a removal reach the participants', async () => {
    const w = await createWorkshop(server.url, GROUPS);
    const [gB, gD] = [w.groups[0]!.id, w.groups[1]!.id];
    const facilitator = await newPerson(browser);
    const ana = await newPerson(browser);
    const bruno = await newPerson(browser);
    const f = facilitator.page;
    await openConsole(f, server.url, w);
    await joinThroughUi(ana.page, server.url, w.joinCode, GROUPS[0]!.name, 'Ana');
    await joinThroughUi(bruno.page, server.url, w.joinCode, GROUPS[1]!.name, 'Bruno');

    // Bring everyone to B's board; Bruno (D) follows, read-only, and comes back on release.
    await groupCard(f, gB).locator('[data-testid=spotlight-toggle]').click();
    await f.click('[data-testid=follow-bring]');
    await bruno.page.waitForURL(new RegExp(`/g/${gB}\\?following=1$`), { timeout: 5000 });
    await bruno.page.locator('[data-testid=follow-banner]').waitFor();
    await bruno.page.locator('[data-testid=read-only-notice]').waitFor();
    expect(ana.page.url()).toMatch(new RegExp(`/g/${gB}$`));
    await ana.page.locator('[data-testid=follow-banner]').waitFor();
    await f.click('[data-testid=follow-release]');
    await bruno.page.waitForURL(new RegExp(`/g/${gD}$`), { timeout: 5000 });
    await expect.poll(() => ana.page.locator('[data-testid=follow-banner]').count()).toBe(0);

    // An announcement to group D only.
    await f.fill('textarea[name=announcement]', 'Grupo D: diez minutos más.');
    await f.locator('[data-testid=announce-to]').selectOption({ label: GROUPS[1]!.name });
    await f.click('[data-testid=announce-send]');
    await bruno.page.locator('[data-testid=announcement]', { hasText: 'diez minutos más' }).waitFor({ timeout: 3000 });
    await bruno.page.locator('[data-testid=announcement] button').click();
    await expect.poll(() => bruno.page.locator('[data-testid=announcement]').count()).toBe(0);
    expect(await ana.page.locator('[data-testid=announcement]').count()).toBe(0);

    // Private writing: Bruno's card is his alone until the reveal.
    await f.click('[data-testid=private-writing]');
    await bruno.page.locator('[data-testid=held-cards]').waitFor();
    await bruno.page.fill('textarea[name=card-text]', 'Idea secreta');
    await bruno.page.keyboard.press('Enter');
    await bruno.page.locator('[data-held-id]', { hasText: 'Idea secreta' }).waitFor();
    await groupCard(f, gD).locator('[data-testid=group-held]', { hasText: '1' }).waitFor();
    expect(await bruno.page.locator('[data-testid=cards] [data-card-id]').count()).toBe(0);
    await f.click('[data-testid=private-reveal]');
    await expect.poll(() => bruno.page.locator('[data-testid=cards] [data-card-id] textarea').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value)), { timeout: 3000 }).toEqual(['Idea secreta']);
    expect(await bruno.page.locator('[data-held-id]').count()).toBe(0);

    // Moved to group B: asked first (cancelled, nothing happens), then Bruno lands on B's board, told why, and writes there.
    const asked: string[] = [];
    f.once('dialog', (d) => void (asked.push(d.message()), d.dismiss()));
    await f.locator('[data-participant="Bruno"] select').selectOption(gB);
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('¿Mover a Bruno a «Grupo B: Cambio Sistémico»?');
    expect(await f.locator('[data-participant="Bruno"] select').inputValue()).toBe(gD);
    expect(bruno.page.url()).toMatch(new RegExp(`/g/${gD}$`));
    f.once('dialog', (d) => void d.accept());
    await f.locator('[data-participant="Bruno"] select').selectOption(gB);
    await bruno.page.waitForURL(new RegExp(`/g/${gB}\\?moved=1$`), { timeout: 5000 });
    await bruno.page.locator('[data-testid=moved-banner]', { hasText: 'La facilitación te movió a «Grupo B: Cambio Sistémico»' }).waitFor();
    await bruno.page.locator('[data-testid=connection-status][data-state=connected]').waitFor();
    expect(await bruno.page.locator('[data-testid=read-only-notice]').count()).toBe(0);
    await bruno.page.fill('textarea[name=card-text]', 'Ya en el grupo B');
    await bruno.page.keyboard.press('Enter');
    await expect.poll(() => ana.page.locator('[data-testid=cards] [data-card-id] textarea').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value)), { timeout: 3000 }).toContain('Ya en el grupo B');

    // Removed: a clear page, and the kept identity is gone.
    f.once('dialog', (d) => void d.accept());
    await f.locator('[data-participant="Bruno"] button').click();
    await bruno.page.locator('[data-testid=removed]').waitFor({ timeout: 3000 });
    expect(await bruno.page.evaluate((id) => localStorage.getItem(`relatoria:participant:${id}`), w.id)).toBeNull();
    expect([...facilitator.errors, ...ana.errors]).toEqual([]);
    for (const p of [facilitator, ana, bruno]) await p.context.close();
  });

  it('screenshots of the console and the projector', async () => {
    const w = await createWorkshop(server.url, GROUPS);
    const groupId = w.groups[0]!.id;
    const facilitator = await newPerson(browser, { width: 1440, height: 1000 });
    const ana = await newPerson(browser);
    const f = facilitator.page;
    await openConsole(f, server.url, w);
    await joinThroughUi(ana.page, server.url, w.joinCode, GROUPS[0]!.name, 'Ana Muñoz');
    await firstEditor(ana.page).click();
    await ana.page.keyboard.type('El cambio sistémico requiere fortalecer los espacios existentes.');
    for (const text of ['Liderazgo local con enfoque de género', 'Mesas territoriales']) {
      await ana.page.fill('textarea[name=card-text]', text);
      await ana.page.keyboard.press('Enter');
    }
    await f.click('[data-testid=phase-start]');
    await f.click('[data-testid=link-create-projector]');
    const link = await f.locator('[data-testid=link-projector] input').inputValue();
    expect(link).toContain('/present#k=');
    expect(link).toContain(`&c=${w.joinCode}`);

    const projector = await newPerson(browser, { width: 1600, height: 900 });
    await projector.page.goto(link);
    await projector.page.locator('[data-testid=projector-code]', { hasText: w.joinCode }).waitFor({ timeout: 5000 });
    await projector.page.locator('[data-testid=projector] [data-testid=timer-clock]').waitFor();
    mkdirSync('test-results', { recursive: true });
    await projector.page.screenshot({ path: 'test-results/projector-join.png' });

    await groupCard(f, groupId).locator('[data-testid=spotlight-toggle]').click();
    await projector.page.locator(`[data-testid=projector-board][data-group-id="${groupId}"]`).waitFor({ timeout: 5000 });
    await projector.page.locator('[data-testid=projector-board] .draft', { hasText: 'fortalecer los espacios existentes' }).waitFor({ timeout: 5000 });
    await projector.page.locator('[data-testid=projector-board] .card', { hasText: 'Mesas territoriales' }).waitFor();
    await projector.page.screenshot({ path: 'test-results/projector.png' });

    await f.evaluate(() => window.scrollTo(0, 0));
    await f.waitForTimeout(300);
    await f.screenshot({ path: 'test-results/console.png', fullPage: true });
    expect([...facilitator.errors, ...projector.errors, ...ana.errors]).toEqual([]);
    for (const p of [facilitator, ana, projector]) await p.context.close();
  });
});
