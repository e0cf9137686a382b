// Token → Principal, checked against the store: a token for a deleted workshop or a
// removed participant stops working at once, on every channel; a revoked or expired
// link too (the link service answers that from memory).
import type { Store } from '../store/store.js';
import type { Principal } from './principal.js';
import type { TokenSigner } from './tokens.js';

export type Authenticate = (token: string | undefined | null) => Promise<Principal | null>;

export function createAuthenticator(signer: TokenSigner, store: Store): Authenticate {
  return async (token) => {
    if (!token) return null;
    const claims = await signer.verify(token);
    if (!claims) return null;
    const workshop = await store.getWorkshop(claims.workshopId);
    if (!workshop) return null;
    const link = { linkId: claims.id, expiresAt: claims.expiresAt };
    if (claims.role !== 'participant') {
      return { role: claims.role, workshopId: workshop.id, groupId: null, participantId: null, name: '', ...link };
    }
    const participant = claims.participantId ? await store.getParticipant(claims.participantId) : null;
    if (!participant || participant.workshopId !== workshop.id || participant.removedAt !== null) return null;
    return {
      role: 'participant',
      workshopId: workshop.id,
      groupId: participant.groupId,
      participantId: participant.id,
      name: participant.name,
      ...link,
    };
  };
}
