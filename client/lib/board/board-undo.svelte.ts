// Undo and redo of one person's own changes to a board outside the rich-text editor
// (which undoes its own, through Tiptap's Collaboration extension): cards added, edited,
// recoloured, moved, deleted to the trash or restored from it, promoted into a section;
// sections added, renamed, moved, deleted. Every such change is made with this person's
// origin (`change`, and the text fields bound with `origin`), and the UndoManager tracks
// that origin alone: what others wrote, or what arrived from the server, is never undone.
import * as Y from 'yjs';
import { createSubscriber } from 'svelte/reactivity';
import { boardTypes } from '../../../shared/board.js';
import { plenaryTypes } from '../../../shared/plenary.js';

export class BoardUndo {
  /** This person's changes carry this origin; nothing else does. */
  readonly origin: object = { board: 'mine' };
  readonly #doc: Y.Doc;
  readonly #manager: Y.UndoManager;
  readonly #subscribe: () => void;

  constructor(doc: Y.Doc) {
    this.#doc = doc;
    const { cards, sections, trash, clusters } = boardTypes(doc);
    // Section bodies are in scope only as part of a deleted section: the editor's own edits carry its origin, not ours.
    // The plenary board's items too (an empty list on a group's board, never written there).
    this.#manager = new Y.UndoManager([cards, sections, trash, clusters, plenaryTypes(doc).items], { trackedOrigins: new Set([this.origin]) });
    const manager = this.#manager;
    this.#subscribe = createSubscriber((update) => {
      manager.on('stack-item-added', update);
      manager.on('stack-item-popped', update);
      manager.on('stack-cleared', update);
      return () => {
        manager.off('stack-item-added', update);
        manager.off('stack-item-popped', update);
        manager.off('stack-cleared', update);
      };
    });
  }

  /** Makes `mutate` one change of this person's, which `undo` takes back. */
  change<T>(mutate: () => T): T {
    let result: T | undefined;
    this.#doc.transact(() => {
      result = mutate();
    }, this.origin);
    return result as T;
  }

  get canUndo(): boolean {
    this.#subscribe();
    return this.#manager.undoStack.length > 0;
  }

  get canRedo(): boolean {
    this.#subscribe();
    return this.#manager.redoStack.length > 0;
  }

  undo(): void {
    this.#manager.undo();
  }

  redo(): void {
    this.#manager.redo();
  }

  destroy(): void {
    this.#manager.destroy();
  }
}

/** Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z and Ctrl/Cmd+Y redo; anything else is null. */
export function undoKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): 'undo' | 'redo' | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const key = e.key.toLowerCase();
  if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !e.shiftKey) return 'redo';
  return null;
}
