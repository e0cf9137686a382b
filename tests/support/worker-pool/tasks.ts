// The tasks of the test pool's worker (tests/integration/worker-pool.test.ts): each kind
// plays one way a task can end — a value, bytes, a throw, a loop that never ends.
import type { TaskOutcome } from '../../../server/lib/worker-pool.js';

export type TestTask = { kind: 'echo'; value: string } | { kind: 'bytes'; size: number } | { kind: 'throw' } | { kind: 'spin' };

export async function runTask(task: TestTask): Promise<TaskOutcome<string | Uint8Array>> {
  switch (task.kind) {
    case 'echo':
      return { ok: true, value: task.value };
    case 'bytes':
      return { ok: true, value: new Uint8Array(task.size).fill(7) };
    case 'throw':
      throw new Error('boom in a task');
    case 'spin':
      for (;;) {
        // never ends: only the budget stops it
      }
  }
}

export async function warmUp(): Promise<void> {}
