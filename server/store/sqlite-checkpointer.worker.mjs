// The SQLite file's checkpoints, on a thread of their own (sqlite-checkpointer.ts starts and
// ends it). Plain JavaScript: Node loads it straight into a worker thread, where no
// TypeScript loader may be running. Its own connection copies the WAL back into the file
// (and fsyncs it) while the event loop's connection goes on committing: WAL mode lets one
// connection checkpoint beside another's writes.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ file: string, everyMs: number }} */
const { file, everyMs } = workerData;
const db = new Database(file);
// The same durability as the store's own connection (sqlite.ts): the checkpoint fsyncs the file.
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');

function checkpoint() {
  try {
    // PASSIVE: copies what no reader still needs, never waits for the writer.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ failed: String(err) });
  }
}

const timer = setInterval(checkpoint, everyMs);
parentPort.on('message', (msg) => {
  if (msg !== 'close') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage({ closed: true });
});
