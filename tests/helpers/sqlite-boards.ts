// Boards on a real SQLite file, without a server: a store, a registry and the registry's list
// of deleted workshops made fresh for each test of the file and closed after it, and a peer
// that writes as a connected client would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Peer } from '../../server/docsync/board.js';
import { BoardRegistry } from '../../server/docsync/registry.js';
import { silentLogger } from '../../server/lib/logger.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { ErasedWorkshops } from '../../server/workshops/erased-workshops.js';

export interface SqliteBoards {
  readonly store: SqliteStore;
  readonly registry: BoardRegistry;
  /** Workshops deleted: the registry opens none of their boards. */
  readonly erased: ErasedWorkshops;
}

/** Registers the hooks; read `store`, `registry` and `erased` inside a test (each test gets its own file). */
export function useSqliteBoards(): SqliteBoards {
  let dir = '';
  let current: SqliteBoards | null = null;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'relatoria-boards-'));
    const store = new SqliteStore(join(dir, 'relatoria.db'));
    const erased = new ErasedWorkshops();
    current = { store, erased, registry: new BoardRegistry({ store, log: silentLogger, idleMs: 60_000, erased }) };
  });
  afterEach(async () => {
    await current?.registry.closeAll();
    await current?.store.close();
    current = null;
    rmSync(dir, { recursive: true, force: true });
  });
  const now = () => {
    if (!current) throw new Error('useSqliteBoards: read inside a test');
    return current;
  };
  return {
    get store() {
      return now().store;
    },
    get registry() {
      return now().registry;
    },
    get erased() {
      return now().erased;
    },
  };
}

/** A connected client as the board sees it: its sends and relays go nowhere. */
export const peer = (identity: string): Peer => ({ identity, displayName: identity, send() {}, relay() {}, close() {} });
