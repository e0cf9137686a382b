// Scoped tokens: a signed JWT (HS256, `jose`) naming workshop, role and, for a
// participant, who it is, with an id (`jti`, the link's row) and an expiry. Signing is
// pure; recording links, revocation and checking that the workshop and the participant
// still exist are the link service's and the authenticator's jobs (auth/links.ts,
// auth/authenticate.ts).
import { SignJWT, jwtVerify, errors } from 'jose';
import { ROLES, type Role } from '../../shared/model.js';

export interface TokenClaims {
  workshopId: string;
  role: Role;
  participantId?: string;
}

/** What a valid token says about itself besides its claims. */
export interface VerifiedToken extends TokenClaims {
  /** The link's id (`jti`); null for tokens made before links were recorded. */
  id: string | null;
  /** Milliseconds since the epoch; null for tokens made before every token expired. */
  expiresAt: number | null;
  issuedAt: number | null;
}

export interface TokenSigner {
  sign(claims: TokenClaims, ttlSeconds?: number, id?: string): Promise<string>;
  /** What a valid token says, or null for anything else (never throws). */
  verify(token: string): Promise<VerifiedToken | null>;
}

const ISSUER = 'relatoria';

export function createTokenSigner(secret: string): TokenSigner {
  const key = new TextEncoder().encode(secret);
  return {
    async sign(claims, ttlSeconds, id) {
      const jwt = new SignJWT({ wid: claims.workshopId, role: claims.role, pid: claims.participantId })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setIssuedAt();
      if (ttlSeconds !== undefined) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds);
      if (id !== undefined) jwt.setJti(id);
      return jwt.sign(key);
    },
    async verify(token) {
      if (token.length > 4096) return null;
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] });
        const { wid, role, pid, jti, exp, iat } = payload;
        if (typeof wid !== 'string' || !(ROLES as readonly unknown[]).includes(role)) return null;
        if (role === 'participant' && typeof pid !== 'string') return null;
        if (jti !== undefined && (typeof jti !== 'string' || jti.length === 0 || jti.length > 64)) return null;
        return {
          workshopId: wid,
          role: role as Role,
          ...(typeof pid === 'string' ? { participantId: pid } : {}),
          id: jti ?? null,
          expiresAt: typeof exp === 'number' ? exp * 1000 : null,
          issuedAt: typeof iat === 'number' ? iat * 1000 : null,
        };
      } catch (err) {
        if (err instanceof errors.JOSEError) return null;
        throw err;
      }
    },
  };
}
