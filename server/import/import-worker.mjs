// An import worker thread: reads Markdown, Word documents and JSON archives (import-tasks.ts).
import { serveTasks } from '../lib/worker-thread.mjs';

await serveTasks('./import-tasks.ts', import.meta.url);
