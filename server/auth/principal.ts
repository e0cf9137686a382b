// Who is asking, once the token has been checked at the edge. Handlers see this, never tokens.
import type { Role } from '../../shared/model.js';

export interface Principal {
  role: Role;
  workshopId: string;
  /** The participant's own group; null for every other role. */
  groupId: string | null;
  participantId: string | null;
  name: string;
  /** The link (token) it came in with: revoking it ends every socket opened with it. Absent for the server's own principals. */
  linkId?: string | null;
  /** When that token expires (ms); open sockets are closed then. */
  expiresAt?: number | null;
}

export type BoardAccess = 'write' | 'read' | 'none';

/** What a principal may do with one board. Locks (a later layer) can only lower this. */
export function boardAccess(p: Principal, workshopId: string, groupId: string): BoardAccess {
  if (p.workshopId !== workshopId) return 'none';
  switch (p.role) {
    case 'facilitator':
      return 'write';
    case 'participant':
      return p.groupId === groupId ? 'write' : 'read';
    case 'projector':
    case 'organizer':
      return 'read';
  }
}
