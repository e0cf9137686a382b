// Issue 10 §1–5 on documents shaped like the workshop's: a strategy document (YAML front
// matter, fenced box-drawn diagrams, KPI blocks, an indented block), a slide deck's text
// (two tab-separated tables) and mis-decoded copies of them.
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { frontmatter } from 'micromark-extension-frontmatter';
import type { Code, Nodes } from 'mdast';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { importMarkdown } from '../../server/import/markdown.js';
import { renderMarkdown } from '../../server/export/markdown.js';
import { consolidate } from '../../server/export/consolidate.js';
import { findTsvTables } from '../../shared/tsv.js';
import { blocksText, fitToEditor, type Block } from '../../shared/rich-text.js';
import { fixture } from '../support/fixtures.js';

const STRATEGY = fixture('estrategia-analytics.md');
const DECK = fixture('presentacion-red-pip.txt');
const NAME = 'Red de proyectos PIP';

const codeBlocks = (blocks: Block[]) => blocks.filter((b): b is Extract<Block, { type: 'code' }> => b.type === 'code');
const cellText = (b: Block | undefined) => (b?.type === 'table' ? b.rows.map((r) => r.map((c) => blocksText(c.content))) : null);

function parse(md: string) {
  return fromMarkdown(md, { extensions: [gfm(), frontmatter(['yaml'])], mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown(['yaml'])] });
}
function codesOf(tree: Nodes): Code[] {
  const out: Code[] = [];
  const walk = (n: Nodes) => {
    if (n.type === 'code') out.push(n);
    if ('children' in n) for (const c of n.children) walk(c);
  };
  walk(tree);
  return out;
}

/** One group's export of an imported document, as the server builds it. */
function exportOne(source: string) {
  const imported = importMarkdown(source, { names: [NAME] });
  const model = consolidate(
    { id: 'w', title: 'Taller PIP', place: '', language: 'es', joinCode: 'ABCDEF', createdAt: Date.UTC(2026, 2, 14) },
    [{
      group: { id: 'g1', name: NAME, question: '', position: 0 },
      board: {
        meta: { title: imported.title ?? '', question: '', ...(imported.frontMatter ? { frontMatter: imported.frontMatter } : {}) },
        sections: imported.sections.map((s, i) => ({ ...s, body: fitToEditor(s.body), id: `s${i}` })),
        cards: [],
      },
    }],
  );
  return { imported, model, md: renderMarkdown(model) };
}

describe('code blocks (§1)', () => {
  it('imports fenced blocks with their language and an indented block, every line as written', () => {
    const { sections } = importMarkdown(STRATEGY, { names: [NAME] });
    const codes = codeBlocks(sections.flatMap((s) => s.body));
    expect(codes.map((c) => c.language)).toEqual(['text', '', 'sql', '']);
    expect(codes[0]?.text.split('\n')[0]).toBe('┌──────────────────┐     ┌──────────────────┐     ┌──────────────────┐');
    expect(codes[1]?.text).toContain('\n   - Feedback loop continuo\n');
    expect(codes[3]?.text).toBe('PIRÁMIDE DE MÉTRICAS\n    Norte: valor para las comunidades\n    Medio: uso y adopción');
    const intro = sections[0]?.body[0];
    expect(intro?.type === 'paragraph' && intro.content.find((i) => i.type === 'text' && i.marks?.code)).toEqual({ type: 'text', text: 'datos abiertos', marks: { code: true } });
  });

  it('exports them fenced and verbatim: no &#x20;, no \\-, and a GFM parser reads back the same code', () => {
    const { imported, md } = exportOne(STRATEGY);
    expect(md).toContain('```text\n┌──');
    expect(md).toContain('\n   - Feedback loop continuo\n');
    expect(md).not.toContain('&#x20;');
    expect(md).not.toContain('\\-');
    const back = codesOf(parse(md));
    const codes = codeBlocks(imported.sections.flatMap((s) => s.body));
    expect(back.map((c) => [c.lang ?? '', c.value])).toEqual(codes.map((c) => [c.language, c.text]));
  });

  it('reads a 10,000-line code block whole', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `│ fila ${i} │`);
    const { sections } = importMarkdown(`# Largo\n\n## Código\n\n\`\`\`\n${lines.join('\n')}\n\`\`\`\n`, { names: [] });
    expect(codeBlocks(sections[0]?.body ?? [])[0]?.text.split('\n')).toHaveLength(10_000);
  });
});

describe('tab-separated tables (§2)', () => {
  it('reads the slide deck\'s two tables: header first, an empty corner, a short row padded, italics kept', () => {
    const { sections } = importMarkdown(DECK, { names: [NAME] });
    const tables = (sections[0]?.body ?? []).filter((b) => b.type === 'table');
    expect(tables).toHaveLength(2);
    expect(cellText(tables[0])).toEqual([
      ['Lugar', 'Año', 'Tema principal'],
      ['Lima', '2019', 'Innovación abierta en cadenas'],
      ['Cusco', '2021', 'Escalamiento de pilotos'],
      ['Arequipa', '2023', ''],
    ]);
    expect(cellText(tables[1])).toEqual([['', 'Q1', 'Q2', 'Q3'], ['Proyectos', '12', '15', '19'], ['Socios', '4', '6', '9']]);
    const t0 = tables[0];
    expect(t0?.type === 'table' && t0.rows[0]?.every((c) => c.header) && t0.rows[1]?.every((c) => !c.header)).toBe(true);
    const lima = t0?.type === 'table' ? t0.rows[1]?.[2]?.content[0] : undefined;
    expect(lima?.type === 'paragraph' && lima.content[1]).toEqual({ type: 'text', text: 'abierta', marks: { italic: true } });
    // Nothing else became a table, and every word is there.
    expect(blocksText(sections[0]?.body ?? [])).toContain('Gracias por su atención.');
  });

  it('tells tables from indented code, single tabbed lines and fenced code', () => {
    expect(findTsvTables(['a\tb', 'c\td'])).toHaveLength(1);
    expect(findTsvTables(['\tcódigo()', '\totra()'])).toEqual([]);
    expect(findTsvTables(['solo\tuna'])).toEqual([]);
    expect(findTsvTables(['a\tb', 'c\td'], () => true)).toEqual([]);
    expect(findTsvTables(['a\tb\tc', 'x', 'd\te'])).toEqual([]);
    expect(findTsvTables(['a\tb', '1\t2\t3\t4'])[0]?.rows).toEqual([['a', 'b', '', ''], ['1', '2', '3', '4']]);
  });

  it('keeps pipe tables, and a pipe inside a tab-separated cell stays a character', () => {
    const { sections } = importMarkdown('| a | b |\n|---|---|\n| 1 | 2 |\n\nx\ty|z\n1\t2\n', { names: [] });
    const tables = (sections[0]?.body ?? []).filter((b) => b.type === 'table');
    expect(tables.map(cellText)).toEqual([[['a', 'b'], ['1', '2']], [['x', 'y|z'], ['1', '2']]]);
  });
});

describe('mis-decoded text (§3)', () => {
  it('imports the Mac Roman copy as the original, and says how many characters it repaired', () => {
    const broken = fixture('estrategia-analytics.mac-roman.md');
    const good = importMarkdown(STRATEGY, { names: [NAME] });
    const repaired = importMarkdown(broken, { names: [NAME] });
    expect(repaired.sections).toEqual(good.sections);
    expect(repaired.title).toBe(good.title);
    expect(repaired.frontMatter).toBe(good.frontMatter);
    expect(repaired.repaired).toBeGreaterThan(400);
    expect(good.repaired).toBe(0);
  });

  it('keeps the text as it came with repair off', () => {
    const kept = importMarkdown(fixture('estrategia-analytics.mac-roman.md'), { names: [NAME], repair: false });
    expect(kept.repaired).toBe(0);
    expect(JSON.stringify(kept.sections)).toContain('PIR√ÅMIDE');
  });
});

describe('front matter and the group\'s name (§4, §5)', () => {
  it('keeps the document\'s front matter as written, and its # title as the board\'s title', () => {
    const imported = importMarkdown(STRATEGY, { names: [NAME] });
    expect(imported.frontMatter).toBe('title: Estrategia de Analytics 2026\ncategory: estrategia\ntags:\n  - métricas\n  - datos\ncreated: 2026-03-14');
    expect(imported.title).toBe('ESTRATEGIA DE ANALYTICS DE LA RED');
  });

  it('writes it back when the group is exported alone, under the group\'s name, and reads it back the same', () => {
    const { md, imported } = exportOne(STRATEGY);
    const yaml = parse(md).children[0];
    const data = parseYaml(yaml?.type === 'yaml' ? yaml.value : '') as Record<string, unknown>;
    expect(data).toMatchObject({ title: 'Estrategia de Analytics 2026', category: 'estrategia', tags: ['métricas', 'datos'], created: '2026-03-14', workshop: 'Taller PIP' });
    expect(data.groups).toEqual([{ name: NAME, title: 'ESTRATEGIA DE ANALYTICS DE LA RED' }]);
    expect(md).toContain(`\n## ${NAME}\n\n**ESTRATEGIA DE ANALYTICS DE LA RED**\n`);
    const again = importMarkdown(md, { names: [NAME] });
    expect(again.title).toBe('ESTRATEGIA DE ANALYTICS DE LA RED');
    expect(parseYaml(again.frontMatter ?? '')).toEqual(parseYaml(imported.frontMatter ?? ''));
    expect(again.sections.map((s) => s.heading)).toEqual(imported.sections.map((s) => s.heading));
  });

  it('heads the slide deck\'s chapter with the group\'s name, its title under it', () => {
    const { md } = exportOne(DECK);
    expect(md).toContain(`## ${NAME}\n\n**LA EXPERIENCIA DE LA RED DE PROYECTOS PIP**`);
    expect(md).not.toContain('## LA EXPERIENCIA');
  });
});

describe('line breaks inside paragraphs', () => {
  it('keeps a single newline as a line break in a document written by people', () => {
    const { sections } = importMarkdown('## KPI\n\nMeta: 1.200 usuarios\nPlazo: diciembre de 2026\nResponsable: **equipo de datos**\n', { names: [] });
    expect(sections[0]?.body[0]).toEqual({
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Meta: 1.200 usuarios' }, { type: 'hardBreak' },
        { type: 'text', text: 'Plazo: diciembre de 2026' }, { type: 'hardBreak' },
        { type: 'text', text: 'Responsable: ' }, { type: 'text', text: 'equipo de datos', marks: { bold: true } },
      ],
    });
  });

  it('reads a hard-wrapped document (lines cut at 72 columns) as GFM does: a newline is a space', () => {
    const wrapped = [
      'Los proyectos analizados son aún bastante recientes para poder llegar a',
      'conclusiones contundentes respecto al escalamiento, sin embargo se hace',
      'evidente que para lograr escalamiento y sostenibilidad se requiere una',
      'lógica clara.',
    ].join('\n');
    const { sections } = importMarkdown(`## Texto\n\n${wrapped}\n`, { names: [] });
    expect(sections[0]?.body[0]).toEqual({ type: 'paragraph', content: [{ type: 'text', text: wrapped.replaceAll('\n', ' ') }] });
  });
});

describe('bad input', () => {
  it('refuses a 200-column tab-separated table by the column limit, in milliseconds, never as garbage', () => {
    const row = (p: string) => Array.from({ length: 200 }, (_, i) => `${p}${i}`).join('\t');
    expect(() => importMarkdown(`${row('h')}\n${row('c')}\n`, { names: [] })).toThrow(expect.objectContaining({ status: 422, code: 'import_too_many_columns' }));
  });

  it('a document that is only mis-decoded bytes is repaired or left as it was', () => {
    const { sections, repaired } = importMarkdown('‚îå‚îÄ‚îÄ‚îê\n‚îî‚îÄ‚îÄ‚îò\n', { names: [] });
    expect(repaired).toBe(24);
    expect(blocksText(sections[0]?.body ?? [])).toBe('┌──┐\n└──┘');
  });
});
