import { describe, expect, it } from 'vitest';
import { importMarkdown } from '../../server/import/markdown.js';
import { prepareMarkdown } from '../../server/import/prepare.js';
import { blocksText, type Block } from '../../shared/rich-text.js';
import { fixture, words } from '../support/export-fixtures.js';

const B = fixture('grupo-b-cambio-sistemico.md');
const D = fixture('grupo-d-escalamiento.md');

const list = (b: Block | undefined) => {
  if (b?.type !== 'list') throw new Error(`expected a list, got ${b?.type}`);
  return b;
};
const itemText = (item: Block[]) => blocksText(item.slice(0, 1));

describe('Markdown import of the real documents', () => {
  it('reads group B: its ## title, one section, seven bullets with their bold phrases', () => {
    const board = importMarkdown(B, { names: ['Grupo B: Cambio Sistémico'] });
    expect(board.title).toBe('Grupo B: Cambio Sistémico');
    expect(board.sections.map((s) => s.heading)).toEqual(['Conclusiones y Recomendaciones']);
    const bullets = list(board.sections[0]?.body[0]);
    expect(bullets.ordered).toBe(false);
    expect(bullets.items).toHaveLength(7);
    const first = bullets.items[0]?.[0];
    expect(first?.type === 'paragraph' && first.content[1]).toEqual({ type: 'text', text: 'dimensionar adecuadamente el cambio', marks: { bold: true } });
  });

  it('joins the paragraph a page break cut in two', () => {
    const board = importMarkdown(B, { names: ['Grupo B'] });
    const sixth = list(board.sections[0]?.body[0]).items[5] ?? [];
    expect(sixth).toHaveLength(1);
    expect(itemText(sixth)).toContain('Esos sistemas de trabajo tienen que conectarse');
  });

  it('reads group D: the plain title line, the intro, sub-bullets indented by one space, superscript footnotes', () => {
    const board = importMarkdown(D, { names: ['Grupo D: Escalamiento'] });
    expect(board.title).toBe('Grupo D: Escalamiento');
    expect(board.sections).toHaveLength(1);
    const [intro, bullets] = board.sections[0]?.body ?? [];
    expect(intro?.type).toBe('paragraph');
    const items = list(bullets).items;
    expect(items.map((i) => i.length)).toEqual([2, 1, 1, 1, 1, 1, 2, 2]);
    expect(list(items[0]?.[1]).items.map(itemText)).toEqual([
      'adoptar una innovación, un modelo de negocio',
      'fomentar la réplica – o no – del piloto por parte de otros actores:',
      'adaptar (más clientes para un proveedor)',
      'expandir (más proveedores que brindan el mismo u otro servicio)',
      'responder (escalamiento mediante cambio en el marco regulatorio e políticas de Estado).',
    ]);
    expect(list(items[6]?.[1]).items).toHaveLength(5);
    const marco = items[1]?.[0];
    expect(marco?.type === 'paragraph' && marco.content.slice(0, 3)).toEqual([
      { type: 'text', text: 'Marco regulatorio adecuado', marks: { bold: true } },
      { type: 'footnote', content: 'Ciertas normas pueden impedir el escalamiento.' },
      { type: 'text', text: ' y contexto favorable', marks: { bold: true } },
    ]);
    const articulacion = items[2]?.[0];
    expect(articulacion?.type === 'paragraph' && articulacion.content.find((i) => i.type === 'footnote')).toEqual({
      type: 'footnote',
      content: 'En determinados contextos, no es necesario que la estrategia incluya la articulación de actores para el escalamiento.',
    });
  });

  it.each([
    ['B', B, 'Grupo B: Cambio Sistémico'],
    ['D', D, 'Grupo D: Escalamiento'],
  ])('loses no word of fixture %s', (_name, source, name) => {
    const board = importMarkdown(source, { names: [name] });
    const imported = [board.title ?? '', ...board.sections.flatMap((s) => [s.heading, blocksText(s.body)])].join('\n');
    // Footnotes move from the end to where they are referenced: compare as multisets.
    expect(words(imported).sort()).toEqual(words(source).sort());
  });
});

describe('Markdown import: structure', () => {
  const body = (md: string) => importMarkdown(md, { names: [] }).sections.flatMap((s) => s.body);

  it('nests list items by any indentation deeper than their parent', () => {
    for (const indent of [' ', '  ', '   ', '    ', '\t']) {
      const blocks = body(`- a\n${indent}- b\n${indent}${indent}- c\n- d`);
      const top = list(blocks[0]);
      expect(top.items).toHaveLength(2);
      const b = list(top.items[0]?.[1]);
      expect(itemText(b.items[0] ?? [])).toBe('b');
      expect(itemText(list(b.items[0]?.[1]).items[0] ?? [])).toBe('c');
    }
  });

  it('keeps an ordered list start, tables with alignment, code blocks with their language, quotes, rules', () => {
    const blocks = body('3. tres\n4. cuatro\n\n| A | B |\n|:--|--:|\n| **x** | y |\n\n```python\nprint("¡hola!")\n\n# no es un título\n```\n\n> cita\n\n---\n');
    expect(blocks.map((b) => b.type)).toEqual(['list', 'table', 'code', 'quote', 'rule']);
    expect(list(blocks[0]).start).toBe(3);
    const table = blocks[1];
    expect(table?.type === 'table' && table.rows.map((r) => r.map((c) => [c.header, c.align, blocksText(c.content)]))).toEqual([
      [[true, 'left', 'A'], [true, 'right', 'B']],
      [[false, null, 'x'], [false, null, 'y']],
    ]);
    expect(blocks[2]).toEqual({ type: 'code', language: 'python', text: 'print("¡hola!")\n\n# no es un título' });
  });

  it('reads GFM footnotes, links, inline code, strikethrough and underline tags', () => {
    const [para] = body('Un [enlace](https://x.org) con `código`, ~~tachado~~ y <u>subrayado</u>.[^a]\n\n[^a]: La **nota**.');
    expect(para).toEqual({
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Un ' },
        { type: 'text', text: 'enlace', marks: { link: 'https://x.org' } },
        { type: 'text', text: ' con ' },
        { type: 'text', text: 'código', marks: { code: true } },
        { type: 'text', text: ', ' },
        { type: 'text', text: 'tachado', marks: { strike: true } },
        { type: 'text', text: ' y ' },
        { type: 'text', text: 'subrayado', marks: { underline: true } },
        { type: 'text', text: '.' },
        { type: 'footnote', content: 'La nota.' },
      ],
    });
  });

  it('splits sections at the shallowest heading after the title and keeps deeper ones in the body', () => {
    const board = importMarkdown('# Grupo X\n\nintro\n\n## Uno\n\ntexto\n\n### Detalle\n\nmás\n\n## Dos\n\nfin', { names: [] });
    expect(board.title).toBe('Grupo X');
    expect(board.sections.map((s) => s.heading)).toEqual(['', 'Uno', 'Dos']);
    expect(board.sections[1]?.body[1]).toEqual({ type: 'heading', level: 2, content: [{ type: 'text', text: 'Detalle' }] });
  });

  it('takes a first plain line as the title only when it names the group', () => {
    expect(importMarkdown('Grupo D: Escalamiento\n\ntexto', { names: ['Grupo D'] }).title).toBe('Grupo D: Escalamiento');
    const other = importMarkdown('Introducción\n\ntexto', { names: ['Grupo D'] });
    expect(other.title).toBeNull();
    expect(blocksText(other.sections[0]?.body ?? [])).toBe('Introducción\ntexto');
  });

  it('keeps the words of what has no place on a board: raw HTML, images, unreferenced notes, missing notes', () => {
    const text = blocksText(body('<div>caja</div>\n\n![un gráfico](g.png) y [^falta]\n\n[^sobra]: nota suelta'));
    expect(text).toContain('<div>caja</div>');
    expect(text).toContain('un gráfico');
    expect(text).toContain('[^falta]');
    expect(text).toContain('nota suelta');
  });
});

describe('prepareMarkdown', () => {
  it('does not join a paragraph that ends a sentence, nor one whose next line starts a new one', () => {
    expect(prepareMarkdown('Termina aquí.\n\nsigue en minúscula')).toBe('Termina aquí.\n\nsigue en minúscula');
    const long = 'Una línea larga de un párrafo que un salto de página cortó en';
    expect(prepareMarkdown(`${long}\n\nOtra frase`)).toBe(`${long}\n\nOtra frase`);
    expect(prepareMarkdown(`${long}\n\n\nmedio`)).toBe(`${long} medio`);
    expect(prepareMarkdown('Título corto\n\ntexto')).toBe('Título corto\n\ntexto');
  });

  it('leaves fenced code alone', () => {
    const code = '```\n - a\ncortado en\n\nmedio ¹\n```\n\n¹ nota';
    expect(prepareMarkdown(code).startsWith('```\n - a\ncortado en\n\nmedio ¹\n```')).toBe(true);
  });

  it('turns superscripts into footnotes only when a definition line exists, and not in GFM documents', () => {
    expect(prepareMarkdown('50 m²\n')).toBe('50 m²\n');
    expect(prepareMarkdown('dato¹ y más\n\n¹ Fuente.')).toBe('dato[^1] y más\n\n[^1]: Fuente.');
    expect(prepareMarkdown('dato¹[^a]\n\n[^a]: x\n\n¹ y')).toBe('dato¹[^a]\n\n[^a]: x\n\n¹ y');
  });
});
