// Typed wrappers over the HTTP API. Every failure is an ApiError carrying the
// server's `{error: {code, message}}`, or code `network` when there was no answer.
import type {
  ApiError as ApiErrorBody, CreateWorkshopResponse, JoinResponse, Language, PublicWorkshop, Role,
} from '../../shared/model.js';
import type { LinkView } from '../../shared/links.js';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export interface CreateWorkshopInput {
  title: string;
  language: Language;
  /** Section headings each board starts with (a template's); the server's default when absent. */
  groups: Array<{ name: string; question: string; sections?: string[] }>;
  /** A template's id: its agenda comes along. */
  template?: string;
}

/** What the facilitator's token sees: the public view plus the join code. */
export type WorkshopView = PublicWorkshop & { joinCode?: string };

export interface Me {
  role: Role;
  workshopId: string;
  groupId: string | null;
  participantId: string | null;
  name: string;
}

export function isErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null &&
    typeof (error as { code?: unknown }).code === 'string' && typeof (error as { message?: unknown }).message === 'string';
}

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, opts: { body?: unknown; token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    if (isErrorBody(body)) throw new ApiError(response.status, body.error.code, body.error.message);
    throw new ApiError(response.status, 'generic', `HTTP ${response.status}`);
  }
  return body as T;
}

export const api = {
  createWorkshop: (input: CreateWorkshopInput) => request<CreateWorkshopResponse>('POST', '/api/workshops', { body: input }),
  findByJoinCode: (code: string) => request<PublicWorkshop>('GET', `/api/join/${encodeURIComponent(code)}`),
  join: (workshopId: string, input: { code: string; name: string; groupId: string; device?: string }) =>
    request<JoinResponse>('POST', `/api/workshops/${encodeURIComponent(workshopId)}/join`, { body: input }),
  getWorkshop: (workshopId: string, token: string) =>
    request<WorkshopView>('GET', `/api/workshops/${encodeURIComponent(workshopId)}`, { token }),
  me: (token: string) => request<Me>('GET', '/api/me', { token }),
  /** The workshop's links that still work (facilitator); the caller's own is `current`. */
  listLinks: (workshopId: string, token: string) =>
    request<Array<LinkView & { current?: boolean }>>('GET', `/api/workshops/${encodeURIComponent(workshopId)}/links`, { token }),
  revokeLink: (workshopId: string, linkId: string, token: string) =>
    request<null>('DELETE', `/api/workshops/${encodeURIComponent(workshopId)}/links/${encodeURIComponent(linkId)}`, { token }),
  joining: (workshopId: string, token: string) =>
    request<{ open: boolean; joinCode: string }>('GET', `/api/workshops/${encodeURIComponent(workshopId)}/joining`, { token }),
  setJoining: (workshopId: string, open: boolean, token: string) =>
    request<{ open: boolean }>('PUT', `/api/workshops/${encodeURIComponent(workshopId)}/joining`, { token, body: { open } }),
  /** A new join code; the old one stops working at once. */
  rotateJoinCode: (workshopId: string, token: string) =>
    request<{ joinCode: string }>('POST', `/api/workshops/${encodeURIComponent(workshopId)}/join-code`, { token }),
  /** Erases the workshop for good (facilitator). */
  deleteWorkshop: (workshopId: string, token: string) => request<null>('DELETE', `/api/workshops/${encodeURIComponent(workshopId)}`, { token }),
};

export type Api = typeof api;
