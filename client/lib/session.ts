// Tokens kept in localStorage, per workshop: the facilitator's, and the identity a
// participant got when joining (so a reload, or tomorrow, keeps the same name).
export interface ParticipantIdentity {
  token: string;
  participantId: string;
  name: string;
  groupId: string;
}

const facilitatorKey = (workshopId: string) => `relatoria:facilitator:${workshopId}`;
const participantKey = (workshopId: string) => `relatoria:participant:${workshopId}`;
const organizerKey = (workshopId: string) => `relatoria:organizer:${workshopId}`;
const rapporteurKey = (workshopId: string) => `relatoria:rapporteur:${workshopId}`;
/** Ids of the templates this browser saved: a saved template's id is the key to it. */
const SAVED_TEMPLATES_KEY = 'relatoria:saved-templates';
/**
 * A random key this browser sends when it joins, kept when a participant is removed (the
 * identity is forgotten, this is not): the server refuses it a new join in that workshop.
 */
const DEVICE_KEY = 'relatoria:device';

function parseIdentity(raw: string | null): ParticipantIdentity | null {
  if (raw === null) return null;
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v !== 'object' || v === null) return null;
    const { token, participantId, name, groupId } = v as Record<string, unknown>;
    if (typeof token !== 'string' || typeof participantId !== 'string' || typeof name !== 'string' || typeof groupId !== 'string') return null;
    return { token, participantId, name, groupId };
  } catch {
    return null;
  }
}

export class SessionStore {
  readonly #storage: Storage;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  facilitatorToken(workshopId: string): string | null {
    return this.#storage.getItem(facilitatorKey(workshopId));
  }

  setFacilitatorToken(workshopId: string, token: string): void {
    this.#storage.setItem(facilitatorKey(workshopId), token);
  }

  forgetFacilitatorToken(workshopId: string): void {
    this.#storage.removeItem(facilitatorKey(workshopId));
  }

  /** An export-only token from an organizer link. */
  organizerToken(workshopId: string): string | null {
    return this.#storage.getItem(organizerKey(workshopId));
  }

  setOrganizerToken(workshopId: string, token: string): void {
    this.#storage.setItem(organizerKey(workshopId), token);
  }

  /** A rapporteur's token, from a rapporteur link: writes the plenary board, reads the groups'. */
  rapporteurToken(workshopId: string): string | null {
    return this.#storage.getItem(rapporteurKey(workshopId));
  }

  setRapporteurToken(workshopId: string, token: string): void {
    this.#storage.setItem(rapporteurKey(workshopId), token);
  }

  participant(workshopId: string): ParticipantIdentity | null {
    return parseIdentity(this.#storage.getItem(participantKey(workshopId)));
  }

  setParticipant(workshopId: string, identity: ParticipantIdentity): void {
    this.#storage.setItem(participantKey(workshopId), JSON.stringify(identity));
  }

  forgetParticipant(workshopId: string): void {
    this.#storage.removeItem(participantKey(workshopId));
  }

  /** This browser's device key, made on first use. */
  deviceKey(): string {
    const kept = this.#storage.getItem(DEVICE_KEY);
    if (kept && /^[A-Za-z0-9_-]{16,128}$/.test(kept)) return kept;
    const bytes = crypto.getRandomValues(new Uint8Array(18));
    const key = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    this.#storage.setItem(DEVICE_KEY, key);
    return key;
  }

  savedTemplateIds(): string[] {
    try {
      const ids: unknown = JSON.parse(this.#storage.getItem(SAVED_TEMPLATES_KEY) ?? '[]');
      return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      return [];
    }
  }

  rememberTemplate(id: string): void {
    const ids = [id, ...this.savedTemplateIds().filter((x) => x !== id)].slice(0, 50);
    this.#storage.setItem(SAVED_TEMPLATES_KEY, JSON.stringify(ids));
  }
}
