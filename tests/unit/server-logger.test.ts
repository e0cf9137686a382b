// The production logger writes JSON lines an operator can use: level, time, message,
// fields, child bindings, and errors whole (stack, code, cause).
import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from '../../server/lib/logger.js';

function capture(level: LogLevel = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ level, destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { log, lines };
}

describe('createLogger', () => {
  it('writes one JSON line per entry with level name, ISO time, message and fields', () => {
    const { log, lines } = capture();
    log.info('board loaded', { board: 'w/g', updates: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'board loaded', board: 'w/g', updates: 3 });
    expect(new Date(String(lines[0]!.time)).toISOString()).toBe(lines[0]!.time);
  });

  it('keeps an error’s stack, code and cause', () => {
    const { log, lines } = capture();
    const cause = new Error('disk I/O error');
    const err = Object.assign(new Error('database or disk is full', { cause }), { code: 'SQLITE_FULL' });
    log.error('storing an update failed', { err });
    const logged = lines[0]!.err as Record<string, unknown>;
    expect(logged).toMatchObject({ type: 'Error', message: expect.stringContaining('database or disk is full'), code: 'SQLITE_FULL' });
    expect(logged.stack).toEqual(expect.stringContaining('server-logger.test.ts'));
    expect(JSON.stringify(logged)).toContain('disk I/O error');
  });

  it('debug lines appear only at LOG_LEVEL=debug; child loggers carry their bindings', () => {
    const quiet = capture('info');
    quiet.log.debug('dropped a write from a read-only connection');
    expect(quiet.lines).toEqual([]);
    const loud = capture('debug');
    loud.log.child({ workshop: 'w1' }).child({ board: 'w1/g1' }).debug('dropped a write from a read-only connection', { role: 'projector' });
    expect(loud.lines[0]).toMatchObject({ level: 'debug', workshop: 'w1', board: 'w1/g1', role: 'projector' });
  });
});
