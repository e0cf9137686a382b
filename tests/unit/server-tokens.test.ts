// Scoped tokens: what verify accepts is exactly what sign produced with the same
// secret, still valid, with a known role; anything else is null, never a throw.
import { describe, expect, it } from 'vitest';
import { SignJWT, UnsecuredJWT } from 'jose';
import { createTokenSigner, type TokenClaims } from '../../server/auth/tokens.js';

const SECRET = 'unit-test-secret';
const signer = createTokenSigner(SECRET);
const key = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);

/** A JWT with exactly these claims, signed with our secret (for claims `sign` would never write). */
function handMade(payload: Record<string, unknown>, opts: { issuer?: string; exp?: number } = {}): Promise<string> {
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (opts.issuer !== undefined) jwt.setIssuer(opts.issuer);
  if (opts.exp !== undefined) jwt.setExpirationTime(opts.exp);
  return jwt.sign(key);
}

/** Replaces the payload of a signed token, keeping its header and signature. */
function withPayload(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}

describe('token round trip', () => {
  it.each<[string, TokenClaims, number | undefined]>([
    ['a facilitator, without expiry', { workshopId: 'w1', role: 'facilitator' }, undefined],
    ['a participant, with 30 days', { workshopId: 'w1', role: 'participant', participantId: 'p1' }, 60 * 60 * 24 * 30],
    ['a projector', { workshopId: 'w2', role: 'projector' }, 60],
    ['an organizer', { workshopId: 'w2', role: 'organizer' }, 60],
  ])('%s: verify returns the claims sign was given', async (_name, claims, ttl) => {
    const verified = await signer.verify(await signer.sign(claims, ttl, 'link-1'));
    expect(verified).toMatchObject({ ...claims, id: 'link-1' });
    if (ttl === undefined) expect(verified?.expiresAt).toBe(null);
    else expect(Math.abs((verified?.expiresAt ?? 0) - (Date.now() + ttl * 1000))).toBeLessThan(5_000);
  });

  it('a token signed without an id (before links were recorded) verifies with id null', async () => {
    expect(await signer.verify(await signer.sign({ workshopId: 'w1', role: 'facilitator' }))).toMatchObject({ id: null, expiresAt: null });
  });

  it('a second signer with the same secret accepts the token (tokens survive a restart)', async () => {
    const token = await signer.sign({ workshopId: 'w1', role: 'facilitator' });
    expect(await createTokenSigner(SECRET).verify(token)).toMatchObject({ workshopId: 'w1', role: 'facilitator' });
  });
});

describe('tokens verify refuses (null, no throw)', () => {
  it.each<[string, () => Promise<string> | string]>([
    ['a payload edited after signing (another workshop)', async () =>
      withPayload(await signer.sign({ workshopId: 'w1', role: 'participant', participantId: 'p1' }), { wid: 'w2', role: 'participant', pid: 'p1', iss: 'relatoria', iat: now() })],
    ['a payload edited after signing (a higher role)', async () =>
      withPayload(await signer.sign({ workshopId: 'w1', role: 'participant', participantId: 'p1' }), { wid: 'w1', role: 'facilitator', iss: 'relatoria', iat: now() })],
    ['a signature of another token', async () => {
      const [h, p] = (await signer.sign({ workshopId: 'w1', role: 'facilitator' })).split('.');
      const s = (await signer.sign({ workshopId: 'w2', role: 'facilitator' })).split('.')[2];
      return `${h}.${p}.${s}`;
    }],
    ['a token signed with another secret', () => createTokenSigner('another-secret').sign({ workshopId: 'w1', role: 'facilitator' })],
    ['an expired token', () => handMade({ wid: 'w1', role: 'facilitator' }, { issuer: 'relatoria', exp: now() - 60 })],
    ['a token of another issuer', () => handMade({ wid: 'w1', role: 'facilitator' }, { issuer: 'someone-else' })],
    ['a token without issuer', () => handMade({ wid: 'w1', role: 'facilitator' })],
    ['a jti that is not a string', () => handMade({ wid: 'w1', role: 'facilitator', jti: 7 }, { issuer: 'relatoria' })],
    ['an unknown role', () => handMade({ wid: 'w1', role: 'admin' }, { issuer: 'relatoria' })],
    ['no role', () => handMade({ wid: 'w1' }, { issuer: 'relatoria' })],
    ['a participant without participant id', () => handMade({ wid: 'w1', role: 'participant' }, { issuer: 'relatoria' })],
    ['a participant id that is not a string', () => handMade({ wid: 'w1', role: 'participant', pid: 42 }, { issuer: 'relatoria' })],
    ['a workshop id that is not a string', () => handMade({ wid: 7, role: 'facilitator' }, { issuer: 'relatoria' })],
    ['an unsigned token (alg none)', () => new UnsecuredJWT({ wid: 'w1', role: 'facilitator' }).setIssuer('relatoria').encode()],
    ['a token over 4096 characters', async () => {
      const token = await handMade({ wid: 'w1', role: 'facilitator', pad: 'x'.repeat(4_000) }, { issuer: 'relatoria' });
      expect(token.length).toBeGreaterThan(4096);
      return token;
    }],
    ['an empty string', () => ''],
    ['garbage', () => 'not-a-jwt'],
    ['three dots of garbage', () => 'a.b.c'],
  ])('%s', async (_name, makeToken) => {
    await expect(signer.verify(await makeToken())).resolves.toBe(null);
  });

  it('accepts the same hand-made claims when they are well formed (the refusals above are about what they change)', async () => {
    expect(await signer.verify(await handMade({ wid: 'w1', role: 'participant', pid: 'p1' }, { issuer: 'relatoria', exp: now() + 60 }))).toMatchObject({
      workshopId: 'w1',
      role: 'participant',
      participantId: 'p1',
    });
  });
});
