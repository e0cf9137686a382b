// Short messages that appear in a corner and go away by themselves: a refused
// command's reason, a saved agenda.
import type { MessageKey } from '../i18n/es.js';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  /** Translated when shown, so a language switch follows. */
  title: MessageKey;
  detail: string;
}

const SHOWN_MS = 6000;

export class Toasts {
  #items = $state<Toast[]>([]);
  #next = 1;
  readonly #timers = new Map<number, ReturnType<typeof setTimeout>>();

  get items(): Toast[] {
    return this.#items;
  }

  show(kind: Toast['kind'], title: MessageKey, detail = ''): void {
    const id = this.#next++;
    this.#items = [...this.#items.slice(-3), { id, kind, title, detail }];
    this.#timers.set(id, setTimeout(() => this.dismiss(id), SHOWN_MS));
  }

  dismiss(id: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    this.#items = this.#items.filter((t) => t.id !== id);
  }

  destroy(): void {
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }
}
