// The console's per-group figures walk whole boards. Counted all at once, the boards of a
// 50-group event held the event loop 10–16 ms once a second (bench/loop-blocks.ts): now one
// board is counted per turn of the event loop, so what is queued meanwhile (a board's relay)
// runs between two counts. Real boards on a real SQLite file.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addCard } from '../../shared/board.js';
import type { Participant } from '../../shared/model.js';
import { initialSession } from '../../shared/session.js';
import { ActivityFigures } from '../../server/facilitation/activity-figures.js';
import { ActivityTracker } from '../../server/facilitation/activity-tracker.js';
import { SESSION_RECORD_VERSION } from '../../server/facilitation/session-record.js';
import { WorkshopSession, type SessionRecord } from '../../server/facilitation/workshop-session.js';
import { peer, useSqliteBoards } from '../helpers/sqlite-boards.js';
import { countTurns } from '../helpers/turns.js';

const GROUPS = ['g1', 'g2', 'g3', 'g4', 'g5'];
const boards = useSqliteBoards();
const ana = peer('ana');

/** Writes `cards` cards of `words` words on a group's board, as a client would send them. */
async function write(groupId: string, cards: number, words: number): Promise<void> {
  const board = await boards.registry.open(`w/${groupId}`);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await board.state());
  const before = Y.encodeStateVector(doc);
  for (let c = 0; c < cards; c++) addCard(doc, { text: Array.from({ length: words }, (_, i) => `palabra${i}`).join(' '), author: 'Ana' });
  expect(await board.applyUpdate(Y.encodeStateAsUpdate(doc, before), ana, () => true, null)).toBe('applied');
}

function session(): WorkshopSession {
  const record: SessionRecord = { version: SESSION_RECORD_VERSION, state: initialSession([]), ballots: {}, done: [], heldCards: [], announcements: [] };
  const people: Participant[] = GROUPS.map((g, i) => ({ id: `p${i}`, workshopId: 'w', groupId: g, name: `Persona ${i}`, joinedAt: 1, removedAt: null }));
  const s = new WorkshopSession('w', 'CODE', GROUPS, record, people);
  s.connected({ role: 'participant', workshopId: 'w', groupId: 'g2', participantId: 'p1', name: 'Persona 1' });
  return s;
}

describe('the console’s figures', () => {
  it('count every group’s board, one board per turn of the event loop, and count an unchanged board only once', async () => {
    for (const [i, g] of GROUPS.entries()) await write(g, i + 1, 3);
    const figures = new ActivityFigures({ registry: boards.registry, tracker: new ActivityTracker(), session: () => undefined, push() {} });
    const s = session();

    // What the event loop runs meanwhile, one task per turn: the counts must fall between them.
    const turns = countTurns();
    // The boards are counted through Board.read (in queue order): note the turn of each read.
    const countedAt: number[] = [];
    for (const g of GROUPS) {
      const board = boards.registry.peek(`w/${g}`)!;
      const original = board.read.bind(board);
      board.read = (reader) => {
        countedAt.push(turns.count);
        return original(reader);
      };
    }
    const activity = await figures.activity(s);
    turns.stop();

    expect(activity.map((a) => [a.groupId, a.cards, a.words, a.online])).toEqual([
      ['g1', 1, 3, 0],
      ['g2', 2, 6, 1],
      ['g3', 3, 9, 0],
      ['g4', 4, 12, 0],
      ['g5', 5, 15, 0],
    ]);
    expect(countedAt).toHaveLength(GROUPS.length);
    // Each count in a turn of its own: the turn counter moved between any two of them.
    for (let i = 1; i < countedAt.length; i++) expect(countedAt[i]).toBeGreaterThan(countedAt[i - 1]!);

    // Unchanged since: nothing is walked again. One board changed: only it is.
    countedAt.length = 0;
    await figures.activity(s);
    expect(countedAt).toEqual([]);
    await write('g3', 1, 4);
    countedAt.length = 0; // (writing read the board too)
    const again = await figures.activity(s);
    expect(countedAt).toHaveLength(1);
    expect(again.find((a) => a.groupId === 'g3')).toMatchObject({ cards: 4, words: 13 });
  });
});
