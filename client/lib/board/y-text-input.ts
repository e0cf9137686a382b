// Binds a text input or textarea to a Y.Text: typing writes the smallest splice
// (setTextByDiff), and a change from elsewhere re-renders the field while keeping
// the caret where it was relative to the text around it.
import type * as Y from 'yjs';
import type { Attachment } from 'svelte/attachments';
import { setTextByDiff } from '../../../shared/board.js';

type Delta = Array<{ insert?: unknown; retain?: number; delete?: number }>;

/** Where index `pos` of the old text ends up after `delta` (text inserted right at `pos` goes after it). */
export function mapIndexThroughDelta(delta: Delta, pos: number): number {
  let at = 0;
  let shift = 0;
  for (const op of delta) {
    if (at >= pos) break;
    if (op.retain !== undefined) at += op.retain;
    else if (op.delete !== undefined) {
      shift -= Math.min(op.delete, pos - at);
      at += op.delete;
    } else if (op.insert !== undefined) shift += typeof op.insert === 'string' ? op.insert.length : 1;
  }
  return Math.max(0, pos + shift);
}

export interface YTextInputOptions {
  /** Grow a textarea with its content. */
  autosize?: boolean;
  /** A textarea that wraps but holds one line: line breaks become spaces. */
  singleLine?: boolean;
  /** The origin of the edits typed here (the person's own, for undo). */
  origin?: unknown;
}

export function bindYText(
  text: Y.Text | undefined,
  opts: YTextInputOptions = {},
): Attachment<HTMLInputElement | HTMLTextAreaElement> {
  return (el) => {
    if (!text) return;
    // Browsers with `field-sizing: content` (set in CSS) grow the field themselves.
    const nativeFit = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');
    const fit = () => {
      if (!opts.autosize || nativeFit) return;
      el.style.height = 'auto';
      el.style.height = `${el.scrollHeight}px`;
    };
    el.value = text.toString();
    el.dataset.boardText = ''; // Ctrl+Z here undoes through the board's undo, not the field's own
    fit();
    const onInput = () => {
      if (opts.singleLine && /[\r\n]/.test(el.value)) {
        const at = el.selectionStart ?? 0;
        el.value = el.value.replace(/[\r\n]+/g, ' ');
        el.setSelectionRange(at, at);
      }
      setTextByDiff(text, el.value, opts.origin ?? null);
      fit();
    };
    const onChange = (event: Y.YTextEvent, transaction: Y.Transaction) => {
      if (transaction.local && el.value === text.toString()) return;
      const focused = document.activeElement === el;
      const start = el.selectionStart ?? 0;
      const end = el.selectionEnd ?? 0;
      el.value = text.toString();
      if (focused) {
        const delta = event.delta as Delta;
        el.setSelectionRange(mapIndexThroughDelta(delta, start), mapIndexThroughDelta(delta, end));
      }
      fit();
    };
    el.addEventListener('input', onInput);
    text.observe(onChange);
    return () => {
      el.removeEventListener('input', onInput);
      text.unobserve(onChange);
    };
  };
}
