// What the join page says when the server refuses: a message of the page's own language
// for each error code, never the server's English text (the page is read by people
// joining from their phones, often in Spanish).
import { ApiError } from './api.js';
import type { ShownError } from './errors.js';
import type { MessageKey } from './i18n/es.js';

/** Looking the code up (`GET /api/join/:code`). */
const LOOKUP: Record<string, MessageKey> = {
  not_found: 'join.error.unknownCode',
  join_closed: 'join.error.closed',
  rate_limited: 'join.error.busy',
  network: 'error.network',
};

/** Joining (`POST /api/workshops/:id/join`). */
const JOIN: Record<string, MessageKey> = {
  forbidden: 'join.error.codeChanged',
  removed: 'join.error.removed',
  join_closed: 'join.error.closed',
  bad_request: 'join.error.badInput',
  bad_name: 'join.error.badName',
  not_found: 'join.error.unknownCode',
  rate_limited: 'join.error.busy',
  network: 'error.network',
};

function shown(err: unknown, messages: Record<string, MessageKey>, fallback: MessageKey): ShownError {
  const code = err instanceof ApiError ? err.code : '';
  return { title: messages[code] ?? fallback, detail: '' };
}

export const lookupError = (err: unknown): ShownError => shown(err, LOOKUP, 'join.error.other');
export const joinError = (err: unknown): ShownError => shown(err, JOIN, 'join.error.other');
