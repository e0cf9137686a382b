// What the server writes to a board must be what the board editor can hold: the
// client's own editor configuration (client/lib/editor) is the schema here, because
// y-prosemirror deletes from the shared doc whatever that schema does not know.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { Footnote } from '../../client/lib/editor/footnote.js';
import {
  addCard, initBoard, listCards, listSections, readBoardContent, readMeta, sectionBody, writeBoardContent, writeSections,
} from '../../shared/board.js';
import { blocksText, fitToEditor, type Block } from '../../shared/rich-text.js';
import { FEATURE_BLOCKS } from '../support/export-fixtures.js';

/** As client/lib/editor/rich-text-editor.svelte.ts configures it. */
const editorSchema = getSchema([
  StarterKit.configure({ undoRedo: false, trailingNode: false, heading: { levels: [2, 3] } }),
  TableKit.configure({ table: { resizable: false } }),
  Footnote,
]);

const newBoard = () => {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'Grupo A', question: '', language: 'es' });
  return doc;
};

describe('writing board content', () => {
  it('writes every kind of block so that the editor keeps all of it', () => {
    const doc = newBoard();
    writeSections(doc, [{ heading: 'Todo', body: FEATURE_BLOCKS }], 'append');
    const [section] = listSections(doc);
    const fragment = sectionBody(doc, section?.id ?? '') as Y.XmlFragment;
    const before = fragment.toJSON();
    const node = yXmlFragmentToProseMirrorRootNode(fragment, editorSchema);
    node.check();
    expect(fragment.toJSON()).toBe(before); // y-prosemirror deleted nothing it could not read
    expect(blocksText(readBoardContent(doc).sections[0]?.body ?? [])).toBe(blocksText(fitToEditor(FEATURE_BLOCKS)));
  });

  it('keeps code blocks and inline code as they are, and heading levels within the editor\'s 2 and 3', () => {
    const diagram = '┌──────┐\n│ KPI  │\n└──────┘\n   - Feedback loop continuo';
    const fitted = fitToEditor([
      { type: 'code', language: 'text', text: diagram },
      { type: 'heading', level: 1, content: [{ type: 'text', text: 'h1' }] },
      { type: 'heading', level: 5, content: [{ type: 'text', text: 'h5' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'x', marks: { code: true, bold: true } }] },
    ]);
    expect(fitted).toEqual<Block[]>([
      { type: 'code', language: 'text', text: diagram },
      { type: 'heading', level: 2, content: [{ type: 'text', text: 'h1' }] },
      { type: 'heading', level: 3, content: [{ type: 'text', text: 'h5' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'x', marks: { code: true } }] },
    ]);
    // Through the editor's schema and back: the code block's lines and language survive.
    const doc = newBoard();
    writeSections(doc, [{ heading: 'Diagrama', body: fitted }], 'append');
    const fragment = sectionBody(doc, listSections(doc)[0]?.id ?? '') as Y.XmlFragment;
    const before = fragment.toJSON();
    yXmlFragmentToProseMirrorRootNode(fragment, editorSchema).check();
    expect(fragment.toJSON()).toBe(before);
    expect(readBoardContent(doc).sections[0]?.body[0]).toEqual({ type: 'code', language: 'text', text: diagram });
  });

  it('appends after removing only untouched sections, or replaces them all', () => {
    const doc = newBoard();
    const body: Block[] = [{ type: 'paragraph', content: [{ type: 'text', text: 'uno' }] }];
    writeSections(doc, [{ heading: 'Uno', body }], 'append');
    writeSections(doc, [{ heading: 'Vacía escrita a mano', body: [] }], 'append');
    writeSections(doc, [{ heading: 'Dos', body }], 'append');
    expect(listSections(doc).map((s) => s.heading)).toEqual(['Uno', 'Vacía escrita a mano', 'Dos']);
    writeSections(doc, [{ heading: 'Tres', body }], 'replace');
    expect(listSections(doc).map((s) => s.heading)).toEqual(['Tres']);
  });

  it('restores a whole board: meta, sections, cards in order with their authors, colours and times', () => {
    const doc = newBoard();
    addCard(doc, { text: 'vieja', author: 'x' });
    writeBoardContent(doc, {
      meta: { title: 'Grupo B: Cambio Sistémico', question: '¿Cómo?' },
      sections: [{ heading: 'Conclusiones', body: [{ type: 'paragraph', content: [{ type: 'text', text: 'ñ' }] }] }],
      cards: [
        { text: 'una', author: 'Ana', color: 'green', createdAt: 5 },
        { text: 'dos', author: 'Íñigo', color: 'pink', createdAt: 7 },
      ],
    });
    expect(readMeta(doc)).toEqual({ title: 'Grupo B: Cambio Sistémico', question: '¿Cómo?' });
    expect(listSections(doc).map((s) => s.heading)).toEqual(['Conclusiones']);
    expect(listCards(doc).map(({ text, author, color, createdAt }) => ({ text, author, color, createdAt }))).toEqual([
      { text: 'una', author: 'Ana', color: 'green', createdAt: 5 },
      { text: 'dos', author: 'Íñigo', color: 'pink', createdAt: 7 },
    ]);
  });
});
