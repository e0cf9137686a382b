// The people of a benchmark: a workshop with its groups and the participants of
// each, created through Relatoría's HTTP API as a facilitator and participants
// would, or made up for the reference server, which checks no tokens.
import type { CreateWorkshopResponse, JoinResponse } from '../../shared/model.js';
import type { ServerProcess } from './server-process.js';

export interface BenchParticipant {
  participantId: string;
  name: string;
  token: string;
}

export interface BenchGroup {
  id: string;
  name: string;
  participants: BenchParticipant[];
}

export interface BenchWorkshop {
  id: string;
  joinCode: string;
  facilitatorToken: string;
  groups: BenchGroup[];
}

export interface WorkshopShape {
  groups: number;
  perGroup: number;
  title?: string;
}

export function setUpWorkshop(server: ServerProcess, shape: WorkshopShape): Promise<BenchWorkshop> {
  return server.kind === 'relatoria' ? createThroughApi(server.url, shape) : madeUp(shape);
}

export async function createThroughApi(url: string, shape: WorkshopShape, concurrency = 8): Promise<BenchWorkshop> {
  const created = await post<CreateWorkshopResponse>(url, '/api/workshops', {
    title: shape.title ?? 'Encuentro de Innovación Social (bench)',
    language: 'es',
    groups: Array.from({ length: shape.groups }, (_, g) => ({ name: `Grupo ${g + 1}`, question: `¿Qué propone el grupo ${g + 1}?` })),
  });
  const groups: BenchGroup[] = created.groups.map((g) => ({ id: g.id, name: g.name, participants: [] }));
  const jobs = groups.flatMap((group, g) => Array.from({ length: shape.perGroup }, (_, i) => ({ group, name: `Persona ${g + 1}.${i + 1}` })));
  await eachLimited(jobs, concurrency, async ({ group, name }) => {
    const joined = await post<JoinResponse>(url, `/api/workshops/${created.id}/join`, { code: created.joinCode, name, groupId: group.id });
    group.participants.push({ participantId: joined.participantId, name, token: joined.token });
  });
  return { id: created.id, joinCode: created.joinCode, facilitatorToken: created.facilitatorToken, groups };
}

async function madeUp(shape: WorkshopShape): Promise<BenchWorkshop> {
  return {
    id: 'reference',
    joinCode: '',
    facilitatorToken: '',
    groups: Array.from({ length: shape.groups }, (_, g) => ({
      id: `g${g + 1}`,
      name: `Grupo ${g + 1}`,
      participants: Array.from({ length: shape.perGroup }, (_, i) => ({ participantId: `p${g + 1}-${i + 1}`, name: `Persona ${g + 1}.${i + 1}`, token: 'none' })),
    })),
  };
}

/** A JSON POST that must answer 201; its body. */
export async function post<T>(url: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Runs `work` on every item, at most `limit` at a time. */
export async function eachLimited<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
