// The Content-Security-Policy the server sends, lived in a real browser: the home, join,
// board, console, projector and export pages work under it (editor, carets, QR code,
// export preview, downloads) and not one `securitypolicyviolation` is raised nor one
// CSP error logged.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import {
  browserAvailability, createWorkshop, firstEditor, joinThroughUi, launchChromium, newPerson, startE2eServer, type E2eServer,
} from './browser-harness.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const GROUPS = [{ name: 'Grupo A: Territorio', question: '¿Qué proponemos?' }];

/** Every CSP violation any frame of the context reports, as "directive blocked-uri". */
async function watchViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      const line = `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`;
      w.cspViolations.push(line);
      // The top frame's list is the one read: a frame's violations go there too.
      if (window.top === window) return;
      try {
        (window.top as unknown as { cspViolations?: string[] }).cspViolations?.push(line);
      } catch {
        // A frame of another origin: its own list stays.
      }
    });
  });
}

const violations = (page: Page) => page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []);

async function download(page: Page, format: string): Promise<Buffer> {
  const [file]: [Download, unknown] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-format=${format}]`)]);
  return readFileSync(await file.path());
}

describe.skipIf(availability.skip)('pages under the Content-Security-Policy', () => {
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('home, join, board, console, projector and export raise no violation and still work', async () => {
    const w = await createWorkshop(server.url, GROUPS);
    const groupId = w.groups[0]!.id;
    const people = await Promise.all([newPerson(browser), newPerson(browser), newPerson(browser, { width: 1600, height: 900 })]);
    const [facilitator, ana, projector] = people;
    for (const p of people) await watchViolations(p.context);
    const seen: string[] = [];

    // Home.
    const home = await facilitator.page.goto(server.url);
    expect(home?.headers()['content-security-policy']).toContain("script-src 'self'");
    await facilitator.page.locator('form').first().waitFor();
    seen.push(...(await violations(facilitator.page)));

    // Join and board: the editor (Tiptap injects its stylesheet), carets, a card.
    await joinThroughUi(ana.page, server.url, w.joinCode, GROUPS[0]!.name, 'Ana');
    await firstEditor(ana.page).click();
    await ana.page.keyboard.type('Fortalecer los espacios existentes.');
    await ana.page.fill('textarea[name=card-text]', 'Mesas territoriales');
    await ana.page.keyboard.press('Enter');
    await expect.poll(() => ana.page.locator('[data-card-id] textarea').first().inputValue(), { timeout: 5000 }).toBe('Mesas territoriales');

    // Console (its QR code), then the projector, spotlighting the board.
    await facilitator.page.goto(`${server.url}/w/${w.id}/facilitate#k=${encodeURIComponent(w.facilitatorToken)}`);
    await facilitator.page.locator('[data-testid=join-code]').waitFor();
    await facilitator.page.click('[data-testid=link-create-projector]');
    const link = await facilitator.page.locator('[data-testid=link-projector] input').inputValue();
    await projector.page.goto(link);
    await projector.page.locator('[data-testid=projector-code]', { hasText: w.joinCode }).waitFor({ timeout: 5000 });
    expect(await projector.page.locator('[data-testid=projector] svg').count()).toBeGreaterThan(0); // the QR code
    await facilitator.page.locator(`[data-testid=groups-panel] [data-group-id="${groupId}"] [data-testid=spotlight-toggle]`).click();
    await projector.page.locator('[data-testid=projector-board] .card', { hasText: 'Mesas territoriales' }).waitFor({ timeout: 5000 });

    // Export: the sandboxed preview (the export's own <style>, in a srcdoc frame), PDF and DOCX downloads.
    await facilitator.page.click('[data-testid=open-export]');
    await facilitator.page.waitForURL(/\/export$/);
    await expect
      .poll(() => facilitator.page.frameLocator('[data-testid=export-preview]').locator('body').innerText(), { timeout: 5000 })
      .toContain('Fortalecer los espacios existentes');
    expect((await download(facilitator.page, 'pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await download(facilitator.page, 'docx')).subarray(0, 2).toString()).toBe('PK');

    for (const p of people) seen.push(...(await violations(p.page)));
    const cspErrors = people.flatMap((p) => p.errors).filter((e) => /Content Security Policy|Refused to/i.test(e));
    expect(seen).toEqual([]);
    expect(cspErrors).toEqual([]);
    expect(people.flatMap((p) => p.errors)).toEqual([]);
    for (const p of people) await p.context.close();
  }, 120_000);

  it('a page that tries inline script is refused and says so (the watcher works)', async () => {
    const person = await newPerson(browser);
    await watchViolations(person.context);
    await person.page.goto(server.url);
    await person.page.locator('form').first().waitFor();
    await person.page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true';
      document.body.append(s);
    });
    await expect.poll(() => violations(person.page)).toHaveLength(1);
    expect(await person.page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
    await person.context.close();
  });
});
