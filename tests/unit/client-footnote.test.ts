import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { Footnote, findFootnote } from '../../client/lib/editor/footnote.js';

const schema = getSchema([StarterKit, Footnote]);
const note = (content: string) => ({ type: 'footnote', attrs: { content } });
const doc = (...inline: Array<Record<string, unknown>>) =>
  schema.nodeFromJSON({ type: 'doc', content: [{ type: 'paragraph', content: inline }] });

describe('finding the footnote being edited after the doc changed', () => {
  it('is an inline atom whose text is its `content` attribute', () => {
    const type = schema.nodes.footnote;
    expect(type?.isInline && type.isAtom).toBe(true);
    expect(type?.create({ content: 'Según la relatoría' }).attrs.content).toBe('Según la relatoría');
  });

  it('finds it where it was opened', () => {
    const d = doc({ type: 'text', text: 'Hola' }, note('uno'));
    expect(findFootnote(d, 5, 'uno')).toBe(5);
  });

  it('follows it when someone typed before it', () => {
    const d = doc({ type: 'text', text: '¡Hola, mundo!' }, note('uno'));
    expect(findFootnote(d, 5, 'uno')).toBe(14);
  });

  it('takes the nearest footnote with that text, and gives up when it is gone', () => {
    const d = doc(note('dos'), { type: 'text', text: 'abc' }, note('uno'), { type: 'text', text: 'defghij' }, note('uno'));
    expect(findFootnote(d, 6, 'uno')).toBe(5);
    expect(findFootnote(d, 14, 'uno')).toBe(13);
    expect(findFootnote(d, 5, 'tres')).toBeNull();
  });
});
