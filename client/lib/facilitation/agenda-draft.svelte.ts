// The agenda being edited in the console: the session's agenda until the first
// change, then a draft of rows until it is saved (one `agenda:set`) or discarded.
import type { Phase, PhaseKind } from '../../../shared/session.js';
import { agendaCommand, agendaProblems, moveRow, rowsOf, sameAgenda, type AgendaRow } from './agenda.js';

export class AgendaDraft {
  #rows = $state.raw<AgendaRow[] | null>(null);
  #nextKey = 1;
  readonly #source: () => readonly Phase[];

  constructor(source: () => readonly Phase[]) {
    this.#source = source;
  }

  get rows(): AgendaRow[] {
    return this.#rows ?? rowsOf(this.#source());
  }

  get editing(): boolean {
    return this.#rows !== null;
  }

  /** Edited and different from the session's agenda. */
  get dirty(): boolean {
    return this.#rows !== null && !sameAgenda(this.#rows, this.#source());
  }

  get problems() {
    return agendaProblems(this.rows);
  }

  get valid(): boolean {
    const p = this.problems;
    return p.list === null && p.rows.every((r) => r === null);
  }

  #edit(change: (rows: AgendaRow[]) => AgendaRow[]): void {
    this.#rows = change([...this.rows]);
  }

  #patch(index: number, patch: Partial<AgendaRow>): void {
    this.#edit((rows) => rows.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  }

  setName = (index: number, name: string) => this.#patch(index, { name });
  setMinutes = (index: number, minutes: number) => this.#patch(index, { minutes });
  setKind = (index: number, kind: PhaseKind) => this.#patch(index, { kind });
  move = (from: number, to: number) => this.#edit((rows) => moveRow(rows, from, to));
  remove = (index: number) => this.#edit((rows) => rows.filter((_, i) => i !== index));

  add(name: string, kind: PhaseKind = 'groupwork', minutes = 10): void {
    this.#edit((rows) => [...rows, { key: `new-${this.#nextKey++}`, name, minutes, kind }]);
  }

  command() {
    return agendaCommand(this.rows);
  }

  discard(): void {
    this.#rows = null;
  }
}
