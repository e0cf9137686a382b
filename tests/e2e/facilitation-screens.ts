// Screenshots of the facilitated session for a person to look at (called by
// take-screenshots.ts): the console running a phase and a vote, a participant's board
// voting (wide and phone), locked, in private writing, following the spotlight, with
// an announcement, removed; the projector with a board and with the ranking.
import type { Browser, Page } from 'playwright-core';
import { createWorkshop, firstEditor, joinThroughUi, newPerson, waitConnected } from './browser-harness.js';

type Shot = (page: Page, name: string, fullPage?: boolean) => Promise<unknown>;

const GROUPS = [
  { name: 'Grupo B: Cambio Sistémico', question: '¿Qué cambios estructurales necesitamos para transformar el sistema?' },
  { name: 'Grupo D: Escalamiento', question: '¿Cómo escalamos las iniciativas que ya funcionan?' },
  { name: 'Grupo E: Financiamiento', question: '¿Con qué recursos sostenemos el trabajo?' },
];

export async function facilitationPages(browser: Browser, base: string, lang: 'es' | 'en', shot: Shot): Promise<void> {
  const locale = lang === 'es' ? 'es-ES' : 'en-GB';
  const w = await createWorkshop(base, GROUPS, lang === 'es' ? 'Encuentro de Innovación Social 2025' : 'Social Innovation Gathering 2025');
  const [gB, gD] = [w.groups[0]!.id, w.groups[1]!.id];
  const facilitator = await newPerson(browser, { locale, width: 1440, height: 1000 });
  const f = facilitator.page;
  await f.goto(`${base}/w/${w.id}/facilitate#k=${encodeURIComponent(w.facilitatorToken)}`);
  await f.locator('[data-testid=live-console][data-status=connected]').waitFor();

  const ana = await newPerson(browser, { locale });
  await joinThroughUi(ana.page, base, w.joinCode, GROUPS[0]!.name, 'Ana Muñoz');
  const a = ana.page;
  await firstEditor(a).click();
  await a.keyboard.type('El cambio sistémico requiere ');
  await a.keyboard.press('Control+b');
  await a.keyboard.type('fortalecer los espacios existentes');
  await a.keyboard.press('Control+b');
  await a.keyboard.type(' antes de crear otros nuevos.');
  await a.keyboard.press('Enter');
  await a.click('[data-tool=bullets]');
  await a.keyboard.type('Liderazgo local con enfoque de género');
  await a.keyboard.press('Enter');
  await a.keyboard.type('Mesas territoriales con actores públicos y privados');
  for (const [text, color] of [['Financiamiento público-privado sostenible', 'blue'], ['Alianzas con universidades', 'green'], ['Medir impacto, no actividad', 'pink']] as const) {
    await a.click(`form.add [data-color=${color}]`);
    await a.fill('textarea[name=card-text]', text);
    await a.keyboard.press('Enter');
  }
  const phone = await newPerson(browser, { locale, width: 390, height: 844 });
  await joinThroughUi(phone.page, base, w.joinCode, GROUPS[0]!.name, 'Carla Peña');
  const bruno = await newPerson(browser, { locale });
  await joinThroughUi(bruno.page, base, w.joinCode, GROUPS[1]!.name, 'Bruno Díaz');

  // A phase runs; a vote is open with live results; Ana has voted.
  await f.click('[data-testid=phase-start]');
  await f.click('[data-testid=vote-open]');
  await a.locator('[data-testid=vote-bar]').waitFor();
  const cards = a.locator('[data-testid=cards] [data-card-id]');
  await cards.nth(0).locator('[data-testid=dot-plus]').click();
  await cards.nth(0).locator('[data-testid=dot-plus]').click();
  await cards.nth(2).locator('[data-testid=dot-plus]').click();
  await phone.page.locator('[data-testid=cards] [data-card-id]').nth(2).locator('[data-testid=dot-plus]').click();
  await a.waitForTimeout(5500); // the console's activity figures arrive every 5 s
  for (const p of [a, phone.page]) await p.evaluate(() => window.scrollTo(0, 0));
  await shot(a, `session-board-voting-${lang}`);
  await shot(phone.page, `session-board-voting-phone-${lang}`);
  await f.evaluate(() => window.scrollTo(0, 0));
  await shot(f, `console-${lang}`);

  // The projector: the join screen, a spotlighted board, then the closed round's ranking.
  await f.click('[data-testid=link-create-projector]');
  const link = await f.locator('[data-testid=link-projector] input').inputValue();
  const projector = await newPerson(browser, { locale, width: 1600, height: 900 });
  await projector.page.goto(link);
  await projector.page.locator('[data-testid=projector-code]').waitFor();
  await shot(projector.page, `projector-join-${lang}`, false);
  await f.locator(`[data-group-id="${gB}"] [data-testid=spotlight-toggle]`).click();
  await projector.page.locator('[data-testid=projector-board] .card').first().waitFor();
  await projector.page.waitForTimeout(300);
  await shot(projector.page, `projector-${lang}`, false);

  // Bring everyone: Bruno (group D) lands on B's board, read-only, with a banner.
  await f.click('[data-testid=follow-bring]');
  await bruno.page.waitForURL(new RegExp(`/g/${gB}\\?following=1$`));
  await bruno.page.locator('[data-testid=follow-banner]').waitFor();
  await waitConnected(bruno.page);
  await shot(bruno.page, `session-board-following-${lang}`, false);
  await f.click('[data-testid=follow-release]');
  await bruno.page.waitForURL(new RegExp(`/g/${gD}$`));
  await f.locator(`[data-group-id="${gB}"] [data-testid=spotlight-toggle]`).click();

  await f.click('[data-testid=vote-close]');
  await projector.page.locator('[data-testid=projector-join] [data-testid=ranking]').waitFor();
  await projector.page.waitForTimeout(500);
  await shot(projector.page, `projector-ranking-${lang}`, false);

  // An announcement, a locked board, private writing.
  await f.fill('textarea[name=announcement]', lang === 'es' ? 'Quedan 5 minutos: terminen la idea en la que están.' : 'Five minutes left: finish the idea you are on.');
  await f.click('[data-testid=announce-send]');
  await f.locator(`[data-group-id="${gB}"] [data-testid=lock-toggle]`).click();
  await a.locator('[data-testid=locked-notice]').waitFor();
  await a.locator('[data-testid=announcement]').waitFor();
  await a.evaluate(() => window.scrollTo(0, 0));
  await shot(a, `session-board-locked-${lang}`, false);
  await f.locator(`[data-group-id="${gB}"] [data-testid=lock-toggle]`).click();
  await f.click('[data-testid=private-writing]');
  await phone.page.locator('[data-testid=announcement] button').click();
  await phone.page.locator('[data-testid=held-cards]').waitFor();
  await phone.page.fill('textarea[name=card-text]', lang === 'es' ? 'Una idea que nadie ve todavía' : 'An idea nobody sees yet');
  await phone.page.keyboard.press('Enter');
  await phone.page.locator('[data-held-id]').waitFor();
  await phone.page.evaluate(() => window.scrollTo(0, 0));
  await shot(phone.page, `session-board-private-phone-${lang}`, false);
  await f.waitForTimeout(300);
  await f.evaluate(() => window.scrollTo(0, 0));
  await shot(f, `console-private-${lang}`, false);

  // Removed from the workshop.
  await f.locator('[data-participant="Bruno Díaz"] select').isVisible();
  f.once('dialog', (d) => void d.accept());
  await f.locator('[data-participant="Bruno Díaz"] button').click();
  await bruno.page.locator('[data-testid=removed]').waitFor();
  await shot(bruno.page, `session-removed-${lang}`, false);

  for (const p of [facilitator, ana, phone, bruno, projector]) {
    if (p.errors.length) console.log(`page errors (facilitation, ${lang}):`, p.errors);
    await p.context.close();
  }
}
