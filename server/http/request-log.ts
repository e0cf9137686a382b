// One log line per HTTP request (pino-http): method, path, status, time, and a request id
// that the response carries back (`X-Request-Id`) so a user's report can be found in the log.
// Never headers or query strings: they carry bearer tokens and template keys.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../lib/logger.js';

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Requests that are routine at any volume (probes, scrapes, the built client's files): debug. */
const ROUTINE = /^\/(healthz|readyz|metrics|assets\/|favicon)/;

const pathOf = (url: string | undefined) => (url ?? '').split('?')[0] ?? '';

export function requestLogger(log: Logger) {
  return pinoHttp({
    logger: log.pino,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (req, res, err) => {
      if (err || res.statusCode >= 500) return 'error';
      return ROUTINE.test(pathOf(req.url)) ? 'debug' : 'info';
    },
    customSuccessMessage: (req, res) => `${req.method} ${pathOf(req.url)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req.url)} ${res.statusCode}`,
    serializers: {
      req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({ id: req.id, method: req.method, path: pathOf(req.url), remoteAddress: req.remoteAddress }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
  });
}
