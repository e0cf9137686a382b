// A Word document imported through the board's import dialog, in a real browser against a
// real server: a file that is no .docx is caught before sending, a .docx replaces the text
// box with what will be sent, and its lists, table and footnotes reach another
// participant's board. Screenshot in test-results/documents.
import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorkshop, joinThroughUi, newPerson, waitConnected, browserAvailability, useBrowserAndServer } from './browser-harness.js';
import { consolidate } from '../../server/export/consolidate.js';
import { renderDocx } from '../../server/export/docx.js';
import { DOCX_MEDIA_TYPE } from '../../shared/docx-import.js';
import { FEATURE_BLOCKS, WORKSHOP } from '../support/export-fixtures.js';

const availability = browserAvailability();
if (availability.skip) console.warn(`SKIPPED ${availability.reason}`);

const GROUPS = [{ name: 'Grupo F: Formatos', question: '¿Qué formatos usamos?' }];

describe.skipIf(availability.skip)('Word import in a browser', () => {
  const e2e = useBrowserAndServer();

  beforeAll(async () => {
    mkdirSync('test-results/documents', { recursive: true });
  });

  it('a .docx chosen in the dialog reaches another participant’s board', async () => {
    const w = await createWorkshop(e2e.server.url, GROUPS, 'Encuentro de Innovación Social');
    const group = w.groups[0]!;
    const docx = await renderDocx(consolidate(WORKSHOP, [{
      group: { id: 'g', name: GROUPS[0]!.name, question: '', position: 0 },
      board: { meta: { title: 'Grupo F: Formatos', question: '' }, sections: [{ id: 's', heading: 'Todo lo que el editor escribe', body: FEATURE_BLOCKS }], cards: [] },
    }]));

    const bruno = await newPerson(e2e.browser);
    await joinThroughUi(bruno.page, e2e.server.url, w.joinCode, GROUPS[0]!.name, 'Bruno Díaz');
    const f = await newPerson(e2e.browser);
    await f.page.goto(`${e2e.server.url}/w/${w.id}/facilitate#k=${encodeURIComponent(w.facilitatorToken)}`);
    await f.page.locator('[data-testid=join-code]').waitFor();
    await f.page.goto(`${e2e.server.url}/w/${w.id}/g/${group.id}?as=facilitator`);
    await waitConnected(f.page);
    await f.page.click('[data-testid=open-import]');
    const dialog = f.page.locator('[data-testid=import-dialog]');
    await dialog.waitFor();
    const file = dialog.locator('input[name=markdown-file]');

    // An old .doc renamed .docx is caught before sending.
    await file.setInputFiles({ name: 'viejo.docx', mimeType: DOCX_MEDIA_TYPE, buffer: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) });
    await expect.poll(() => dialog.locator('[data-testid=import-problem]').textContent()).toContain('no es un documento de Word');

    await file.setInputFiles({ name: 'formatos.docx', mimeType: DOCX_MEDIA_TYPE, buffer: docx });
    await dialog.locator('[data-testid=import-docx]').waitFor();
    expect(await dialog.locator('[data-testid=import-docx]').textContent()).toContain('formatos.docx');
    expect(await dialog.locator('textarea[name=markdown]').count()).toBe(0);
    await dialog.locator('input[name=import-mode][value=replace]').check();
    await f.page.screenshot({ path: 'test-results/documents/import-docx-dialog.png', fullPage: true });
    await dialog.locator('[data-testid=import-submit]').click();
    await dialog.locator('[data-testid=import-done]').waitFor();

    const board = bruno.page.locator('[data-section-id] .tiptap');
    await board.locator('li', { hasText: 'viñeta anidada' }).first().waitFor({ timeout: 5000 });
    expect(await board.locator('ol ul li', { hasText: 'viñeta anidada' }).count()).toBe(1);
    expect(await board.locator('table td', { hasText: 'Sector público' }).count()).toBe(1);
    expect(await board.locator('strong', { hasText: 'negrita' }).count()).toBe(1);
    expect(await board.locator('a[href^="https://ejemplo.org/"]', { hasText: 'enlace a la guía' }).count()).toBe(1);
    expect(await board.locator('sup[data-footnote]').count()).toBe(2);
    expect([...f.errors, ...bruno.errors]).toEqual([]);
    await f.context.close();
    await bruno.context.close();
  });
});
