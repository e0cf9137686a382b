// The plenary board's HTTP API (server/http/plenary-routes.ts).
import type { GroupSources, PlenaryItemRow, SourceRef } from '../../../shared/plenary.js';
import { request } from '../api.js';

const base = (workshopId: string) => `/api/workshops/${encodeURIComponent(workshopId)}/plenary`;

export const plenaryApi = {
  items: (workshopId: string, token: string) => request<PlenaryItemRow[]>('GET', `${base(workshopId)}/items`, { token }),
  sources: (workshopId: string, token: string) => request<GroupSources[]>('GET', `${base(workshopId)}/sources`, { token }),
  /** Pulls the card or section, or only `passage` of it (words selected in it). */
  pull: (workshopId: string, ref: SourceRef, token: string, passage?: string) =>
    request<{ itemId: string }>('POST', `${base(workshopId)}/items`, {
      token,
      body: {
        ...(ref.cardId !== undefined ? { groupId: ref.groupId, cardId: ref.cardId } : { groupId: ref.groupId, sectionId: ref.sectionId }),
        ...(passage !== undefined ? { passage } : {}),
      },
    }),
  refresh: (workshopId: string, itemId: string, token: string) =>
    request<{ refreshed: boolean }>('POST', `${base(workshopId)}/items/${encodeURIComponent(itemId)}/refresh`, { token }),
  merge: (workshopId: string, itemIds: string[], token: string) =>
    request<{ itemId: string }>('POST', `${base(workshopId)}/items/merge`, { token, body: { itemIds } }),
};

export type PlenaryApi = typeof plenaryApi;
