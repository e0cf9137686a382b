// The test pool's worker thread: the server's own thread body, with test tasks.
import { serveTasks } from '../../../server/lib/worker-thread.mjs';

await serveTasks('./tasks.ts', import.meta.url);
