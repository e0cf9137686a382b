// After a run, what Relatoría stored: every board rebuilt from the store the way a
// restarted server would load it, checked stamp by stamp against what the writers
// sent. Persisting every update is half of the claim we measure.
import { join } from 'node:path';
import * as Y from 'yjs';
import { SqliteStore } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/store.js';
import { countStamps } from '../load/stamp.js';

export interface StoreAudit {
  boards: number;
  /** Stamps sent but absent from the stored boards. */
  missing: number;
  detail: string[];
}

/** The boards in a server's SQLite file (the server must be stopped). */
export async function auditSqliteBoards(dataDir: string, docNames: string[], sent: Map<number, number>): Promise<StoreAudit> {
  const store = new SqliteStore(join(dataDir, 'relatoria.db'));
  try {
    return await auditStoredBoards(store, docNames, sent);
  } finally {
    await store.close();
  }
}

export async function auditStoredBoards(store: Store, docNames: string[], sent: Map<number, number>): Promise<StoreAudit> {
  const seen = new Set<number>();
  let missing = 0;
  const detail: string[] = [];
  for (const name of docNames) {
    const stored = await store.loadDoc(name);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    for (const [writer, held] of countStamps(doc)) {
      seen.add(writer);
      const lacking = (sent.get(writer) ?? 0) - held.distinct;
      if (lacking > 0) {
        missing += lacking;
        if (detail.length < 10) detail.push(`stored ${name} lacks ${lacking} of writer ${writer}'s updates`);
      }
    }
    doc.destroy();
  }
  for (const [writer, n] of sent) {
    if (!seen.has(writer)) {
      missing += n;
      if (detail.length < 10) detail.push(`writer ${writer}'s card is not stored`);
    }
  }
  return { boards: docNames.length, missing, detail };
}
