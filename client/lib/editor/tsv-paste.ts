// Pasting tab-separated text (a slide deck's table, a spreadsheet copied as plain text)
// makes a table, as the Markdown import does (shared/tsv.ts decides what is one). Pasted
// HTML keeps its own handling (a spreadsheet's HTML table already becomes a table), and
// nothing changes inside a code block (its text stays as typed) or a table (no nesting).
import { Extension } from '@tiptap/core';
import { Fragment, Slice, type Node as PmNode, type Schema } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { findTsvTables } from '../../../shared/tsv.js';

const paragraph = (schema: Schema, text: string): PmNode =>
  schema.node('paragraph', null, text === '' ? [] : [schema.text(text)]);

/** The nodes plain `text` pastes as, or null when it holds no tab-separated table. */
export function tsvNodes(schema: Schema, text: string): PmNode[] | null {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  const tables = findTsvTables(lines);
  if (tables.length === 0) return null;
  const nodes: PmNode[] = [];
  const prose = (from: number, to: number) => {
    for (const line of lines.slice(from, to)) if (line.trim() !== '') nodes.push(paragraph(schema, line.trim()));
  };
  let at = 0;
  for (const t of tables) {
    prose(at, t.start);
    const rows = t.rows.map((row, r) =>
      schema.node('tableRow', null, row.map((cell) => schema.node(r === 0 ? 'tableHeader' : 'tableCell', null, [paragraph(schema, cell)]))),
    );
    nodes.push(schema.node('table', null, rows));
    at = t.end;
  }
  prose(at, lines.length);
  return nodes;
}

export const TsvPaste = Extension.create({
  name: 'tsvPaste',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('tsvPaste'),
        props: {
          handlePaste(view, event) {
            const data = event.clipboardData;
            if (!data || data.getData('text/html') !== '') return false;
            const { $from } = view.state.selection;
            for (let d = $from.depth; d > 0; d--) {
              const name = $from.node(d).type.name;
              if (name === 'codeBlock' || name === 'table') return false;
            }
            const nodes = tsvNodes(view.state.schema, data.getData('text/plain'));
            if (!nodes) return false;
            view.dispatch(view.state.tr.replaceSelection(new Slice(Fragment.from(nodes), 0, 0)).scrollIntoView());
            return true;
          },
        },
      }),
    ];
  },
});
