import { describe, expect, it } from 'vitest';
import { SessionStore } from '../../client/lib/session.js';
import { mayWrite, resolveIdentity } from '../../client/lib/identity.js';

class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  clear() {
    this.#items.clear();
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null;
  }
  key(i: number) {
    return [...this.#items.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.#items.delete(key);
  }
  setItem(key: string, value: string) {
    this.#items.set(key, value);
  }
}

const opts = { preferFacilitator: false, facilitatorName: 'Facilitación' };

describe('tokens kept in the browser', () => {
  it('keeps a participant identity per workshop, and ignores a damaged one', () => {
    const storage = new MemoryStorage();
    const session = new SessionStore(storage);
    session.setParticipant('w1', { token: 't', participantId: 'p1', name: 'Begoña', groupId: 'g1' });
    expect(session.participant('w1')).toEqual({ token: 't', participantId: 'p1', name: 'Begoña', groupId: 'g1' });
    expect(session.participant('w2')).toBeNull();
    storage.setItem('relatoria:participant:w2', '{"token": 3}');
    expect(session.participant('w2')).toBeNull();
    storage.setItem('relatoria:participant:w3', 'not json');
    expect(session.participant('w3')).toBeNull();
    session.forgetParticipant('w1');
    expect(session.participant('w1')).toBeNull();
  });

  it('is the participant on a board, unless the facilitator link asked otherwise or there is no participant', () => {
    const session = new SessionStore(new MemoryStorage());
    expect(resolveIdentity(session, 'w1', opts)).toBeNull();
    session.setFacilitatorToken('w1', 'fac');
    expect(resolveIdentity(session, 'w1', opts)).toMatchObject({ role: 'facilitator', token: 'fac', groupId: null, user: { name: 'Facilitación' } });
    session.setParticipant('w1', { token: 'par', participantId: 'p1', name: 'Ana', groupId: 'g1' });
    const participant = resolveIdentity(session, 'w1', opts);
    expect(participant).toMatchObject({ role: 'participant', token: 'par', groupId: 'g1', user: { id: 'p1', name: 'Ana' } });
    expect(participant?.user.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(resolveIdentity(session, 'w1', { ...opts, preferFacilitator: true })?.role).toBe('facilitator');
  });

  it('writes only to its own group’s board, as the server enforces', () => {
    const session = new SessionStore(new MemoryStorage());
    session.setParticipant('w1', { token: 'par', participantId: 'p1', name: 'Ana', groupId: 'g1' });
    const me = resolveIdentity(session, 'w1', opts);
    expect(me && mayWrite(me, 'g1')).toBe(true);
    expect(me && mayWrite(me, 'g2')).toBe(false);
    session.setFacilitatorToken('w1', 'fac');
    const facilitator = resolveIdentity(session, 'w1', { ...opts, preferFacilitator: true });
    expect(facilitator && mayWrite(facilitator, 'g2')).toBe(true);
  });
});
