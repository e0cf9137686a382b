// A third-party reader agrees with our Word export: LibreOffice (what many organizers open
// a .docx with) converts the consolidated document — every block and mark, the annex, code
// blocks, tab tables — to PDF without complaint, and every group, code line and table cell
// comes through. Needs LibreOffice (skipped outside CI when absent; CI installs it).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, describe, expect, it } from 'vitest';
import { renderDocx } from '../../server/export/docx.js';
import { fidelityModel, fixtureModel } from '../support/export-fixtures.js';
import { libreOffice } from '../support/requires.js';

const soffice = libreOffice();
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'relatoria-lo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Converts a .docx with LibreOffice (its own throwaway profile) and returns the PDF's text and what LibreOffice said. */
async function throughLibreOffice(name: string, docx: Buffer): Promise<{ text: string; said: string }> {
  const file = join(dir, `${name}.docx`);
  writeFileSync(file, docx);
  const { stdout, stderr } = await run(soffice!, ['--headless', '--norestore', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'pdf', '--outdir', dir, file], {
    timeout: 120_000,
    env: { ...process.env, HOME: dir },
  });
  const pdf = join(dir, `${name}.pdf`);
  expect(existsSync(pdf), `LibreOffice wrote no PDF: ${stdout} ${stderr}`).toBe(true);
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(readFileSync(pdf))), { mergePages: true });
  return { text, said: `${stdout}\n${stderr}` };
}

describe.skipIf(!soffice)('the Word export through LibreOffice', () => {
  it('the consolidated fixtures, every block and the annex: converted, every group and word of note there', async () => {
    const { text, said } = await throughLibreOffice('fixtures', await renderDocx(fixtureModel({ features: true, annex: true })));
    expect(said).not.toMatch(/error/i);
    for (const words of ['Grupo B: Cambio Sistémico', 'Grupo D: Escalamiento', 'Grupo F: Formatos']) expect(text).toContain(words);
  }, 180_000);

  it('code blocks line for line and tab-separated tables as tables', async () => {
    const { text, said } = await throughLibreOffice('fidelity', await renderDocx(fidelityModel()));
    expect(said).not.toMatch(/error/i);
    expect(text).toContain('Feedback loop continuo');
    expect(text).toContain('┌──');
    for (const cell of ['Lugar', 'Año', 'Tema principal']) expect(text).toContain(cell);
  }, 180_000);
});
