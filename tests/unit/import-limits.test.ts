// The structural limits of a Markdown import (shared/import-limits.ts): each one holds
// exactly at its number, is refused one past it with a 422 whose code and message name
// it, and leaves alone what only looks like it (fenced code, several paragraphs, a table's rows).
import { describe, expect, it } from 'vitest';
import { IMPORT_LIMIT_CODES, MARKDOWN_STRUCTURE_LIMITS as MAX } from '../../shared/import-limits.js';
import { blocksText } from '../../shared/rich-text.js';
import { HttpError } from '../../server/http/http-error.js';
import { importMarkdown } from '../../server/import/markdown.js';

const read = (md: string) => importMarkdown(md, { names: [] });
const words = (md: string) => read(md).sections.map((s) => blocksText(s.body)).join('\n');
const lines = (n: number, line: (i: number) => string, sep = '\n') => Array.from({ length: n }, (_, i) => line(i)).join(sep);

function refusal(md: string): HttpError {
  try {
    read(md);
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('the document was read');
}

describe('Markdown import limits', () => {
  it(`reads block quotes nested ${MAX.depth} deep and refuses ${MAX.depth + 1}`, () => {
    expect(words(`${'>'.repeat(MAX.depth)} hondo`)).toBe('hondo');
    const err = refusal(`${'> '.repeat(MAX.depth + 1)} hondo`);
    expect(err).toMatchObject({ status: 422, code: IMPORT_LIMIT_CODES.depth, message: expect.stringContaining(`more than ${MAX.depth} levels`) });
    expect(refusal(`${'> - '.repeat(17)}mezcla`).code).toBe(IMPORT_LIMIT_CODES.depth);
  });

  it('refuses lists nested by indentation past the limit (counted on the parsed tree)', () => {
    const nested = (n: number) => lines(n, (i) => `${'  '.repeat(i)}- nivel ${i}`);
    expect(words(nested(MAX.depth))).toContain(`nivel ${MAX.depth - 1}`);
    expect(refusal(nested(MAX.depth + 1)).code).toBe(IMPORT_LIMIT_CODES.depth);
  });

  it(`reads a paragraph of ${MAX.delimitersPerParagraph} emphasis and link marks and refuses one more`, () => {
    const bold = (n: number) => '**b** '.repeat(n); // four marks each
    expect(read(bold(MAX.delimitersPerParagraph / 4)).sections).toHaveLength(1);
    const err = refusal(`${bold(MAX.delimitersPerParagraph / 4)}_`);
    expect(err).toMatchObject({ status: 422, code: IMPORT_LIMIT_CODES.delimitersPerParagraph, message: expect.stringContaining(String(MAX.delimitersPerParagraph)) });
    expect(refusal('*_['.repeat(87_000)).code).toBe(IMPORT_LIMIT_CODES.delimitersPerParagraph);
  });

  it('counts marks per paragraph, list item and table row, and not in fenced code', () => {
    const paragraph = '**b** '.repeat(400);
    expect(read(`${paragraph}\n\n${paragraph}\n\n${paragraph}`).sections).toHaveLength(1);
    const list = read(lines(1_000, (i) => `- **Idea ${i}**: su _explicación_`)).sections[0]?.body[0];
    expect(list?.type === 'list' && list.items.length).toBe(1_000);
    // `2.` cannot interrupt a paragraph: such lines go on with it, and are counted with it.
    expect(refusal(`texto\n${lines(5, (i) => `${i + 2}. ${'*_['.repeat(200)}`)}`).code).toBe(IMPORT_LIMIT_CODES.delimitersPerParagraph);
    expect(refusal(`texto\n${lines(5, () => `#etiqueta ${'*_['.repeat(200)}`)}`).code).toBe(IMPORT_LIMIT_CODES.delimitersPerParagraph);
    expect(read(lines(5, (i) => `## Título ${i} ${'**b** '.repeat(300)}`)).sections).toHaveLength(5);
    const row = `|${' **b** |'.repeat(MAX.tableColumns)}\n`;
    expect(read(`|${' h |'.repeat(MAX.tableColumns)}\n|${'---|'.repeat(MAX.tableColumns)}\n${row.repeat(20)}`).sections).toHaveLength(1);
    expect(words(`\`\`\`\n${'*_['.repeat(5_000)}\n${'>'.repeat(100)}\n\`\`\`\n`)).toContain('*_[');
  });

  it(`reads a table of ${MAX.tableColumns} columns and refuses ${MAX.tableColumns + 1}`, () => {
    const table = (n: number) => `|${' h |'.repeat(n)}\n|${' :-: |'.repeat(n)}\n|${' 1 |'.repeat(n)}\n`;
    const body = read(table(MAX.tableColumns)).sections[0]?.body[0];
    expect(body?.type === 'table' && body.rows[0]?.length).toBe(MAX.tableColumns);
    expect(refusal(table(MAX.tableColumns + 1))).toMatchObject({ status: 422, code: IMPORT_LIMIT_CODES.tableColumns });
  });

  it(`reads ${MAX.footnoteDefinitions} footnotes and refuses one more`, () => {
    const notes = (n: number) => `${lines(n, (i) => `dicho[^${i}]`, '\n\n')}\n\n${lines(n, (i) => `[^${i}]: nota ${i}`, '\n\n')}`;
    expect(read(notes(MAX.footnoteDefinitions)).sections[0]?.body).toHaveLength(MAX.footnoteDefinitions);
    expect(refusal(notes(MAX.footnoteDefinitions + 1))).toMatchObject({ status: 422, code: IMPORT_LIMIT_CODES.footnoteDefinitions });
  });

  it(`reads ${MAX.linkDefinitions} link definitions and refuses one more`, () => {
    const links = (n: number) => `${lines(n, (i) => `[l${i}]`, '\n\n')}\n\n${lines(n, (i) => `[l${i}]: https://ejemplo.org/${i}`)}`;
    expect(read(links(MAX.linkDefinitions)).sections[0]?.body).toHaveLength(MAX.linkDefinitions);
    expect(refusal(links(MAX.linkDefinitions + 1))).toMatchObject({ status: 422, code: IMPORT_LIMIT_CODES.linkDefinitions });
  });
});
