// One section body's Tiptap editor, bound to its Y.XmlFragment: the collaborative
// extensions, the formatting commands the toolbar offers, and the footnote being edited.
import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { TableKit } from '@tiptap/extension-table';
import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import type { BoardUser } from '../board/awareness-state.js';
import { fromOutside } from '../outside-events.js';
import { textOn } from '../people.js';
import { Footnote, findFootnote, type FootnoteTarget } from './footnote.js';
import { TsvPaste } from './tsv-paste.js';
import { safeHref } from '../../../shared/safe-href.js';

export interface RichTextEditorOptions {
  element: HTMLElement;
  fragment: Y.XmlFragment;
  provider: WebsocketProvider;
  user: BoardUser;
  editable: boolean;
  placeholder: string;
  /** The field's accessible name; `setLabel` changes it (a renamed section). */
  label: string;
}

/** Another person's caret: a line in their colour and their name on a label that reads (contrast). */
function caretElement(user: { name?: unknown; color?: unknown }): HTMLElement {
  const color = typeof user.color === 'string' ? user.color : '#6741d9';
  const caret = document.createElement('span');
  caret.classList.add('collaboration-carets__caret');
  caret.style.borderColor = color;
  const label = document.createElement('div');
  label.classList.add('collaboration-carets__label');
  label.style.backgroundColor = color;
  label.style.color = textOn(color);
  label.textContent = typeof user.name === 'string' ? user.name : '';
  caret.append(label);
  return caret;
}

export type Mark = 'bold' | 'italic' | 'link';
export type Block = 'h2' | 'h3' | 'bulletList' | 'orderedList' | 'table' | 'codeBlock';

export interface OpenFootnote extends FootnoteTarget {
  isNew: boolean;
}

export class RichTextEditor {
  readonly editable: boolean;
  readonly #editor: Editor;
  readonly #subscribe: () => void;
  readonly #placeholder: string;
  #footnote = $state<OpenFootnote | null>(null);

  constructor(opts: RichTextEditorOptions) {
    this.editable = opts.editable;
    this.#placeholder = opts.placeholder;
    this.#editor = new Editor({
      element: opts.element,
      editable: opts.editable,
      editorProps: { attributes: this.#attributes(opts.label) },
      extensions: [
        StarterKit.configure({
          undoRedo: false, // Collaboration brings an undo that only undoes your own edits
          trailingNode: false, // it would write to the doc on load, for readers too
          heading: { levels: [2, 3] },
          // The one link policy (shared/safe-href.ts): also what a link others wrote into the doc renders with.
          link: { openOnClick: !opts.editable, autolink: true, defaultProtocol: 'https', isAllowedUri: (url) => safeHref(url) !== null },
          // Code keeps its lines as written (monospace, scrolled sideways, never reflowed): diagrams and KPI blocks.
          codeBlock: { HTMLAttributes: { class: 'code-block', spellcheck: 'false' } },
        }),
        TableKit.configure({ table: { resizable: false } }),
        TsvPaste,
        Footnote.configure({ onOpen: (target) => (this.#footnote = { ...target, isNew: false }) }),
        Collaboration.configure({ fragment: opts.fragment }),
        CollaborationCaret.configure({ provider: opts.provider, user: opts.user, render: caretElement }),
      ],
    });
    const editor = this.#editor;
    this.#subscribe = createSubscriber((update) => {
      const notify = fromOutside(update);
      editor.on('transaction', notify);
      editor.on('focus', notify);
      editor.on('blur', notify);
      return () => {
        editor.off('transaction', notify);
        editor.off('focus', notify);
        editor.off('blur', notify);
      };
    });
  }

  #attributes(label: string): Record<string, string> {
    // `class` again: ProseMirror rewrites every attribute when one changes, and Tiptap's class was set on the element.
    return { class: 'tiptap', 'data-placeholder': this.#placeholder, 'aria-label': label, 'aria-multiline': 'true', role: 'textbox', spellcheck: 'true' };
  }

  /** Names the field anew (its section was renamed). */
  setLabel(label: string): void {
    if (this.#editor.isDestroyed) return;
    this.#editor.view.setProps({ attributes: this.#attributes(label) });
  }

  /** Where the caret is on screen, or null when the editor has no focus. */
  caretRect(): { top: number; bottom: number } | null {
    if (this.#editor.isDestroyed || !this.#editor.isFocused) return null;
    try {
      const { top, bottom } = this.#editor.view.coordsAtPos(this.#editor.state.selection.head);
      return { top, bottom };
    } catch {
      return null;
    }
  }

  /** Calls `listener` after each change of the document or the selection; returns the unsubscribe. */
  onSelection(listener: () => void): () => void {
    this.#editor.on('selectionUpdate', listener);
    this.#editor.on('focus', listener);
    return () => {
      this.#editor.off('selectionUpdate', listener);
      this.#editor.off('focus', listener);
    };
  }

  get focused(): boolean {
    this.#subscribe();
    return this.#editor.isFocused;
  }

  isActive(what: Mark | Block): boolean {
    this.#subscribe();
    switch (what) {
      case 'h2':
        return this.#editor.isActive('heading', { level: 2 });
      case 'h3':
        return this.#editor.isActive('heading', { level: 3 });
      default:
        return this.#editor.isActive(what);
    }
  }

  /** Whether this person has edits of their own in this section to undo (others' never are). */
  get canUndo(): boolean {
    this.#subscribe();
    return this.#editor.can().undo();
  }

  get canRedo(): boolean {
    this.#subscribe();
    return this.#editor.can().redo();
  }

  get canIndent(): boolean {
    this.#subscribe();
    return this.#editor.can().sinkListItem('listItem');
  }

  get canOutdent(): boolean {
    this.#subscribe();
    return this.#editor.can().liftListItem('listItem');
  }

  get linkHref(): string {
    this.#subscribe();
    const href: unknown = this.#editor.getAttributes('link').href;
    return typeof href === 'string' ? href : '';
  }

  #chain() {
    return this.#editor.chain().focus();
  }

  undo = () => this.#chain().undo().run();
  redo = () => this.#chain().redo().run();
  toggleBold = () => this.#chain().toggleBold().run();
  toggleItalic = () => this.#chain().toggleItalic().run();
  toggleHeading = (level: 2 | 3) => this.#chain().toggleHeading({ level }).run();
  toggleBulletList = () => this.#chain().toggleBulletList().run();
  toggleOrderedList = () => this.#chain().toggleOrderedList().run();
  toggleCodeBlock = () => this.#chain().toggleCodeBlock().run();
  indent = () => this.#chain().sinkListItem('listItem').run();
  outdent = () => this.#chain().liftListItem('listItem').run();
  /** A table, and a paragraph after it when it ends the section, so there is somewhere to go on writing. */
  insertTable = () =>
    this.#chain()
      .insertTable({ rows: 3, cols: 3, withHeaderRow: true })
      .command(({ tr }) => {
        const paragraph = tr.doc.type.schema.nodes.paragraph;
        if (tr.doc.lastChild?.type.name === 'table' && paragraph) tr.insert(tr.doc.content.size, paragraph.create());
        return true;
      })
      .run();
  addRow = () => this.#chain().addRowAfter().run();
  addColumn = () => this.#chain().addColumnAfter().run();
  deleteRow = () => this.#chain().deleteRow().run();
  deleteColumn = () => this.#chain().deleteColumn().run();
  deleteTable = () => this.#chain().deleteTable().run();

  /** Links the selection (an empty address unlinks it); false when the address is no safe link. */
  setLink(href: string): boolean {
    const trimmed = href.trim();
    if (trimmed === '') {
      this.#chain().extendMarkRange('link').unsetLink().run();
      return true;
    }
    const url = safeHref(/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || /^[#/?]/.test(trimmed) ? trimmed : `https://${trimmed}`);
    if (url === null) return false;
    this.#chain().extendMarkRange('link').setLink({ href: url }).run();
    return true;
  }

  focus(): void {
    this.#editor.commands.focus();
  }

  // ---- footnotes ----------------------------------------------------------

  get footnote(): OpenFootnote | null {
    return this.#footnote;
  }

  insertFootnote(): void {
    if (!this.#chain().insertFootnote('').run()) return;
    const pos = this.#editor.state.selection.from - 1;
    const dom = this.#editor.view.nodeDOM(pos);
    this.#footnote = { pos, content: '', dom: dom instanceof HTMLElement ? dom : null, isNew: true };
  }

  saveFootnote(content: string): void {
    const open = this.#takeFootnote();
    if (!open) return;
    const text = content.trim();
    if (text === '' && open.isNew) return this.#removeFootnote(open);
    const pos = findFootnote(this.#editor.state.doc, open.pos, open.content);
    // The caret lands right after the note, to go on writing.
    if (pos !== null) this.#chain().updateFootnote(pos, text).setTextSelection(pos + 1).run();
  }

  removeFootnote(): void {
    const open = this.#takeFootnote();
    if (open) this.#removeFootnote(open);
  }

  /** Closes the footnote editor; a footnote just inserted and never written is dropped. */
  closeFootnote(): void {
    const open = this.#takeFootnote();
    if (open?.isNew) this.#removeFootnote(open);
  }

  #takeFootnote(): OpenFootnote | null {
    const open = this.#footnote;
    this.#footnote = null;
    return open && this.editable ? open : null;
  }

  #removeFootnote(open: OpenFootnote): void {
    const pos = findFootnote(this.#editor.state.doc, open.pos, open.content);
    if (pos !== null) this.#chain().removeFootnote(pos).run();
  }

  destroy(): void {
    this.#editor.destroy();
  }
}
