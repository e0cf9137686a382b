// Scoped tokens: a signed JWT (HS256, `jose`) naming workshop, role and, for a
// participant, who it is. Signing is pure; checking that the workshop and the
// participant still exist is the authenticator's job (auth/authenticate.ts).
import { SignJWT, jwtVerify, errors } from 'jose';
import { ROLES, type Role } from '../../shared/model.js';

export interface TokenClaims {
  workshopId: string;
  role: Role;
  participantId?: string;
}

export interface TokenSigner {
  sign(claims: TokenClaims, ttlSeconds?: number): Promise<string>;
  /** The claims of a valid token, or null for anything else (never throws). */
  verify(token: string): Promise<TokenClaims | null>;
}

const ISSUER = 'relatoria';

export function createTokenSigner(secret: string): TokenSigner {
  const key = new TextEncoder().encode(secret);
  return {
    async sign(claims, ttlSeconds) {
      const jwt = new SignJWT({ wid: claims.workshopId, role: claims.role, pid: claims.participantId })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setIssuedAt();
      if (ttlSeconds !== undefined) jwt.setExpirationTime(`${ttlSeconds}s`);
      return jwt.sign(key);
    },
    async verify(token) {
      if (token.length > 4096) return null;
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] });
        const { wid, role, pid } = payload;
        if (typeof wid !== 'string' || !(ROLES as readonly unknown[]).includes(role)) return null;
        if (role === 'participant' && typeof pid !== 'string') return null;
        return { workshopId: wid, role: role as Role, ...(typeof pid === 'string' ? { participantId: pid } : {}) };
      } catch (err) {
        if (err instanceof errors.JOSEError) return null;
        throw err;
      }
    },
  };
}
