// What every route module uses: async handlers whose errors reach the error handler,
// body parsing with zod, and the request's principal from its Bearer token.
import type { NextFunction, Request, Response } from 'express';
import type { ZodType } from 'zod';
import type { ErrorCode } from '../../shared/protocol.js';
import type { Authenticate } from '../auth/authenticate.js';
import type { Principal } from '../auth/principal.js';
import { HttpError, badRequest, forbidden, unauthorized } from './http-error.js';
import { describeZodError } from './schemas.js';

type Handler = (req: Request, res: Response) => Promise<void>;
export const route = (handler: Handler) => (req: Request, res: Response, next: NextFunction) => handler(req, res).catch(next);

export function parse<T>(schema: ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw badRequest(describeZodError(result.error));
  return result.data;
}

export type PrincipalOf = (req: Request) => Promise<Principal>;

/** The principal of `Authorization: Bearer <token>`, or a 401. */
export function bearerAuth(authenticate: Authenticate): PrincipalOf {
  return async (req) => {
    const header = req.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const principal = await authenticate(token);
    if (!principal) throw unauthorized();
    return principal;
  };
}

/** The principal, which must belong to the workshop named in the path. */
export async function principalOfWorkshop(principalOf: PrincipalOf, req: Request): Promise<Principal> {
  const principal = await principalOf(req);
  if (principal.workshopId !== req.params.id) throw forbidden('This token is for another workshop');
  return principal;
}

/** HTTP status of each Socket.IO error code, for routes that run a command. */
export const STATUS_OF: Record<ErrorCode, number> = {
  unauthorized: 401, forbidden: 403, bad_request: 400, not_found: 404, rate_limited: 429, locked: 423, internal: 500, outdated_client: 400,
};

export const commandError = (error: ErrorCode, message: string) => new HttpError(STATUS_OF[error], error, message);
