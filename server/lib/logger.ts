// The server's logger: pino, one JSON line per entry on stdout, injected everywhere (tests
// build their own over an in-memory stream to read what was logged). Call sites say the
// message first and the fields after; `err` fields keep their stack, `code` and cause.
import { pino, stdSerializers, stdTimeFunctions, type DestinationStream, type Logger as Pino } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export interface Logger {
  /** Expected events that are noise at scale (a dropped read-only write, a reconnect). */
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose every line also carries `bindings` (request id, workshop, board). */
  child(bindings: LogFields): Logger;
  /** The pino instance underneath, for pino-http. */
  readonly pino: Pino;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go (stdout when absent). */
  destination?: DestinationStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const base = pino(
    {
      level: opts.level ?? 'info',
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // `err` keeps type, message, stack, code and cause; `error` (some call sites' name) too.
      serializers: { err: stdSerializers.errWithCause, error: stdSerializers.errWithCause },
    },
    opts.destination,
  );
  return wrap(base);
}

function wrap(p: Pino): Logger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: LogFields) =>
    fields ? p[level](fields, message) : p[level](message);
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (bindings) => wrap(p.child(bindings)),
    pino: p,
  };
}

export const silentLogger: Logger = createLogger({ level: 'silent' });
