// A refused command as a person reads it: a title for its code, the server's reason.
import type { MessageKey } from '../i18n/es.js';
import type { CommandOutcome } from './session-client.svelte.js';

const TITLES: Record<string, MessageKey> = {
  unauthorized: 'error.unauthorized',
  forbidden: 'error.forbidden',
  locked: 'error.locked',
  bad_request: 'error.bad_request',
  not_found: 'error.not_found',
  rate_limited: 'session.error.rateLimited',
  internal: 'error.internal',
  offline: 'session.error.offline',
  outdated_client: 'session.error.outdated',
};

export function refusal(outcome: Extract<CommandOutcome, { ok: false }>): { title: MessageKey; detail: string } {
  return { title: TITLES[outcome.error] ?? 'error.generic', detail: outcome.message };
}
