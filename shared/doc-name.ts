// A board's document name is `<workshopId>/<groupId>`: the room a y-websocket
// client asks for, and the key the store keeps its updates under. The workshop's plenary
// board (shared/plenary.ts) is `<workshopId>/plenary`: group ids are 8 base64url
// characters (server newId(6)), so no group is ever called that.

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface BoardAddress {
  workshopId: string;
  groupId: string;
}

/** The plenary board's id where a group id goes. */
export const PLENARY_BOARD = 'plenary';
export const isPlenaryBoard = (groupId: string): boolean => groupId === PLENARY_BOARD;

export function boardDocName({ workshopId, groupId }: BoardAddress): string {
  return `${workshopId}/${groupId}`;
}

/** Parses a document name; null for anything that is not two safe ids. */
export function parseBoardDocName(name: string): BoardAddress | null {
  const parts = name.split('/');
  if (parts.length !== 2) return null;
  const [workshopId, groupId] = parts as [string, string];
  if (!ID.test(workshopId) || !ID.test(groupId)) return null;
  return { workshopId, groupId };
}

export function isSafeId(id: string): boolean {
  return ID.test(id);
}
