// Who this browser is on a board: the kept participant identity, or the facilitator.
import { isPlenaryBoard } from '../../shared/doc-name.js';
import type { BoardUser } from './board/awareness-state.js';
import { colorFor } from './people.js';
import type { SessionStore } from './session.js';

export interface BoardIdentity {
  role: 'participant' | 'facilitator' | 'rapporteur';
  token: string;
  user: BoardUser;
  /** The participant's own group; null for the facilitator. */
  groupId: string | null;
}

export interface ResolveOptions {
  /** Opened from the facilitator console: use the facilitator token even if this browser also joined. */
  preferFacilitator: boolean;
  facilitatorName: string;
  /** Opened from the plenary page: use the rapporteur token even if this browser also joined. */
  preferRapporteur?: boolean;
  rapporteurName?: string;
}

function rapporteurIdentity(workshopId: string, token: string, name: string): BoardIdentity {
  const id = `rapporteur:${workshopId}`;
  return { role: 'rapporteur', token, user: { id, name, color: colorFor(id) }, groupId: null };
}

export function resolveIdentity(session: SessionStore, workshopId: string, opts: ResolveOptions): BoardIdentity | null {
  const participant = session.participant(workshopId);
  const facilitatorToken = session.facilitatorToken(workshopId);
  if (facilitatorToken && (opts.preferFacilitator || !participant)) {
    const id = `facilitator:${workshopId}`;
    return { role: 'facilitator', token: facilitatorToken, user: { id, name: opts.facilitatorName, color: colorFor(id) }, groupId: null };
  }
  const rapporteurToken = session.rapporteurToken(workshopId);
  if (rapporteurToken && (opts.preferRapporteur || !participant)) return rapporteurIdentity(workshopId, rapporteurToken, opts.rapporteurName ?? '');
  if (!participant) return null;
  const { participantId: id, name, token, groupId } = participant;
  return { role: 'participant', token, user: { id, name, color: colorFor(id) }, groupId };
}

/** The server decides (and enforces) the same: a participant writes only to its own group's board. */
export function mayWrite(identity: BoardIdentity, groupId: string): boolean {
  if (isPlenaryBoard(groupId)) return identity.role === 'facilitator' || identity.role === 'rapporteur';
  return identity.role === 'facilitator' || (identity.role === 'participant' && identity.groupId === groupId);
}
