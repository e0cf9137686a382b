// The inline `footnote` node: an atom whose text lives in one attribute, shown as a
// <sup class="footnote"> that a CSS counter numbers in document order. Clicking one
// (or Enter on a selected one) asks the host to edit its text.
import { Node, mergeAttributes } from '@tiptap/core';
import { NodeSelection, Plugin, PluginKey } from '@tiptap/pm/state';
import type { Node as PmNode } from '@tiptap/pm/model';
import { FOOTNOTE_CONTENT_ATTR, NODE } from '../../../shared/rich-text.js';

const FOOTNOTE_NODE = NODE.footnote;

export interface FootnoteTarget {
  /** Position of the node when it was opened; `findFootnote` copes with later edits. */
  pos: number;
  content: string;
  dom: HTMLElement | null;
}

export interface FootnoteOptions {
  onOpen: ((target: FootnoteTarget) => void) | null;
}

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    footnote: {
      insertFootnote: (content?: string) => ReturnType;
      updateFootnote: (pos: number, content: string) => ReturnType;
      removeFootnote: (pos: number) => ReturnType;
    };
  }
}

const isFootnote = (node: PmNode | null | undefined): node is PmNode => node?.type.name === FOOTNOTE_NODE;
const contentOf = (node: PmNode): string => {
  const value: unknown = node.attrs[FOOTNOTE_CONTENT_ATTR];
  return typeof value === 'string' ? value : '';
};

/**
 * The footnote opened at `pos` with `content`, after the doc may have changed (someone
 * typed before it): the node at `pos` if it still is that footnote, else the nearest
 * footnote with that content.
 */
export function findFootnote(doc: PmNode, pos: number, content: string): number | null {
  if (pos >= 0 && pos < doc.content.size && isFootnote(doc.nodeAt(pos)) && contentOf(doc.nodeAt(pos) as PmNode) === content) return pos;
  let best: number | null = null;
  doc.descendants((node, at) => {
    if (isFootnote(node) && contentOf(node) === content && (best === null || Math.abs(at - pos) < Math.abs(best - pos))) best = at;
    return true;
  });
  return best;
}

export const Footnote = Node.create<FootnoteOptions>({
  name: FOOTNOTE_NODE,
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  draggable: false,

  addOptions() {
    return { onOpen: null };
  },

  addAttributes() {
    return {
      [FOOTNOTE_CONTENT_ATTR]: {
        default: '',
        parseHTML: (el: HTMLElement) => el.getAttribute('data-content') ?? el.textContent ?? '',
        renderHTML: (attrs: Record<string, unknown>) => {
          const text = typeof attrs[FOOTNOTE_CONTENT_ATTR] === 'string' ? (attrs[FOOTNOTE_CONTENT_ATTR] as string) : '';
          return { 'data-content': text, title: text };
        },
      },
    };
  },

  parseHTML() {
    return [{ tag: 'sup[data-footnote]' }];
  },

  renderHTML({ HTMLAttributes }) {
    return ['sup', mergeAttributes(HTMLAttributes, { class: 'footnote', 'data-footnote': '' })];
  },

  renderText({ node }) {
    return `[${contentOf(node)}]`;
  },

  addCommands() {
    return {
      insertFootnote:
        (content = '') =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs: { [FOOTNOTE_CONTENT_ATTR]: content } }),
      updateFootnote:
        (pos, content) =>
        ({ tr, dispatch }) => {
          const node = tr.doc.nodeAt(pos);
          if (!isFootnote(node)) return false;
          if (dispatch) tr.setNodeMarkup(pos, undefined, { ...node.attrs, [FOOTNOTE_CONTENT_ATTR]: content });
          return true;
        },
      removeFootnote:
        (pos) =>
        ({ tr, dispatch }) => {
          const node = tr.doc.nodeAt(pos);
          if (!isFootnote(node)) return false;
          if (dispatch) tr.delete(pos, pos + node.nodeSize);
          return true;
        },
    };
  },

  addKeyboardShortcuts() {
    return {
      Enter: ({ editor }) => {
        const { selection } = editor.state;
        if (!(selection instanceof NodeSelection) || !isFootnote(selection.node)) return false;
        const dom = editor.view.nodeDOM(selection.from);
        this.options.onOpen?.({ pos: selection.from, content: contentOf(selection.node), dom: dom instanceof HTMLElement ? dom : null });
        return true;
      },
    };
  },

  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin({
        key: new PluginKey('footnoteClick'),
        props: {
          handleClickOn(view, _pos, node, nodePos, _event, direct) {
            if (!direct || !isFootnote(node)) return false;
            const dom = view.nodeDOM(nodePos);
            options.onOpen?.({ pos: nodePos, content: contentOf(node), dom: dom instanceof HTMLElement ? dom : null });
            return true;
          },
        },
      }),
    ];
  },
});
