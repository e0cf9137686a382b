// Nothing lost to a careless hand, in a real browser with two people on one board:
// Ctrl/Cmd+Z and the undo buttons take back only one's own edits — in the editor and on
// cards — never the other person's; deleting someone else's card asks first; deleted
// cards go to the board's trash, from which the other person restores them.
import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  browserAvailability, createWorkshop, firstEditor, joinThroughUi, newPerson,
  type Workshop, useBrowserAndServer,
} from './browser-harness.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const GROUP = { name: 'Grupo B: Cambio Sistémico', question: '¿Qué cambios estructurales necesitamos?' };

/** The section text as written, without the other person's caret label drawn inside it. */
const editorText = (page: Page) =>
  firstEditor(page).evaluate((el) => {
    const copy = el.cloneNode(true) as Element;
    copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
    return copy.textContent ?? '';
  });
const cardTexts = (page: Page) => page.locator('[data-card-id] textarea').evaluateAll((els) => (els as HTMLTextAreaElement[]).map((e) => e.value));
/** The card whose text is `text` (a textarea's value is no text Playwright's selectors see). */
async function cardByText(page: Page, text: string) {
  const id = await page.locator('[data-card-id]').evaluateAll(
    (els, wanted) => els.find((el) => el.querySelector('textarea')?.value === wanted)?.getAttribute('data-card-id'),
    text,
  );
  if (!id) throw new Error(`no card "${text}"`);
  return page.locator(`[data-card-id="${id}"]`);
}
/** Past the undo manager's capture window: the next change is a step of its own. */
const pause = (page: Page) => page.waitForTimeout(700);

async function addCard(page: Page, text: string): Promise<void> {
  await page.fill('textarea[name=card-text]', text);
  await page.keyboard.press('Enter');
  await expect.poll(() => cardTexts(page)).toContain(text);
}

describe.skipIf(availability.skip)('undo and the trash in a browser', () => {
  const e2e = useBrowserAndServer();
  let workshop: Workshop;

  beforeAll(async () => {
    workshop = await createWorkshop(e2e.server.url, [GROUP]);
  });

  it('Ctrl+Z and the undo buttons take back only my own edits, in the editor and on cards; the other person’s stay', async () => {
    const ana = await newPerson(e2e.browser);
    const bruno = await newPerson(e2e.browser);
    await joinThroughUi(ana.page, e2e.server.url, workshop.joinCode, GROUP.name, 'Ana');
    await joinThroughUi(bruno.page, e2e.server.url, workshop.joinCode, GROUP.name, 'Bruno');
    const [a, b] = [ana.page, bruno.page];

    // The editor: Bruno writes, then Ana; Ana's Ctrl+Z removes her words only.
    await firstEditor(b).click();
    await b.keyboard.type('Bruno propone redes.');
    await expect.poll(() => editorText(a)).toBe('Bruno propone redes.');
    await firstEditor(a).click();
    await a.keyboard.press('Control+End');
    // In one input, as a paste is: typed key by key on a loaded machine, a pause past the
    // undo manager's capture window (500 ms) would split Ana's words into two undo steps.
    await a.keyboard.insertText(' Ana suma liderazgo.');
    await expect.poll(() => editorText(b)).toBe('Bruno propone redes. Ana suma liderazgo.');
    await a.keyboard.press('Control+z');
    await expect.poll(() => editorText(b)).toBe('Bruno propone redes.');
    expect(await editorText(a)).toBe('Bruno propone redes.');
    await a.keyboard.press('Control+Shift+z');
    await expect.poll(() => editorText(b)).toBe('Bruno propone redes. Ana suma liderazgo.');
    // The toolbar's undo is the same undo.
    await a.locator('[data-section-id]').first().locator('[data-tool=undo]').click();
    await expect.poll(() => editorText(b)).toBe('Bruno propone redes.');

    // Cards: each adds one; Ana edits hers and Bruno's; her undo takes back her edits, never Bruno's card.
    await addCard(b, 'Idea de Bruno');
    await addCard(a, 'Idea de Ana');
    await expect.poll(() => cardTexts(b)).toEqual(['Idea de Bruno', 'Idea de Ana']);
    await pause(a);
    const anaCard = (await cardByText(a, 'Idea de Ana')).locator('textarea');
    await anaCard.click();
    await a.keyboard.press('End');
    await a.keyboard.insertText(' y más');
    await expect.poll(() => cardTexts(b)).toEqual(['Idea de Bruno', 'Idea de Ana y más']);
    await pause(a);
    await a.keyboard.press('Control+z'); // in the card's field: the board's undo, not the field's own
    await expect.poll(() => cardTexts(b)).toEqual(['Idea de Bruno', 'Idea de Ana']);
    await a.locator('[data-testid=board-undo] [data-action=undo]').click(); // then the card itself
    await expect.poll(() => cardTexts(b)).toEqual(['Idea de Bruno']);
    expect(await cardTexts(a)).toEqual(['Idea de Bruno']);
    // Nothing of Ana's is left to undo: another Ctrl+Z leaves Bruno's card alone.
    expect(await a.locator('[data-testid=board-undo] [data-action=undo]').isDisabled()).toBe(true);
    await a.locator('body').press('Control+z');
    await pause(a);
    expect(await cardTexts(b)).toEqual(['Idea de Bruno']);
    await a.locator('body').press('Control+y');
    await expect.poll(() => cardTexts(b)).toEqual(['Idea de Bruno', 'Idea de Ana']);
    // Bruno's own undo takes back his card, not Ana's (out of the new-idea field, whose Ctrl+Z is the browser's).
    await b.click('[data-testid=board-title]');
    await b.keyboard.press('Control+z');
    await expect.poll(() => cardTexts(a)).toEqual(['Idea de Ana']);

    mkdirSync('test-results', { recursive: true });
    await a.screenshot({ path: 'test-results/undo.png', fullPage: true });
    expect([...ana.errors, ...bruno.errors]).toEqual([]);
    await ana.context.close();
    await bruno.context.close();
  });

  it('deleting someone else’s card asks first; it goes to the trash, and the other person restores it as it was', async () => {
    const other = await createWorkshop(e2e.server.url, [GROUP], 'Taller de la papelera');
    const ana = await newPerson(e2e.browser);
    const bruno = await newPerson(e2e.browser, { locale: 'en-US' });
    await joinThroughUi(ana.page, e2e.server.url, other.joinCode, GROUP.name, 'Ana');
    await joinThroughUi(bruno.page, e2e.server.url, other.joinCode, GROUP.name, 'Bruno');
    const [a, b] = [ana.page, bruno.page];
    await addCard(b, 'Primera de Bruno');
    await addCard(b, 'Segunda de Bruno');
    // Ana adds hers once Bruno's have reached her: otherwise both land at the end at once, in either order.
    await expect.poll(() => cardTexts(a)).toEqual(['Primera de Bruno', 'Segunda de Bruno']);
    await addCard(a, 'Propia de Ana');
    await expect.poll(() => cardTexts(a)).toEqual(['Primera de Bruno', 'Segunda de Bruno', 'Propia de Ana']);

    // Someone else's card: a dialog asks, naming whose it is; Cancel keeps it.
    const bruno1 = await cardByText(a, 'Primera de Bruno');
    await bruno1.hover();
    await bruno1.locator('[data-action=delete-card]').click();
    const dialog = a.locator('[data-testid=confirm-delete-card]');
    await dialog.waitFor();
    expect(await dialog.getAttribute('role')).toBe('alertdialog');
    expect(await dialog.locator('h2').textContent()).toBe('¿Eliminar la idea de Bruno?');
    expect(await a.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('cancel');
    await a.screenshot({ path: 'test-results/confirm-delete.png' });
    await a.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await cardTexts(a)).toContain('Primera de Bruno');

    await bruno1.hover();
    await bruno1.locator('[data-action=delete-card]').click();
    await dialog.locator('[data-action=confirm]').click();
    await expect.poll(() => cardTexts(b)).toEqual(['Segunda de Bruno', 'Propia de Ana']);

    // One's own card goes at once, to the trash too.
    const own = await cardByText(a, 'Propia de Ana');
    await own.hover();
    await own.locator('[data-action=delete-card]').click();
    await expect.poll(() => cardTexts(b)).toEqual(['Segunda de Bruno']);
    expect(await a.locator('[data-testid=confirm-delete-card]').count()).toBe(0);

    // Bruno (in English) finds both in the trash, with who deleted them, and restores his.
    await expect.poll(() => b.locator('[data-testid=open-trash]').getAttribute('data-count')).toBe('2');
    await b.click('[data-testid=open-trash]');
    const panel = b.locator('[data-testid=trash-panel]');
    await panel.waitFor();
    const entry = panel.locator('li', { hasText: 'Primera de Bruno' });
    expect(await entry.textContent()).toContain('Deleted by Ana');
    expect(await entry.textContent()).toContain('By Bruno');
    await b.screenshot({ path: 'test-results/trash.png' });
    await entry.locator('[data-action=restore]').click();
    await expect.poll(() => cardTexts(a)).toEqual(['Primera de Bruno', 'Segunda de Bruno']);
    expect(await panel.locator('li').count()).toBe(1);
    expect(await (await cardByText(a, 'Primera de Bruno')).locator('.byline').textContent()).toContain('Bruno');
    expect([...ana.errors, ...bruno.errors]).toEqual([]);
    await ana.context.close();
    await bruno.context.close();
  });
});
