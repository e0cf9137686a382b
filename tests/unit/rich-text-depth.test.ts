// Deep structures never overflow the stack: a model nested 10,000 quotes deep, 700 ever
// deeper quotes, and a board a client nested 10,000 elements deep are written, read back
// and exported. What the server writes stops within MAX_XML_DEPTH, deeper content keeping
// its words; readers skip what a client nested deeper.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { countWords, readBoardContent, sectionBody, writeSections, type BoardContent } from '../../shared/board.js';
import { MAX_XML_DEPTH, blocksText, capDepth, text, type Block } from '../../shared/rich-text.js';
import { consolidate } from '../../server/export/consolidate.js';
import { EXPORT_RENDERERS } from '../../server/export/renderers.js';
import { WORKSHOP } from '../support/export-fixtures.js';

const p = (word: string): Block => ({ type: 'paragraph', content: [text(word)] });

/** `word` inside `depth` quotes, built without recursion. */
function quotes(depth: number, word: string): Block {
  let b = p(word);
  for (let i = 0; i < depth; i++) b = { type: 'quote', content: [b] };
  return b;
}

/** The XML levels the deepest leaf block of `blocks` sits under (a quote 1, a list 2, a table 3), measured without recursion. */
function depthOf(blocks: Block[]): number {
  let max = 0;
  const stack: Array<[Block, number]> = blocks.map((b) => [b, 0]);
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [b, d] = top;
    const [kids, levels] = b.type === 'quote' ? [b.content, 1] : b.type === 'list' ? [b.items.flat(), 2] : b.type === 'table' ? [b.rows.flat().flatMap((c) => c.content), 3] : [null, 0];
    if (!kids) {
      max = Math.max(max, d);
      continue;
    }
    for (const k of kids) stack.push([k, d + levels]);
  }
  return max;
}

/** Leaf blocks sit under at most this many levels: their own and an inline node's fit in MAX_XML_DEPTH. */
const MOST = MAX_XML_DEPTH - 2;

const docWith = (body: Block[]) => {
  const doc = new Y.Doc();
  writeSections(doc, [{ heading: 'Hondo', body }], 'append');
  return doc;
};

async function exportAll(board: BoardContent): Promise<void> {
  const model = consolidate(WORKSHOP, [{ group: { id: 'g', name: 'Grupo', question: '', position: 0 }, board }]);
  for (const render of Object.values(EXPORT_RENDERERS)) {
    const out = await render(model);
    expect(out.length).toBeGreaterThan(0);
  }
}

describe('rich text nested deeper than the model holds', () => {
  it('caps a model 10,000 quotes deep within MAX_XML_DEPTH, keeping its words and leaving shallow content as it was', () => {
    const capped = capDepth([quotes(10_000, 'fondo'), p('después')]);
    expect(depthOf(capped)).toBe(MOST);
    const lists = (n: number): Block => {
      let b = p('lista');
      for (let i = 0; i < n; i++) b = { type: 'list', ordered: false, start: 1, items: [[b]] };
      return b;
    };
    expect(depthOf(capDepth([lists(40)]))).toBe(MOST);
    expect(capDepth([lists(31)])).toEqual([lists(31)]);
    expect(blocksText(capped).split('\n')).toEqual(['fondo', 'después']);
    const shallow = [quotes(3, 'cerca'), { type: 'list', ordered: false, start: 1, items: [[p('uno'), quotes(2, 'dos')]] } satisfies Block];
    expect(capDepth(shallow)).toEqual(shallow);
  });

  it('writes 10,000 nested quotes to a board, reads them back and exports every format', async () => {
    const doc = docWith([quotes(10_000, 'fondo')]);
    const board = readBoardContent(doc);
    const body = board.sections[0]?.body ?? [];
    expect(depthOf(body)).toBe(MOST);
    expect(blocksText(body)).toBe('fondo');
    expect(countWords(doc)).toBe(1);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(readBoardContent(copy).sections).toEqual(board.sections);
    await exportAll(board);
  });

  it('writes 700 ever-deeper quotes to a board with every word kept', async () => {
    const doc = docWith(Array.from({ length: 700 }, (_, i) => quotes(i + 1, `w${i}`)));
    const board = readBoardContent(doc);
    const body = board.sections[0]?.body ?? [];
    expect(depthOf(body)).toBe(MOST);
    expect(blocksText(body).split('\n')).toEqual(Array.from({ length: 700 }, (_, i) => `w${i}`));
    await exportAll({ ...board, sections: [{ ...board.sections[0]!, body: body.slice(0, 60) }] });
  });

  it('reads a board a client nested 10,000 elements deep (quotes, unknown wrappers, unknown inline nodes) without throwing, skipping what is too deep', async () => {
    const doc = docWith([p('arriba')]);
    const fragment = sectionBody(doc, readBoardContent(doc).sections[0]!.id) as Y.XmlFragment;
    // One update from a client: a chain of elements, then a paragraph whose words sit under a chain of unknown inline nodes.
    doc.transact(() => {
      let parent: Y.XmlFragment | Y.XmlElement = fragment;
      for (let i = 0; i < 10_000; i++) {
        const el = new Y.XmlElement(i % 2 === 0 ? 'blockquote' : 'div');
        parent.insert(parent.length, [el]);
        parent = el;
      }
      const paragraph = new Y.XmlElement('paragraph');
      parent.insert(0, [paragraph]);
      let inline: Y.XmlElement = paragraph;
      for (let i = 0; i < 10_000; i++) {
        const el = new Y.XmlElement('span');
        inline.insert(0, [el]);
        inline = el;
      }
      inline.insert(0, [new Y.XmlText('abajo')]);
    });
    const board = readBoardContent(doc);
    const body = board.sections[0]?.body ?? [];
    expect(depthOf(body)).toBeLessThanOrEqual(MAX_XML_DEPTH);
    expect(blocksText(body).split('\n')).toEqual(['arriba']);
    expect(countWords(doc)).toBe(1);
    await exportAll(board);
  });
});
