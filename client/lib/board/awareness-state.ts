// What each client publishes through awareness, read defensively: it is written by others.
import type { Awareness } from 'y-protocols/awareness';

export interface BoardUser {
  id: string;
  name: string;
  /** 6-digit hex: the caret extension draws nothing else. */
  color: string;
}

/** A card someone is dragging: where it would land if dropped now. */
export interface CardDragState {
  cardId: string;
  toIndex: number;
}

export interface Peer extends BoardUser {
  clientId: number;
  isSelf: boolean;
}

export interface RemoteDrag extends CardDragState {
  by: BoardUser;
}

const USER_FIELD = 'user';
const DRAG_FIELD = 'drag';

function readUser(state: unknown): BoardUser | null {
  if (typeof state !== 'object' || state === null) return null;
  const user = (state as Record<string, unknown>)[USER_FIELD];
  if (typeof user !== 'object' || user === null) return null;
  const { id, name, color } = user as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '') return null;
  return {
    id: typeof id === 'string' ? id : name,
    name: name.slice(0, 60),
    color: typeof color === 'string' && /^#[0-9a-fA-F]{6}$/.test(color) ? color : '#868e96',
  };
}

function readDrag(state: unknown): CardDragState | null {
  if (typeof state !== 'object' || state === null) return null;
  const drag = (state as Record<string, unknown>)[DRAG_FIELD];
  if (typeof drag !== 'object' || drag === null) return null;
  const { cardId, toIndex } = drag as Record<string, unknown>;
  if (typeof cardId !== 'string' || typeof toIndex !== 'number' || !Number.isInteger(toIndex) || toIndex < 0) return null;
  return { cardId, toIndex };
}

/** Everyone with a name, one entry per person (several tabs count once), self first. */
export function listPeers(awareness: Awareness): Peer[] {
  const self = awareness.clientID;
  const byPerson = new Map<string, Peer>();
  for (const [clientId, state] of awareness.getStates()) {
    const user = readUser(state);
    if (!user) continue;
    const existing = byPerson.get(user.id);
    if (!existing || clientId === self) byPerson.set(user.id, { ...user, clientId, isSelf: clientId === self || existing?.isSelf === true });
  }
  return [...byPerson.values()].sort((a, b) => Number(b.isSelf) - Number(a.isSelf));
}

/** Cards other people are dragging right now. */
export function listRemoteDrags(awareness: Awareness): RemoteDrag[] {
  const drags: RemoteDrag[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const drag = readDrag(state);
    const by = readUser(state);
    if (drag && by) drags.push({ ...drag, by });
  }
  return drags;
}

export function publishUser(awareness: Awareness, user: BoardUser): void {
  awareness.setLocalStateField(USER_FIELD, user);
}

export function publishDrag(awareness: Awareness, drag: CardDragState | null): void {
  awareness.setLocalStateField(DRAG_FIELD, drag);
}
