// A third-party reader opens our slide deck: LibreOffice Impress converts the plenary
// synthesis's .pptx to PDF without complaint, and the titles, recommendations and groups
// come through. Needs LibreOffice with Impress (skipped outside CI when absent; CI installs it).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, describe, expect, it } from 'vitest';
import { consolidate } from '../../server/export/consolidate.js';
import { renderPptx } from '../../server/export/pptx.js';
import type { PlenaryContent } from '../../shared/plenary.js';
import { WORKSHOP, fixtureBoards, plenarySource } from '../support/export-fixtures.js';
import { libreOffice } from '../support/requires.js';

const soffice = libreOffice();
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'relatoria-lo-pptx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const groups = fixtureBoards();
const src = plenarySource;
const PLENARY: PlenaryContent = {
  title: '',
  sections: [{ id: 's1', heading: 'Conclusiones generales', body: [{ type: 'paragraph', content: [{ type: 'text', text: 'El sistema aprende en red.' }] }] }],
  items: [
    { id: 'i1', text: 'Formación docente continua', sources: [src('grupo-b')], position: 1, createdAt: 1 },
    { id: 'i2', text: 'Escalar con alianzas locales', sources: [src('grupo-d'), src('grupo-b')], position: 2, createdAt: 2 },
  ],
};

describe.skipIf(!soffice)('the slide deck through LibreOffice Impress', () => {
  it('converts to PDF without error, one page per slide, the titles and recommendations there', async () => {
    const model = consolidate(WORKSHOP, groups, { votes: [{ groupId: 'plenary', cardId: 'i2', dots: 7, voters: 4 }], plenary: { content: PLENARY, groups: groups.map((g) => g.group) } });
    const file = join(dir, 'deck.pptx');
    writeFileSync(file, await renderPptx(model));
    const { stdout, stderr } = await run(soffice!, ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'pdf', '--outdir', dir, file], {
      timeout: 120_000,
      env: { ...process.env, HOME: dir },
    });
    expect(`${stdout}\n${stderr}`).not.toMatch(/error/i);
    const pdfFile = join(dir, 'deck.pdf');
    expect(existsSync(pdfFile), `LibreOffice wrote no PDF: ${stdout} ${stderr}`).toBe(true);
    const pdf = await getDocumentProxy(new Uint8Array(readFileSync(pdfFile)));
    expect(pdf.numPages).toBe(1 + 1 + 2 + 1 + model.groups.length);
    const { text } = await extractText(pdf, { mergePages: true });
    const flat = text.replace(/\s+/g, ' ');
    for (const words of [WORKSHOP.title, 'Conclusiones generales', 'Escalar con alianzas locales', 'Formación docente continua', 'Priorización', ...model.groups.map((g) => g.name)]) expect(flat).toContain(words);
  }, 180_000);
});
