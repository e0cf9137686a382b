// The converters against the real thing: Tiptap 3's schema and y-tiptap's own
// ProseMirror ⇄ Y.XmlFragment code, so our reading and writing match what the editor does.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema, Node } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { readRichText, writeRichText } from '../../shared/rich-text-yjs.js';
import type { Block } from '../../shared/rich-text.js';

// Stands in for client/lib/editor/footnote.ts: an inline atom `footnote` with attribute `content`.
const Footnote = Node.create({
  name: 'footnote',
  group: 'inline',
  inline: true,
  atom: true,
  addAttributes: () => ({ content: { default: '' } }),
});
const schema = getSchema([StarterKit, TableKit, Footnote]);

const p = (...content: object[]) => ({ type: 'paragraph', content });
const t = (text: string, ...marks: string[]) => ({ type: 'text', text, ...(marks.length ? { marks: marks.map((m) => ({ type: m })) } : {}) });

const editorJson = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [t('Título con ñ')] },
    p(
      t('Texto '),
      t('negrita', 'bold'),
      t(' y '),
      t('ambas', 'bold', 'italic'),
      { type: 'text', text: 'enlace', marks: [{ type: 'link', attrs: { href: 'https://ejemplo.org/á' } }] },
      { type: 'footnote', attrs: { content: 'Una nota.' } },
      { type: 'hardBreak' },
      t('tachado', 'strike'),
      t(' '),
      t('código', 'code'),
      t(' '),
      t('subrayado', 'underline'),
    ),
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [p(t('uno')), { type: 'orderedList', attrs: { start: 3 }, content: [{ type: 'listItem', content: [p(t('tres'))] }] }] },
        { type: 'listItem', content: [p(t('dos'))] },
      ],
    },
    { type: 'blockquote', content: [p(t('cita'))] },
    { type: 'codeBlock', attrs: { language: 'ts' }, content: [{ type: 'text', text: 'const a = 1;\nconst b = 2;' }] },
    { type: 'horizontalRule' },
    {
      type: 'table',
      content: [
        { type: 'tableRow', content: [{ type: 'tableHeader', attrs: { colspan: 1, rowspan: 1 }, content: [p(t('A'))] }, { type: 'tableHeader', attrs: { colspan: 1, rowspan: 1, align: 'right' }, content: [p(t('B'))] }] },
        { type: 'tableRow', content: [{ type: 'tableCell', attrs: { colspan: 2, rowspan: 1 }, content: [p(t('ab'))] }] },
      ],
    },
    { type: 'paragraph' },
  ],
};

const model: Block[] = [
  { type: 'heading', level: 2, content: [{ type: 'text', text: 'Título con ñ' }] },
  {
    type: 'paragraph',
    content: [
      { type: 'text', text: 'Texto ' },
      { type: 'text', text: 'negrita', marks: { bold: true } },
      { type: 'text', text: ' y ' },
      { type: 'text', text: 'ambas', marks: { bold: true, italic: true } },
      { type: 'text', text: 'enlace', marks: { link: 'https://ejemplo.org/á' } },
      { type: 'footnote', content: 'Una nota.' },
      { type: 'hardBreak' },
      { type: 'text', text: 'tachado', marks: { strike: true } },
      { type: 'text', text: ' ' },
      { type: 'text', text: 'código', marks: { code: true } },
      { type: 'text', text: ' ' },
      { type: 'text', text: 'subrayado', marks: { underline: true } },
    ],
  },
  {
    type: 'list',
    ordered: false,
    start: 1,
    items: [
      [
        { type: 'paragraph', content: [{ type: 'text', text: 'uno' }] },
        { type: 'list', ordered: true, start: 3, items: [[{ type: 'paragraph', content: [{ type: 'text', text: 'tres' }] }]] },
      ],
      [{ type: 'paragraph', content: [{ type: 'text', text: 'dos' }] }],
    ],
  },
  { type: 'quote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'cita' }] }] },
  { type: 'code', language: 'ts', text: 'const a = 1;\nconst b = 2;' },
  { type: 'rule' },
  {
    type: 'table',
    rows: [
      [
        { header: true, colspan: 1, rowspan: 1, align: null, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'A' }] }] },
        { header: true, colspan: 1, rowspan: 1, align: 'right', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'B' }] }] },
      ],
      [{ header: false, colspan: 2, rowspan: 1, align: null, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'ab' }] }] }],
    ],
  },
  { type: 'paragraph', content: [] },
];

describe('rich text ⇄ Y.XmlFragment, checked against Tiptap and y-tiptap', () => {
  it('reads what the editor writes', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('body');
    prosemirrorJSONToYXmlFragment(schema, editorJson, fragment);
    expect(readRichText(fragment)).toEqual(model);
  });

  it('writes what the editor reads back, valid in its schema', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('body');
    writeRichText(fragment, model);
    const node = yXmlFragmentToProseMirrorRootNode(fragment, schema);
    node.check();
    const roundTrip = new Y.Doc().getXmlFragment('body');
    prosemirrorJSONToYXmlFragment(schema, node.toJSON(), roundTrip);
    expect(readRichText(roundTrip)).toEqual(model);
  });

  it('makes schema-valid documents of shapes the model allows but the schema does not', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('body');
    writeRichText(fragment, [
      { type: 'list', ordered: false, start: 1, items: [[{ type: 'list', ordered: false, start: 1, items: [[]] }]] },
      { type: 'quote', content: [] },
    ]);
    yXmlFragmentToProseMirrorRootNode(fragment, schema).check();
  });

  it('reads overlapping marks stored under hashed names, and keeps the words of unknown nodes', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('body');
    const para = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    text.applyDelta([{ insert: 'hola', attributes: { 'bold--AbCd1234': {}, comment: { id: 1 } } }]);
    const mention = new Y.XmlElement('mention');
    mention.insert(0, [new Y.XmlText('@ana')]);
    para.insert(0, [text, mention]);
    const custom = new Y.XmlElement('callout');
    custom.insert(0, [new Y.XmlText('aviso')]);
    fragment.insert(0, [para, custom]);
    expect(readRichText(fragment)).toEqual([
      { type: 'paragraph', content: [{ type: 'text', text: 'hola', marks: { bold: true } }, { type: 'text', text: '@ana' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'aviso' }] },
    ]);
  });
});
