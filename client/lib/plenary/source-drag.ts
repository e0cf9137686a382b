// A group's card or section dragged from the plenary page's side panel onto its items list
// (HTML5 drag and drop; the pull button is the keyboard's way). The payload is the source's
// reference under our own media type, so nothing else dropped there is taken for one.
import type { SourceRef } from '../../../shared/plenary.js';

export const SOURCE_MEDIA_TYPE = 'application/x-relatoria-source';

export function startSourceDrag(transfer: DataTransfer, ref: SourceRef, text: string): void {
  transfer.setData(SOURCE_MEDIA_TYPE, JSON.stringify(ref));
  transfer.setData('text/plain', text);
  transfer.effectAllowed = 'copy';
}

/** Whether a drag carries a source (its data is unreadable until the drop). */
export const carriesSource = (transfer: DataTransfer | null): boolean => !!transfer && [...transfer.types].includes(SOURCE_MEDIA_TYPE);

/** The dropped source, or null when the data is not one. */
export function droppedSource(transfer: DataTransfer | null): SourceRef | null {
  const raw = transfer?.getData(SOURCE_MEDIA_TYPE);
  if (!raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { groupId, cardId, sectionId } = value as Record<string, unknown>;
  if (typeof groupId !== 'string') return null;
  if (typeof cardId === 'string' && sectionId === undefined) return { groupId, cardId };
  if (typeof sectionId === 'string' && cardId === undefined) return { groupId, sectionId };
  return null;
}
