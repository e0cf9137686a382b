// A phase start takes a version of every board of the workshop. Read and stored all at once,
// the 50 boards of an event held every relay meanwhile: `takeEach` takes them one board at a
// time, each from a turn of the event loop of its own, and stops once the service is closed
// or the workshop deleted. Real boards on a real SQLite file.
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCard } from '../../shared/board.js';
import { BoardWriter } from '../../server/docsync/board-writer.js';
import { HistoryService } from '../../server/history/history-service.js';
import { silentLogger } from '../../server/lib/logger.js';
import { peer, useSqliteBoards } from '../helpers/sqlite-boards.js';
import { countTurns } from '../helpers/turns.js';

const BOARDS = ['w/g1', 'w/g2', 'w/g3', 'w/g4'];
const boards = useSqliteBoards();
let history: HistoryService;

beforeEach(async () => {
  const { store, registry, erased } = boards;
  const guard = { prepare: async () => undefined, exists: () => true, access: () => 'write' as const, memberAccess: () => 'write' as const };
  history = new HistoryService({ store, registry, writer: new BoardWriter({ registry, guard }), log: silentLogger, erased });
  const ana = peer('ana');
  for (const name of BOARDS) {
    const doc = new Y.Doc();
    addCard(doc, { text: `Idea de ${name}`, author: 'Ana' });
    expect(await (await registry.open(name)).applyUpdate(Y.encodeStateAsUpdate(doc), ana, () => true, null)).toBe('applied');
  }
});
afterEach(() => history.close());

/** Counts turns of the event loop while `work` runs, and notes the turn at which each board's state is read. */
async function turnsOf(work: () => Promise<void>): Promise<Map<string, number>> {
  const turns = countTurns();
  const readAt = new Map<string, number>();
  for (const name of BOARDS) {
    const board = await boards.registry.open(name);
    const state = board.state.bind(board);
    board.state = () => (readAt.set(name, turns.count), state());
  }
  await work();
  turns.stop();
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
    boards.erased.add('w');
    await deleting;
    const taken = await Promise.all(BOARDS.map(async (name) => (await history.list(name)).length));
    expect(taken.reduce((a, b) => a + b, 0)).toBeLessThan(BOARDS.length);

    boards.erased.remove('w');
    const closing = history.takeEach(BOARDS, 'phase', 'Cierre');
    history.close();
    await closing;
    for (const name of BOARDS) expect((await history.list(name)).filter((v) => v.label === 'Cierre')).toEqual([]);
  });
});
