// npx tsx bench/loop-blocks.ts [rounds]
// The longest the event loop is held by the two whole-workshop tasks of a big event, on
// its 50 boards (20 cards of ~1,200 characters each) with 1,000 people online:
// - the console's figures (`ActivityFigures.activity`), counted after every board changed,
//   as once a second while everyone writes and a facilitator is online;
// - a phase start's versions of every board: `HistoryService.takeEach` against every
//   board's `take` started at once (as the phase start did before), alternating, same run.
// "Held" is the longest gap between two turns of the event loop while the task runs (with
// no turn at all, its whole time). Real boards on a real SQLite file; medians of the rounds.
// To compare an older checkout's figures, copy this file into it and run it there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { addCard, cardText } from '../shared/board.js';
import type { Participant } from '../shared/model.js';
import { initialSession } from '../shared/session.js';
import type { Peer } from '../server/docsync/board.js';
import { BoardWriter } from '../server/docsync/board-writer.js';
import { BoardRegistry } from '../server/docsync/registry.js';
import { ActivityFigures } from '../server/facilitation/activity-figures.js';
import { ActivityTracker } from '../server/facilitation/activity-tracker.js';
import { SESSION_RECORD_VERSION } from '../server/facilitation/session-record.js';
import { WorkshopSession } from '../server/facilitation/workshop-session.js';
import { HistoryService } from '../server/history/history-service.js';
import { silentLogger } from '../server/lib/logger.js';
import { SqliteStore } from '../server/store/sqlite.js';

const rounds = Number(process.argv[2] ?? 15);
const GROUPS = Array.from({ length: 50 }, (_, i) => `g${i}`);
const CARDS = 20;
const STAMPS = 60;

const dir = mkdtempSync(join(tmpdir(), 'relatoria-loop-blocks-'));
const store = new SqliteStore(join(dir, 'relatoria.db'));
const registry = new BoardRegistry({ store, log: silentLogger, idleMs: 3_600_000 });
const guard = { prepare: async () => undefined, exists: () => true, access: () => 'write' as const, memberAccess: () => 'write' as const };
const history = new HistoryService({ store, registry, writer: new BoardWriter({ registry, guard }), log: silentLogger });
const peer: Peer = { identity: 'bench', displayName: 'bench', send() {}, relay() {}, close() {} };

// Every writer's card as the big event leaves it: 60 stamps of ~20 characters.
const writers = new Map<string, { doc: Y.Doc; texts: Y.Text[] }>();
for (const g of GROUPS) {
  const doc = new Y.Doc();
  const texts = Array.from({ length: CARDS }, (_, c) => cardText(doc, addCard(doc, { text: '', author: `Persona ${c}` }))!);
  for (const [c, text] of texts.entries()) for (let s = 0; s < STAMPS; s++) text.insert(text.length, ` c${c}s${s}:${'abcdefghijk'}`);
  writers.set(g, { doc, texts });
  await (await registry.open(`w/${g}`)).applyUpdate(Y.encodeStateAsUpdate(doc), peer, () => true, null);
}
/** Every board takes one more change, as each does within a second of the big event. */
async function writeEveryBoard(round: number): Promise<void> {
  for (const [g, { doc, texts }] of writers) {
    const before = Y.encodeStateVector(doc);
    texts[round % CARDS]!.insert(0, 'x ');
    await (await registry.open(`w/${g}`)).applyUpdate(Y.encodeStateAsUpdate(doc, before), peer, () => true, null);
  }
}

const people: Participant[] = Array.from({ length: 1_000 }, (_, i) => ({ id: `p${i}`, workshopId: 'w', groupId: GROUPS[i % GROUPS.length]!, name: `Persona ${i}`, joinedAt: 1, removedAt: null }));
const session = new WorkshopSession('w', 'CODE', GROUPS, { version: SESSION_RECORD_VERSION, state: initialSession([]), ballots: {}, done: [], heldCards: [], announcements: [] }, people);
for (const p of people) session.connected({ role: 'participant', workshopId: 'w', groupId: p.groupId, participantId: p.id, name: p.name });
const figures = new ActivityFigures({ registry, tracker: new ActivityTracker(), session: () => undefined, push() {} });

/** The longest gap between two turns of the event loop while `task` runs, and its whole time (ms). */
async function held(task: () => Promise<unknown>): Promise<{ held: number; wall: number }> {
  const start = performance.now();
  let last = start;
  let longest = 0;
  let on = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (on) setImmediate(tick);
  };
  setImmediate(tick);
  await task();
  on = false;
  const end = performance.now();
  return { held: Math.max(longest, end - last), wall: end - start };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const docNames = GROUPS.map((g) => `w/${g}`);
const canTakeEach = typeof (history as { takeEach?: unknown }).takeEach === 'function';
const results = { figures: [] as Array<{ held: number; wall: number }>, allAtOnce: [] as Array<{ held: number; wall: number }>, oneByOne: [] as Array<{ held: number; wall: number }> };
for (let r = -2; r < rounds; r++) {
  await writeEveryBoard(r + 2);
  const counted = await held(() => figures.activity(session));
  const atOnce = await held(() => Promise.all(docNames.map((name) => history.take(name, 'phase', `ronda ${r}`))));
  const each = canTakeEach ? await held(() => history.takeEach(docNames, 'phase', `ronda ${r}`)) : null;
  if (r < 0) continue; // warm-up
  results.figures.push(counted);
  results.allAtOnce.push(atOnce);
  if (each) results.oneByOne.push(each);
}
const row = (label: string, xs: Array<{ held: number; wall: number }>) =>
  xs.length === 0 ? `${label.padEnd(44)} n/a in this checkout` : `${label.padEnd(44)} held ${median(xs.map((x) => x.held)).toFixed(2).padStart(6)} ms   whole task ${median(xs.map((x) => x.wall)).toFixed(1).padStart(6)} ms`;
console.log(`${GROUPS.length} boards of ${CARDS} cards (${STAMPS} stamps each), 1,000 online; median of ${rounds} rounds`);
console.log(row("console's figures, every board changed", results.figures));
console.log(row('phase versions, every board at once', results.allAtOnce));
console.log(row('phase versions, one board per turn (takeEach)', results.oneByOne));
await registry.closeAll();
await store.close();
rmSync(dir, { recursive: true, force: true });
