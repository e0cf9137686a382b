// The worker pool that reads imports and renders exports (server/lib/worker-pool.ts, with
// its thread body server/lib/worker-thread.mjs), driven with test tasks on real threads:
// a value comes back, and bytes; a task that throws is a 500 with its stack in
// the log and the thread lives on; one past its budget ends its thread and the next task
// gets a new one; past the queue's bound a task is refused at once.
import { describe, expect, it, onTestFinished } from 'vitest';
import { HttpError } from '../../server/http/http-error.js';
import { WorkerPool } from '../../server/lib/worker-pool.js';
import { CapturingLogger } from '../helpers/logger.js';
import type { TestTask } from '../support/worker-pool/tasks.js';

function testPool(log: CapturingLogger, budgetMs = 2_000): WorkerPool<TestTask> {
  const pool = new WorkerPool<TestTask>({
    name: 'echo',
    workerUrl: new URL('../support/worker-pool/worker.mjs', import.meta.url),
    settings: { size: 1, timeBudgetMs: budgetMs, maxQueue: 2, log },
    defaults: { size: 1, timeBudgetMs: 1_000, maxQueue: 1 },
    heapMb: 64,
    errors: {
      busy: () => new HttpError(503, 'test_busy', 'busy'),
      overBudget: (ms) => new HttpError(422, 'test_too_long', `longer than ${ms} ms`),
      failed: () => new HttpError(422, 'test_failed', 'failed'),
    },
    describe: (task) => ({ kind: task.kind }),
  });
  onTestFinished(() => pool.close());
  return pool;
}

const readies = (log: CapturingLogger) => log.entries.filter((e) => e.message === 'an echo worker is ready').length;

describe('the worker pool', () => {
  it('answers values and bytes; a task that throws is a 500 with its stack logged, and the same thread goes on', async () => {
    const log = new CapturingLogger();
    const pool = testPool(log);
    expect(await pool.run({ kind: 'echo', value: 'hola' })).toBe('hola');
    const bytes = (await pool.run({ kind: 'bytes', size: 1_000_000 })) as Uint8Array;
    expect([bytes.byteLength, bytes[0], bytes[999_999]]).toEqual([1_000_000, 7, 7]);

    const thrown = await pool.run({ kind: 'throw' }).catch((err: unknown) => err);
    expect(thrown).toBeInstanceOf(HttpError);
    expect(thrown).toMatchObject({ status: 500, code: 'internal' });
    const failure = log.entries.find((e) => e.message === 'an echo task failed');
    expect(failure?.level).toBe('error');
    expect(String(failure?.fields.err)).toContain('boom in a task');
    expect(failure?.fields.kind).toBe('throw');
    expect(await pool.run({ kind: 'echo', value: 'sigue' })).toBe('sigue');
    expect(readies(log)).toBe(1);
  });

  it('ends a task past its budget with the pool’s error, replaces the thread, and refuses tasks past the queue’s bound', async () => {
    const log = new CapturingLogger();
    const pool = testPool(log, 400);
    expect(await pool.run({ kind: 'echo', value: 'lista' })).toBe('lista');
    const spinning = pool.run({ kind: 'spin' }).catch((err: unknown) => err);
    // The one thread is busy: two tasks may wait, a third is refused at once.
    const waiting = [pool.run({ kind: 'echo', value: 'uno' }), pool.run({ kind: 'echo', value: 'dos' })];
    await expect(pool.run({ kind: 'echo', value: 'tres' })).rejects.toMatchObject({ status: 503, code: 'test_busy' });

    expect(await spinning).toMatchObject({ status: 422, code: 'test_too_long', message: 'longer than 400 ms' });
    expect(log.entries.some((e) => e.message === 'an echo took longer than its time budget: its worker is ended' && e.fields.kind === 'spin')).toBe(true);
    // The waiting tasks run on the thread that replaced it.
    expect(await Promise.all(waiting)).toEqual(['uno', 'dos']);
    expect(readies(log)).toBe(2);
  });
});
