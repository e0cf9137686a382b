// What the server would refuse of a Markdown import (empty, too large, not UTF-8
// text), found before sending so the reason shows at once. Pure.
import { LIMITS } from '../../../shared/model.js';
import type { MessageKey } from '../i18n/es.js';

/** The server's limit for a Markdown import. */
export const MARKDOWN_LIMIT_BYTES = LIMITS.markdownImportBytes;

export type ImportProblem = { key: MessageKey; params?: Record<string, number> };

export const kb = (bytes: number) => Math.ceil(bytes / 1024);

/** Why these bytes cannot be imported, or their text. */
export function readMarkdownBytes(bytes: Uint8Array): { text: string } | { problem: ImportProblem } {
  if (bytes.byteLength > MARKDOWN_LIMIT_BYTES) return { problem: tooLarge(bytes.byteLength) };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: { key: 'import.notUtf8' } };
  }
  // The server refuses the same: control characters other than tab and line breaks.
  if (/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) return { problem: { key: 'import.notText' } };
  // A byte-order mark and blank lines before the first line say nothing.
  return { text: text.replace(/^\uFEFF/, '').replace(/^(?:[ \t]*\r?\n)+/, '') };
}

/** Why this text cannot be sent, or null. */
export function checkMarkdown(text: string): ImportProblem | null {
  if (text.trim() === '') return { key: 'import.empty' };
  const size = new TextEncoder().encode(text).byteLength;
  return size > MARKDOWN_LIMIT_BYTES ? tooLarge(size) : null;
}

const tooLarge = (bytes: number): ImportProblem => ({ key: 'import.tooLarge', params: { size: kb(bytes), max: kb(MARKDOWN_LIMIT_BYTES) } });
