// Issue 10 in a real browser: the HTML export of a document with wide diagrams and tables
// never widens the page (code scrolls inside its box), and on the board a code block keeps
// its lines (monospace, scrolled sideways) while pasting tab-separated text makes a table.
import { beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../server/export/html.js';
import { fidelityModel, fixture } from '../support/export-fixtures.js';
import {
  browserAvailability, createWorkshop, firstEditor, joinThroughUi, newPerson,
  waitConnected, type Workshop, useBrowserAndServer,
} from './browser-harness.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const GROUPS = [{ name: 'Red de proyectos PIP', question: '¿Qué aprendimos?' }];

describe.skipIf(availability.skip)('issue 10 material in a browser', () => {
  const e2e = useBrowserAndServer();
  let workshop: Workshop;

  beforeAll(async () => {
    workshop = await createWorkshop(e2e.server.url, GROUPS);
  });

  it('the HTML export stays within a 1,000 px window: code and tables scroll inside their boxes', async () => {
    const { context, page } = await newPerson(e2e.browser, { width: 1000, height: 800 });
    try {
      await page.setContent(renderHtml(fidelityModel()));
      const sizes = await page.evaluate(() => {
        const pre = [...document.querySelectorAll('pre')];
        return {
          page: (document.scrollingElement as Element).scrollWidth,
          inner: window.innerWidth,
          widest: Math.max(...pre.map((p) => p.scrollWidth - p.clientWidth)),
          font: getComputedStyle(pre[0]?.querySelector('code') as Element).fontFamily,
        };
      });
      expect(sizes.page).toBeLessThanOrEqual(sizes.inner);
      expect(sizes.widest).toBeGreaterThan(0); // the long SQL line scrolls inside its box
      expect(sizes.font).toContain('Mono');
    } finally {
      await context.close();
    }
  });

  it('on the board, a code block keeps its lines and pasted tab-separated text becomes a table', async () => {
    const { context, page } = await newPerson(e2e.browser, { width: 1000, height: 900 });
    try {
      const res = await fetch(`${e2e.server.url}/api/workshops/${workshop.id}/groups/${workshop.groups[0]?.id}/import?mode=replace`, {
        method: 'POST',
        headers: { authorization: `Bearer ${workshop.facilitatorToken}`, 'content-type': 'text/markdown; charset=utf-8' },
        body: fixture('estrategia-analytics.md'),
      });
      expect(res.status).toBe(200);
      await joinThroughUi(page, e2e.server.url, workshop.joinCode, GROUPS[0]!.name, 'Ana');
      await waitConnected(page);
      const pre = page.locator('[data-section-id] .tiptap pre').first();
      await pre.waitFor({ timeout: 10_000 });
      const code = await page.evaluate(() => {
        const all = [...document.querySelectorAll('[data-section-id] .tiptap pre')];
        const kpi = all.find((p) => p.textContent?.includes('Feedback loop')) as HTMLElement;
        const sql = all.find((p) => p.textContent?.includes('SELECT')) as HTMLElement;
        return {
          count: all.length,
          kpi: kpi.textContent,
          whiteSpace: getComputedStyle(kpi).whiteSpace,
          font: getComputedStyle(kpi).fontFamily,
          sqlScrolls: sql.scrollWidth > sql.clientWidth,
          page: (document.scrollingElement as Element).scrollWidth,
          inner: window.innerWidth,
        };
      });
      expect(code.count).toBe(4);
      expect(code.kpi).toContain('\n   - Feedback loop continuo\n');
      expect(code.whiteSpace).toBe('pre');
      expect(code.font).toContain('Mono');
      expect(code.sqlScrolls).toBe(true);
      expect(code.page).toBeLessThanOrEqual(code.inner);
      // The board's details show the document's front matter.
      const details = page.locator('[data-testid=board-front-matter]');
      await details.locator('summary').click();
      expect(await details.locator('pre').textContent()).toContain('category: estrategia');

      // Paste the slide deck's first table as plain text at the end of the last section.
      const editor = firstEditor(page);
      await editor.click();
      await page.keyboard.press('Control+End');
      const tables = () => page.locator('[data-section-id] .tiptap table').count();
      const before = await tables();
      await page.evaluate((text) => {
        const target = document.activeElement as HTMLElement;
        const data = new DataTransfer();
        data.setData('text/plain', text);
        target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, 'Lugar\tAño\tTema principal\nLima\t2019\tInnovación\nCusco\t2021\n');
      await expect.poll(tables, { timeout: 5000 }).toBe(before + 1);
      const cells = await page.locator('[data-section-id] .tiptap table').last().locator('th, td').allTextContents();
      expect(cells).toEqual(['Lugar', 'Año', 'Tema principal', 'Lima', '2019', 'Innovación', 'Cusco', '2021', '']);
      await expect.poll(async () => page.locator('[data-section-id] .tiptap table').last().locator('th').count()).toBe(3);
    } finally {
      await context.close();
    }
  });
});
