// An import's body as text: UTF-8, no binary file, not empty. Read in an import worker
// (import-tasks.ts): decoding and scanning a 10 MB archive is work the event loop is spared.
import { badRequest } from '../http/http-error.js';

export function bodyText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badRequest('The body is not UTF-8 text');
  }
  if (/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) throw badRequest('The body is not text: it has control characters (a binary file?)');
  if (text.trim() === '') throw badRequest('The body is empty: nothing to import');
  return text;
}
