// Pasting tab-separated text into a section makes a table the editor's own schema accepts.
import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';
import { Footnote } from '../../client/lib/editor/footnote.js';
import { tsvNodes } from '../../client/lib/editor/tsv-paste.js';
import { fixture } from '../support/fixtures.js';

const schema = getSchema([StarterKit.configure({ undoRedo: false, trailingNode: false, heading: { levels: [2, 3] } }), TableKit.configure({ table: { resizable: false } }), Footnote]);

describe('pasting tab-separated text', () => {
  it('turns the slide deck into its paragraphs and two tables (header row, empty corner, padded row)', () => {
    const nodes = tsvNodes(schema, fixture('presentacion-red-pip.txt')) ?? [];
    const doc = schema.node('doc', null, nodes);
    doc.check();
    expect(nodes.map((n) => n.type.name)).toEqual(['paragraph', 'paragraph', 'paragraph', 'table', 'paragraph', 'table', 'paragraph']);
    const cells = (t: (typeof nodes)[number] | undefined) => {
      const rows: string[][] = [];
      t?.forEach((row) => {
        const r: string[] = [];
        row.forEach((cell) => r.push(`${cell.type.name === 'tableHeader' ? 'th:' : ''}${cell.textContent}`));
        rows.push(r);
      });
      return rows;
    };
    expect(cells(nodes[3])).toEqual([
      ['th:Lugar', 'th:Año', 'th:Tema principal'],
      ['Lima', '2019', 'Innovación *abierta* en cadenas'],
      ['Cusco', '2021', 'Escalamiento de pilotos'],
      ['Arequipa', '2023', ''],
    ]);
    expect(cells(nodes[5])[0]).toEqual(['th:', 'th:Q1', 'th:Q2', 'th:Q3']);
  });

  it('leaves text without a table to the editor\'s own paste', () => {
    expect(tsvNodes(schema, 'una línea\notra\tcon un tab')).toBeNull();
    expect(tsvNodes(schema, '\tcódigo()\n\totro()')).toBeNull();
  });
});
