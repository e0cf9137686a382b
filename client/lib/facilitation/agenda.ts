// The agenda as the console edits it: rows with minutes, reordered and checked
// before they go to the server as one `agenda:set`.
import { PHASE_KINDS, SESSION_LIMITS, type Phase, type PhaseKind } from '../../../shared/session.js';
import type { Command } from '../../../shared/protocol.js';

export interface AgendaRow {
  /** The phase's id; absent for a row added here and not saved yet. */
  id?: string;
  /** Stable key for the list while editing. */
  key: string;
  name: string;
  minutes: number;
  kind: PhaseKind;
}

export const rowsOf = (agenda: readonly Phase[]): AgendaRow[] =>
  agenda.map((p) => ({ id: p.id, key: p.id, name: p.name, minutes: Math.round((p.durationSec / 60) * 100) / 100, kind: p.kind }));

export function moveRow<T>(rows: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= rows.length || to < 0 || to >= rows.length || from === to) return [...rows];
  const next = [...rows];
  const [row] = next.splice(from, 1);
  next.splice(to, 0, row as T);
  return next;
}

export type AgendaProblem = 'empty-name' | 'bad-minutes' | 'too-many';

/** What is wrong with the rows, for each row (or the whole list), before saving. */
export function agendaProblems(rows: readonly AgendaRow[]): { list: AgendaProblem | null; rows: Array<AgendaProblem | null> } {
  const maxMinutes = SESSION_LIMITS.maxPhaseSec / 60;
  return {
    list: rows.length > SESSION_LIMITS.phases ? 'too-many' : null,
    rows: rows.map((r) => {
      if (r.name.trim() === '') return 'empty-name';
      if (!Number.isFinite(r.minutes) || r.minutes < 0 || r.minutes > maxMinutes) return 'bad-minutes';
      return null;
    }),
  };
}

export function agendaCommand(rows: readonly AgendaRow[]): Extract<Command, { type: 'agenda:set' }> {
  return {
    type: 'agenda:set',
    agenda: rows.map((r) => ({
      ...(r.id ? { id: r.id } : {}),
      name: r.name.trim().slice(0, SESSION_LIMITS.phaseName),
      durationSec: Math.round(r.minutes * 60),
      kind: (PHASE_KINDS as readonly string[]).includes(r.kind) ? r.kind : 'groupwork',
    })),
  };
}

export const sameAgenda = (rows: readonly AgendaRow[], agenda: readonly Phase[]): boolean =>
  JSON.stringify(agendaCommand(rows).agenda) === JSON.stringify(agendaCommand(rowsOf(agenda)).agenda);
