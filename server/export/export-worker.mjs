// An export worker thread: renders consolidated documents (export-tasks.ts).
import { serveTasks } from '../lib/worker-thread.mjs';

await serveTasks('./export-tasks.ts', import.meta.url);
