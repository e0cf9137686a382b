// A board's document name is `<workshopId>/<groupId>`: the room a y-websocket
// client asks for, and the key the store keeps its updates under.

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface BoardAddress {
  workshopId: string;
  groupId: string;
}

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
