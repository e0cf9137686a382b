// The HTTP API through fetch, and a workshop with participants set up in one call.
import type { CreateWorkshopResponse, JoinResponse } from '../../shared/model.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read loosely: each test asserts the fields it reads
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  contentType: string;
}

export interface RequestOptions {
  token?: string;
  /** A value sent as JSON. */
  json?: unknown;
  /** Bytes sent as they are, with `content-type: application/json`. */
  raw?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function api<T = any>(baseUrl: string, method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined || opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = opts.raw ?? JSON.stringify(opts.json);
  }
  const res = await fetch(baseUrl + path, { method, headers, body, signal: AbortSignal.timeout(5_000) });
  const contentType = res.headers.get('content-type') ?? '';
  const text = await res.text();
  return { status: res.status, body: contentType.includes('json') ? JSON.parse(text) : text, contentType };
}

export interface WorkshopInput {
  title: string;
  place?: string;
  language?: string;
  groups: Array<{ name: string; question?: string }>;
}

export async function createWorkshop(baseUrl: string, input: WorkshopInput = defaultWorkshop()): Promise<CreateWorkshopResponse> {
  const res = await api<CreateWorkshopResponse>(baseUrl, 'POST', '/api/workshops', { json: input });
  if (res.status !== 201) throw new Error(`creating a workshop: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function joinWorkshop(baseUrl: string, workshop: CreateWorkshopResponse, groupId: string, name: string): Promise<JoinResponse> {
  const res = await api<JoinResponse>(baseUrl, 'POST', `/api/workshops/${workshop.id}/join`, {
    json: { code: workshop.joinCode, name, groupId },
  });
  if (res.status !== 201) throw new Error(`joining: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const defaultWorkshop = (): WorkshopInput => ({
  title: 'Taller de prueba',
  groups: [
    { name: 'Grupo A', question: '¿Qué proponemos?' },
    { name: 'Grupo B', question: '¿Qué falta?' },
  ],
});

export interface BoardRef {
  workshopId: string;
  groupId: string;
}

/** A workshop with two groups, A and B, and helpers to name their boards and join them. */
export async function setupWorkshop(baseUrl: string) {
  const workshop = await createWorkshop(baseUrl);
  const [a, b] = workshop.groups as [CreateWorkshopResponse['groups'][number], CreateWorkshopResponse['groups'][number]];
  return {
    workshop,
    facilitatorToken: workshop.facilitatorToken,
    boardA: { workshopId: workshop.id, groupId: a.id } satisfies BoardRef,
    boardB: { workshopId: workshop.id, groupId: b.id } satisfies BoardRef,
    /** A participant of group A or B; resolves with its token. */
    participant: async (group: 'A' | 'B', name = `Persona ${group}`) =>
      (await joinWorkshop(baseUrl, workshop, group === 'A' ? a.id : b.id, name)).token,
  };
}
