// Screenshots of the room with real content (called by take-screenshots.ts): a laptop's
// board with an announcement and the vote's results, a phone's board (draft, ideas,
// writing with the toolbar docked), the console's first screen, the projector showing a
// long board with the join code in its corner and an announcement.
import type { Browser, Page } from 'playwright-core';
import { newPerson, waitConnected } from './browser-harness.js';
import { actAs, prepareRoom, sendCommand } from './room-setup.js';

type Shot = (page: Page, name: string, fullPage?: boolean) => Promise<unknown>;

export async function roomPages(browser: Browser, base: string, lang: 'es' | 'en', shot: Shot): Promise<void> {
  const locale = lang === 'es' ? 'es-ES' : 'en-GB';
  const r = await prepareRoom(base, lang === 'es' ? 'Encuentro de Innovación Social 2025' : 'Social Innovation Gathering 2025');
  await sendCommand(base, r.w.facilitatorToken, {
    type: 'announce', text: lang === 'es' ? 'Quedan 5 minutos: terminen la idea en la que están.' : 'Five minutes left: finish the idea you are on.', groupId: null,
  });

  const bruno = await newPerson(browser, { locale, width: 1366, height: 900 });
  await actAs(bruno.context, r.w.id, r.bruno);
  await bruno.page.goto(`${base}/w/${r.w.id}/g/${r.D}`);
  await waitConnected(bruno.page);
  await bruno.page.locator('[data-testid=vote-results] li').first().waitFor();
  await shot(bruno.page, `room-board-laptop-${lang}`, false);

  const ana = await newPerson(browser, { locale, width: 390, height: 844 });
  await actAs(ana.context, r.w.id, r.ana);
  const a = ana.page;
  await a.goto(`${base}/w/${r.w.id}/g/${r.B}`);
  await waitConnected(a);
  await shot(a, `room-phone-draft-${lang}`, false);
  await a.click('[data-testid=tab-ideas]');
  await a.locator('[data-card-id]').first().waitFor();
  await shot(a, `room-phone-ideas-${lang}`, false);
  await a.click('[data-testid=tab-draft]');
  await a.locator('[data-section-id] .tiptap').first().click();
  await a.keyboard.press('Control+End');
  await a.keyboard.press('Enter');
  await a.keyboard.type(lang === 'es' ? 'Escrito desde el teléfono' : 'Written from the phone');
  await a.waitForTimeout(300);
  await shot(a, `room-phone-editing-${lang}`, false);

  const facilitator = await newPerson(browser, { locale, width: 1366, height: 900 });
  const f = facilitator.page;
  await f.goto(`${base}/w/${r.w.id}/facilitate#k=${encodeURIComponent(r.w.facilitatorToken)}`);
  await f.locator('[data-testid=live-console][data-status=connected]').waitFor();
  await f.waitForTimeout(1500);
  await shot(f, `room-console-first-screen-${lang}`, false);
  await f.click('[data-testid=link-create-projector]');
  const link = await f.locator('[data-testid=link-projector] input').inputValue();
  const projector = await newPerson(browser, { locale, width: 1920, height: 1080 });
  await projector.page.goto(link);
  await projector.page.locator('[data-testid=projector-code]').waitFor();
  await f.locator(`[data-group-id="${r.B}"] [data-testid=spotlight-toggle]`).click();
  await projector.page.locator('[data-testid=projector-board] .card').first().waitFor();
  await projector.page.waitForTimeout(500);
  await shot(projector.page, `room-projector-board-${lang}`, false);

  for (const p of [bruno, ana, facilitator, projector]) {
    if (p.errors.length) console.log(`page errors (room, ${lang}):`, p.errors);
    await p.context.close();
  }
}
