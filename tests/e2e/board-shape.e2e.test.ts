// A board holding every wrong shape of tests/support/board-poison.ts, written straight into
// the store (as a board stored before the server checked shapes: nothing removed it), opens
// in a real browser on the board page, the console, the projector and the export page
// without a page error, and shows its good card. Regression: on main the board page threw
// for every viewer (`m.get is not a function`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import * as Y from 'yjs';
import { boardDocName } from '../../shared/doc-name.js';
import {
  browserAvailability, createWorkshop, joinThroughUi, launchChromium, newPerson, startE2eServer, type E2eServer, type Workshop,
} from './browser-harness.js';
import { POISONS, writeAllPoisons, writePoison } from '../support/board-poison.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const GROUP = { name: 'Grupo B: Cambio Sistémico', question: '¿Qué cambios estructurales necesitamos?' };

const cardTexts = (page: Page) => page.locator('[data-card-id] textarea').evaluateAll((els) => (els as HTMLTextAreaElement[]).map((e) => e.value));
const previewText = (page: Page) => page.frameLocator('[data-testid=export-preview]').locator('body').innerText();

/** Appends every poison (and a good card) to the board as stored; returns the good card's text. */
async function poisonStoredBoard(server: E2eServer, name: string): Promise<string> {
  const stored = await server.store.loadDoc(name);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  const before = Y.encodeStateVector(doc);
  const good = writePoison(doc, POISONS[0]!);
  writeAllPoisons(doc);
  await server.store.appendUpdate(name, Y.encodeStateAsUpdate(doc, before));
  return good;
}

describe.skipIf(availability.skip)('a board of the wrong shape in a browser', () => {
  let server: E2eServer;
  let browser: Browser;
  let workshop: Workshop;
  let good: string;

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
    workshop = await createWorkshop(server.url, [GROUP]);
    good = await poisonStoredBoard(server, boardDocName({ workshopId: workshop.id, groupId: workshop.groups[0]!.id }));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens on the board page, the console, the projector and the export page without a page error', async () => {
    const groupId = workshop.groups[0]!.id;
    const ana = await newPerson(browser);
    await joinThroughUi(ana.page, server.url, workshop.joinCode, GROUP.name, 'Ana');
    await expect.poll(() => cardTexts(ana.page), { timeout: 10_000 }).toContain(good);
    // Ordinary writing on it is kept: the shape check removes only what does not fit.
    const editor = ana.page.locator('[data-section-id] .tiptap').first();
    await editor.click();
    await ana.page.keyboard.press('Control+Home'); // the end is inside the too-deep quote, which the server would not keep
    await ana.page.keyboard.type('Escrito en el navegador');
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.type('- un punto de lista');
    await ana.page.fill('textarea[name=card-text]', 'Tarjeta del navegador');
    await ana.page.keyboard.press('Enter');
    await expect.poll(() => cardTexts(ana.page)).toContain('Tarjeta del navegador');

    const facilitator = await newPerson(browser);
    const f = facilitator.page;
    await f.goto(`${server.url}/w/${workshop.id}/facilitate#k=${encodeURIComponent(workshop.facilitatorToken)}`);
    await f.locator('[data-testid=live-console][data-status=connected]').waitFor({ timeout: 10_000 });
    await f.click('[data-testid=link-create-projector]');
    const link = await f.locator('[data-testid=link-projector] input').inputValue();
    const projector = await newPerson(browser, { width: 1600, height: 900 });
    await projector.page.goto(link);
    await projector.page.locator('[data-testid=projector-code]').waitFor({ timeout: 10_000 });
    await f.locator(`[data-testid=groups-panel] [data-group-id="${groupId}"] [data-testid=spotlight-toggle]`).click();
    await projector.page.locator('[data-testid=projector-board] .card', { hasText: good }).waitFor({ timeout: 10_000 });

    await f.click('[data-testid=open-export]');
    await f.waitForURL(/\/export$/);
    await expect.poll(() => previewText(f), { timeout: 10_000 }).toContain('Conclusiones y Recomendaciones');
    await expect.poll(() => previewText(f), { timeout: 10_000 }).toContain('un punto de lista');
    const preview = await previewText(f);
    expect(preview).toContain('Escrito en el navegador');
    for (const word of ['oops-cadena', 'SINID', 'SECRETO', 'BASURA', 'PAPELERA', 'HONDO']) expect(preview).not.toContain(word);

    expect([...ana.errors, ...facilitator.errors, ...projector.errors]).toEqual([]);
    for (const p of [ana, facilitator, projector]) await p.context.close();
  });
});
