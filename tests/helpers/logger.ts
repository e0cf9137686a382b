// The server's own logger (pino) writing into memory, so tests can assert what the server
// reported, exactly as it would be written: errors serialized, child bindings included.
import { createLogger, type LogFields, type Logger } from '../../server/lib/logger.js';

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'trace';

export interface LogEntry {
  level: LogLevelName;
  message: string;
  fields: LogFields;
}

export class CapturingLogger implements Logger {
  readonly entries: LogEntry[] = [];
  readonly #log: Logger;

  constructor() {
    this.#log = createLogger({
      level: 'debug',
      destination: {
        write: (line: string) => {
          const { level, msg, time: _time, pid: _pid, hostname: _host, ...fields } = JSON.parse(line) as LogFields;
          this.entries.push({ level: level as LogLevelName, message: String(msg ?? ''), fields });
        },
      },
    });
  }

  get pino() {
    return this.#log.pino;
  }

  debug(message: string, fields?: LogFields): void {
    this.#log.debug(message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.#log.info(message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.#log.warn(message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.#log.error(message, fields);
  }

  child(bindings: LogFields): Logger {
    return this.#log.child(bindings);
  }

  at(level: LogLevelName): LogEntry[] {
    return this.entries.filter((e) => e.level === level);
  }
}
