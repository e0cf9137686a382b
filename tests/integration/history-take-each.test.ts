// A phase start takes a version of every board of the workshop. Read and stored all at once,
// the 50 boards of an event held every relay meanwhile: `takeEach` takes them one board at a
// time, each from a turn of the event loop of its own, and stops once the service is closed
// or the workshop deleted. Real boards on a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCard } from '../../shared/board.js';
import type { Peer } from '../../server/docsync/board.js';
import { BoardWriter } from '../../server/docsync/board-writer.js';
import { BoardRegistry } from '../../server/docsync/registry.js';
import { HistoryService } from '../../server/history/history-service.js';
import { silentLogger } from '../../server/lib/logger.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { ErasedWorkshops } from '../../server/workshops/erased-workshops.js';

const BOARDS = ['w/g1', 'w/g2', 'w/g3', 'w/g4'];

let dir: string;
let store: SqliteStore;
let registry: BoardRegistry;
let erased: ErasedWorkshops;
let history: HistoryService;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'relatoria-take-each-'));
  store = new SqliteStore(join(dir, 'relatoria.db'));
  erased = new ErasedWorkshops();
  registry = new BoardRegistry({ store, log: silentLogger, idleMs: 60_000, erased });
  const guard = { prepare: async () => undefined, exists: () => true, access: () => 'write' as const, memberAccess: () => 'write' as const };
  history = new HistoryService({ store, registry, writer: new BoardWriter({ registry, guard }), log: silentLogger, erased });
  const peer: Peer = { identity: 'ana', displayName: 'Ana', send() {}, relay() {}, close() {} };
  for (const name of BOARDS) {
    const doc = new Y.Doc();
    addCard(doc, { text: `Idea de ${name}`, author: 'Ana' });
    expect(await (await registry.open(name)).applyUpdate(Y.encodeStateAsUpdate(doc), peer, () => true, null)).toBe('applied');
  }
});
afterEach(async () => {
  history.close();
  await registry.closeAll();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Counts turns of the event loop while `work` runs, and notes the turn at which each board's state is read. */
async function turnsOf(work: () => Promise<void>): Promise<Map<string, number>> {
  let turn = 0;
  let on = true;
  const tick = () => {
    turn++;
    if (on) setImmediate(tick);
  };
  setImmediate(tick);
  const readAt = new Map<string, number>();
  for (const name of BOARDS) {
    const board = await registry.open(name);
    const state = board.state.bind(board);
    board.state = () => (readAt.set(name, turn), state());
  }
  await work();
  on = false;
  return readAt;
}

describe('HistoryService.takeEach', () => {
  it('stores a version of every board, each read in a turn of its own', async () => {
    const readAt = await turnsOf(() => history.takeEach(BOARDS, 'phase', 'Trabajo en grupos'));
    const turns = BOARDS.map((name) => readAt.get(name)!);
    for (let i = 1; i < turns.length; i++) expect(turns[i]).toBeGreaterThan(turns[i - 1]!);
    for (const name of BOARDS) expect((await history.list(name)).map((v) => [v.kind, v.label])).toEqual([['phase', 'Trabajo en grupos']]);
  });

  it('stops once the workshop is deleted, or the service closed', async () => {
    const deleting = turnsOf(() => history.takeEach(BOARDS, 'phase', 'Votación'));
    await new Promise((resolve) => setImmediate(resolve));
    erased.add('w');
    await deleting;
    const taken = await Promise.all(BOARDS.map(async (name) => (await history.list(name)).length));
    expect(taken.reduce((a, b) => a + b, 0)).toBeLessThan(BOARDS.length);

    erased.remove('w');
    const closing = history.takeEach(BOARDS, 'phase', 'Cierre');
    history.close();
    await closing;
    for (const name of BOARDS) expect((await history.list(name)).filter((v) => v.label === 'Cierre')).toEqual([]);
  });
});
