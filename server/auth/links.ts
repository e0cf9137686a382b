// Links: every token the server signs is recorded (store `links`, keyed by the token's
// `jti`) with its expiry, last use and revocation. Checking a token asks an in-memory
// cache of link states, filled from the store on a miss and kept in step by every
// revocation made here, so a revoked link stops working at once at no store cost.
// Tokens from before links were recorded (no `jti`) are recorded on first use under a
// hash of the token, with a full lifetime from then: listed and revocable like any.
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../shared/model.js';
import type { LinkView } from '../../shared/links.js';
import type { Logger } from '../lib/logger.js';
import type { LinkRecord, Store } from '../store/store.js';
import type { TokenClaims, TokenSigner, VerifiedToken } from './tokens.js';

const DAY_MS = 24 * 3_600_000;
/** A participant's token lasts as long as before links were recorded. */
export const PARTICIPANT_LINK_DAYS = 30;
/** A link's last use is written at most this often. */
const TOUCH_EVERY_MS = 60_000;
/** Link states kept in memory; past it the expired ones go, then the oldest (a miss costs one query). */
const MAX_CACHED = 100_000;

export interface LinkServiceOptions {
  store: Store;
  signer: TokenSigner;
  log: Logger;
  /** Lifetime of facilitator, co-facilitator, projector and organizer links (LINK_TTL_DAYS). */
  linkTtlDays: number;
  now?: () => number;
}

interface LinkState {
  workshopId: string;
  expiresAt: number;
  revokedAt: number | null;
  /** When the last use was last written (0: never). */
  touchedAt: number;
}

/** The revoked link, as other nodes need it to refuse it too. */
export interface RevokedLink {
  workshopId: string;
  expiresAt: number;
  revokedAt: number;
}

/** A listener that returns a promise is waited for before `revoke` resolves (cluster mode: the other nodes were told). */
export type RevokedListener = (linkId: string, link: RevokedLink) => void | Promise<void>;

export class LinkService implements TokenSigner {
  readonly #store: Store;
  readonly #signer: TokenSigner;
  readonly #log: Logger;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, LinkState>();
  readonly #revoked = new Set<RevokedListener>();

  constructor(opts: LinkServiceOptions) {
    this.#store = opts.store;
    this.#signer = opts.signer;
    this.#log = opts.log;
    this.#ttlMs = opts.linkTtlDays * DAY_MS;
    this.#now = opts.now ?? Date.now;
  }

  lifetimeMs(role: Role): number {
    return role === 'participant' ? PARTICIPANT_LINK_DAYS * DAY_MS : this.#ttlMs;
  }

  /** Signs a token with a new link id and records the link before the token exists for anyone. */
  async sign(claims: TokenClaims, ttlSeconds?: number): Promise<string> {
    const now = this.#now();
    const ttlMs = ttlSeconds !== undefined ? ttlSeconds * 1000 : this.lifetimeMs(claims.role);
    const id = randomBytes(12).toString('base64url');
    const participant = claims.participantId ? await this.#store.getParticipant(claims.participantId) : null;
    const link: LinkRecord = {
      id, workshopId: claims.workshopId, role: claims.role, groupId: participant?.groupId ?? null, participantId: claims.participantId ?? null,
      createdAt: now, lastUsedAt: null, expiresAt: now + ttlMs, revokedAt: null,
    };
    await this.#store.addLink(link);
    this.#remember(id, { workshopId: link.workshopId, expiresAt: link.expiresAt, revokedAt: null, touchedAt: 0 });
    return this.#signer.sign(claims, Math.ceil(ttlMs / 1000), id);
  }

  /** A valid, unrevoked, unexpired token's claims and link; null for anything else. Records its use. */
  async verify(token: string): Promise<VerifiedToken | null> {
    const verified = await this.#signer.verify(token);
    if (!verified) return null;
    const id = verified.id ?? `legacy-${createHash('sha256').update(token).digest('base64url').slice(0, 22)}`;
    const state = await this.#stateOf(id, verified);
    const now = this.#now();
    if (!state || state.revokedAt !== null || state.expiresAt <= now || state.workshopId !== verified.workshopId) return null;
    if (now - state.touchedAt >= TOUCH_EVERY_MS) {
      state.touchedAt = now;
      this.#store.touchLink(id, now).catch((err: unknown) => this.#log.warn('could not record a link’s last use', { workshop: state.workshopId, err }));
    }
    return { ...verified, id, expiresAt: state.expiresAt };
  }

  /** The workshop's links that still work, oldest first; a participant's with its name and current group. */
  async list(workshopId: string): Promise<LinkView[]> {
    const now = this.#now();
    const [links, participants] = await Promise.all([this.#store.listLinks(workshopId), this.#store.listParticipants(workshopId)]);
    const byId = new Map(participants.map((p) => [p.id, p]));
    const views: LinkView[] = [];
    for (const l of links) {
      if (l.revokedAt !== null || l.expiresAt <= now) continue;
      const base = { id: l.id, role: l.role, createdAt: l.createdAt, lastUsedAt: l.lastUsedAt, expiresAt: l.expiresAt };
      if (l.role !== 'participant') views.push(base);
      else {
        const p = l.participantId ? byId.get(l.participantId) : undefined;
        if (p && p.removedAt === null) views.push({ ...base, participantId: p.id, name: p.name, groupId: p.groupId });
      }
    }
    return views;
  }

  /** Revokes the workshop's link: it stops working at once and open sockets are told. False when there is no such link. */
  async revoke(workshopId: string, id: string): Promise<boolean> {
    const link = await this.#store.revokeLink(workshopId, id, this.#now());
    if (!link) return false;
    // Always in the cache, so a check that read the row just before this cannot put back a live state.
    const state = this.#cache.get(id);
    if (state) state.revokedAt = link.revokedAt;
    else this.#remember(id, { workshopId: link.workshopId, expiresAt: link.expiresAt, revokedAt: link.revokedAt, touchedAt: link.lastUsedAt ?? 0 });
    const revoked = { workshopId: link.workshopId, expiresAt: link.expiresAt, revokedAt: link.revokedAt ?? this.#now() };
    await Promise.all([...this.#revoked].map((listener) => listener(id, revoked)));
    return true;
  }

  /** Another node revoked the link (cluster mode): refused here from now on, whatever this node read before. */
  revokedElsewhere(id: string, link: RevokedLink): void {
    const state = this.#cache.get(id);
    if (state) state.revokedAt = link.revokedAt;
    else this.#remember(id, { workshopId: link.workshopId, expiresAt: link.expiresAt, revokedAt: link.revokedAt, touchedAt: 0 });
  }

  /** Whether this link was revoked (memory only): a socket authorised just before a revocation checks again once it is indexed. */
  isRevoked(id: string | null | undefined): boolean {
    return !!id && (this.#cache.get(id)?.revokedAt ?? null) !== null;
  }

  /** Told of every revocation (the socket servers close the link's sockets). */
  onRevoked(listener: RevokedListener): void {
    this.#revoked.add(listener);
  }

  /** Drops a deleted workshop's link states (its rows went with it). */
  forgetWorkshop(workshopId: string): void {
    for (const [id, state] of this.#cache) if (state.workshopId === workshopId) this.#cache.delete(id);
  }

  async #stateOf(id: string, token: VerifiedToken): Promise<LinkState | null> {
    const cached = this.#cache.get(id);
    if (cached) return cached;
    let row = await this.#store.getLink(id);
    if (!row && token.id === null) row = await this.#adoptLegacy(id, token);
    if (!row) return null;
    const meanwhile = this.#cache.get(id); // a revocation while we read wins
    if (meanwhile) return meanwhile;
    const state = { workshopId: row.workshopId, expiresAt: row.expiresAt, revokedAt: row.revokedAt, touchedAt: row.lastUsedAt ?? 0 };
    this.#remember(id, state);
    return state;
  }

  /** A token from before links were recorded: recorded now, with a lifetime from now (or its own expiry). */
  async #adoptLegacy(id: string, token: VerifiedToken): Promise<LinkRecord | null> {
    const now = this.#now();
    const link: LinkRecord = {
      id, workshopId: token.workshopId, role: token.role, groupId: null, participantId: token.participantId ?? null,
      createdAt: token.issuedAt ?? now, lastUsedAt: null, expiresAt: token.expiresAt ?? now + this.lifetimeMs(token.role), revokedAt: null,
    };
    try {
      await this.#store.addLink(link); // a concurrent first use recorded it already: theirs stands
      return await this.#store.getLink(id);
    } catch {
      return null; // its workshop is gone (the row would refer to nothing): the token is refused anyway
    }
  }

  #remember(id: string, state: LinkState): void {
    if (this.#cache.size >= MAX_CACHED) {
      const now = this.#now();
      for (const [key, s] of this.#cache) if (s.expiresAt <= now) this.#cache.delete(key);
      for (const key of this.#cache.keys()) {
        if (this.#cache.size < MAX_CACHED * 0.9) break;
        this.#cache.delete(key);
      }
    }
    this.#cache.set(id, state);
  }
}

/** Calls `fire` once `expiresAt` passes (never for null); returns the cancel. Timers are capped, so any lifetime works. */
export function whenExpired(expiresAt: number | null | undefined, fire: () => void): () => void {
  if (expiresAt === null || expiresAt === undefined) return () => undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) return fire();
    timer = setTimeout(arm, Math.min(left, 2 ** 31 - 1));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
