// Screenshots of every page, in Spanish and English, wide and phone-sized, for a
// person to look at: `npx vite build && npx tsx tests/e2e/take-screenshots.ts`
// writes test-results/screens/*.png. Not a test: it asserts nothing.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { firstEditor, joinThroughUi, launchChromium, newPerson, startE2eServer, waitConnected } from './browser-harness.js';
import { facilitationPages } from './facilitation-screens.js';
import { roomPages } from './room-screens.js';

const OUT = 'test-results/screens';
const shot = (page: Page, name: string) => page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });

async function pages(browser: Browser, base: string, lang: 'es' | 'en'): Promise<void> {
  const locale = lang === 'es' ? 'es-ES' : 'en-GB';
  const facilitator = await newPerson(browser, { locale });
  const f = facilitator.page;
  await f.goto(base);
  await shot(f, `home-${lang}`);
  await f.fill('input[name=title]', lang === 'es' ? 'Encuentro de Innovación Social 2025' : 'Social Innovation Gathering 2025');
  await f.locator('input[name=group-name]').nth(0).fill('Grupo B: Cambio Sistémico');
  await f.locator('textarea[name=group-question]').nth(0).fill('¿Qué cambios estructurales necesitamos para transformar el sistema?');
  await f.locator('input[name=group-name]').nth(1).fill('Grupo D: Escalamiento');
  await f.locator('textarea[name=group-question]').nth(1).fill('¿Cómo escalamos las iniciativas que ya funcionan?');
  await f.click('button[type=submit]');
  await f.locator('[data-testid=join-code]').waitFor();
  await f.waitForTimeout(200);
  await shot(f, `facilitator-${lang}`);
  const code = ((await f.textContent('[data-testid=join-code]')) ?? '').trim();

  const ana = await newPerson(browser, { locale });
  await ana.page.goto(`${base}/join/${code}`);
  await ana.page.locator('label.group').first().click();
  await ana.page.fill('input[name=name]', 'Ana Muñoz');
  await shot(ana.page, `join-${lang}`);
  await ana.page.click('button[type=submit]');
  await waitConnected(ana.page);
  const a = ana.page;
  await firstEditor(a).click();
  await a.keyboard.type('El cambio sistémico requiere ');
  await a.keyboard.press('Control+b');
  await a.keyboard.type('fortalecer los espacios existentes');
  await a.keyboard.press('Control+b');
  await a.keyboard.type(' antes de crear otros nuevos.');
  await a.click('[data-tool=footnote]');
  await a.keyboard.type('Según la relatoría del Grupo B, sesión de la mañana.');
  await a.keyboard.press('Enter');
  await a.keyboard.press('End');
  await a.keyboard.press('Enter');
  await a.click('[data-tool=bullets]');
  await a.keyboard.type('Liderazgo local con enfoque de género');
  await a.keyboard.press('Enter');
  await a.keyboard.press('Tab');
  await a.keyboard.type('Mesas territoriales: ¿quién convoca?');
  await a.keyboard.press('Enter');
  await a.keyboard.press('Enter');
  await a.keyboard.press('Enter');
  await a.click('[data-tool=table]');
  for (const cell of ['Actor', 'Rol', 'Compromiso', 'Municipio', 'Convoca', 'Mesa mensual']) {
    await a.keyboard.type(cell);
    await a.keyboard.press('Tab');
  }
  for (const [text, color] of [['Financiamiento público-privado sostenible', 'blue'], ['Alianzas con universidades', 'green'], ['Medir impacto, no actividad', 'pink']] as const) {
    await a.click(`form.add [data-color=${color}]`);
    await a.fill('textarea[name=card-text]', text);
    await a.keyboard.press('Enter');
  }

  const bruno = await newPerson(browser, { locale });
  await joinThroughUi(bruno.page, base, code, 'Grupo B', 'Bruno Díaz');
  await firstEditor(bruno.page).click();
  await a.waitForTimeout(400);
  await firstEditor(a).click();
  await a.waitForTimeout(300);
  await shot(a, `board-${lang}`);
  await a.locator('[data-card-id]').first().hover();
  await a.locator('[data-card-id]').first().getByRole('button', { name: lang === 'es' ? 'Pasar al borrador' : 'Move to the draft' }).click();
  await a.locator('sup.footnote').first().click();
  await a.waitForTimeout(200);
  await shot(a, `board-menus-${lang}`);

  const carla = await newPerson(browser, { locale, width: 390, height: 844 });
  await joinThroughUi(carla.page, base, code, 'Grupo D', 'Carla Peña');
  await shot(carla.page, `board-phone-${lang}`);
  await carla.page.goto(a.url());
  await waitConnected(carla.page);
  await carla.page.waitForTimeout(300);
  await shot(carla.page, `board-readonly-phone-${lang}`);
  await f.goto(a.url().replace(/\/w\/.*$/, '') + new URL(a.url()).pathname + '?as=facilitator');
  await waitConnected(f);
  await shot(f, `board-facilitator-${lang}`);
  const stranger = await newPerson(browser, { locale });
  const workshopId = new URL(a.url()).pathname.split('/')[2] ?? '';
  await stranger.page.goto(base);
  await stranger.page.evaluate(
    ([id]) => localStorage.setItem(`relatoria:participant:${id}`, JSON.stringify({ token: 'expired', participantId: 'p', name: 'X', groupId: 'g' })),
    [workshopId],
  );
  await stranger.page.goto(a.url());
  await stranger.page.locator('[data-testid=board-closed]').waitFor();
  await shot(stranger.page, `board-closed-${lang}`);
  await stranger.context.close();
  const home = await newPerson(browser, { locale, width: 390, height: 844 });
  await home.page.goto(base);
  await shot(home.page, `home-phone-${lang}`);
  await home.page.goto(`${base}/join/NOPE99`);
  await home.page.locator('[data-testid=join-error]').waitFor();
  await shot(home.page, `join-error-phone-${lang}`);

  for (const p of [facilitator, ana, bruno, carla, home]) {
    if (p.errors.length) console.log(`page errors (${lang}):`, p.errors);
    await p.context.close();
  }
}

mkdirSync(OUT, { recursive: true });
const server = await startE2eServer();
const browser = await launchChromium();
try {
  for (const lang of ['es', 'en'] as const) {
    await pages(browser, server.url, lang);
    await facilitationPages(browser, server.url, lang, (page, name, fullPage = true) => page.screenshot({ path: `${OUT}/${name}.png`, fullPage }));
    await roomPages(browser, server.url, lang, (page, name, fullPage = true) => page.screenshot({ path: `${OUT}/${name}.png`, fullPage }));
  }
  console.log(`screenshots in ${OUT}/`);
} finally {
  await browser.close();
  await server.close();
}
