// The SQLite writer thread: board updates are appended here, off the event loop that
// relays them, and those that arrive together are committed in one transaction.
// Plain JavaScript because Node loads it straight into a worker thread (in the tests
// too), where no TypeScript loader runs; its messages are typed in sqlite-writer.ts.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {import('./sqlite-writer.js').WriterSetup} */
const setup = workerData;
const db = new Database(setup.file);
for (const pragma of setup.pragmas) db.pragma(pragma);
const nextSeq = db.prepare(setup.nextSeqSql);
const append = db.prepare(setup.appendSql);

/** @type {Array<{ id: number, doc: string, data: Uint8Array }>} */
let queue = [];
let scheduled = false;

/** Each update takes its board's next sequence number (1, 2, 3… per board). */
function store(/** @type {{ id: number, doc: string, data: Uint8Array }} */ u) {
  const seq = /** @type {{ last_seq: number }} */ (nextSeq.get(u.doc)).last_seq;
  append.run(u.doc, seq, u.data);
  return [u.id, seq];
}
const commit = db.transaction((/** @type {typeof queue} */ batch) => batch.map(store));

function flush() {
  scheduled = false;
  const batch = queue;
  queue = [];
  try {
    parentPort.postMessage({ type: 'stored', acks: commit(batch) });
  } catch (err) {
    // Nothing of the batch was stored (the transaction rolled back): every one of them fails.
    parentPort.postMessage({ type: 'failed', ids: batch.map((u) => u.id), ...describe(err) });
  }
}

parentPort.on('message', (/** @type {import('./sqlite-writer.js').ToWriter} */ msg) => {
  if (msg.type === 'append') {
    queue.push(msg);
    // Whatever else is already waiting in this thread's inbox joins the same transaction.
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  } else if (msg.type === 'pragma') {
    try {
      db.pragma(msg.statement);
      parentPort.postMessage({ type: 'pragma-done', id: msg.id });
    } catch (err) {
      parentPort.postMessage({ type: 'pragma-done', id: msg.id, ...describe(err) });
    }
  } else if (msg.type === 'close') {
    if (queue.length > 0) flush();
    db.close();
    parentPort.close();
  }
});

/** What the main thread needs of an error: its message and SQLite's code (SQLITE_FULL, SQLITE_BUSY…). */
function describe(/** @type {unknown} */ err) {
  return err instanceof Error ? { message: err.message, code: /** @type {{ code?: string }} */ (err).code } : { message: String(err) };
}
