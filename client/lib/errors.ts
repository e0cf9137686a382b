// An error as a person reads it: a localized title for its code, and the server's detail.
import { ApiError } from './api.js';
import type { MessageKey } from './i18n/es.js';

const TITLES: Record<string, MessageKey> = {
  not_found: 'error.not_found',
  forbidden: 'error.forbidden',
  unauthorized: 'error.unauthorized',
  bad_request: 'error.bad_request',
  too_large: 'error.too_large',
  locked: 'error.locked',
  network: 'error.network',
  internal: 'error.internal',
};

export interface ShownError {
  title: MessageKey;
  detail: string;
}

export function describeError(err: unknown): ShownError {
  if (err instanceof ApiError) {
    return { title: TITLES[err.code] ?? 'error.generic', detail: err.code === 'network' ? '' : err.message };
  }
  return { title: 'error.generic', detail: err instanceof Error ? err.message : String(err) };
}
