// npx tsx bench/board-path.ts [rounds]
// CPU per typing update on the board's own write path (queue, capture, shape check, relay
// to two peers, a store that answers at once: update-path.ts's rounds) against Yjs alone
// applying the same updates to a doc with an `update` listener, as the board's doc has:
// what the board adds to Yjs. Rounds alternate in one process; medians. To compare two
// versions of a file on the path, run this against each in turn, several times
// (bench/RESULTS.md shows how).
import { deletesBeforeApplying } from '../server/docsync/update-check.js';
import { benchStamp, boardRound, median, workload, yjsRound } from './scenarios/update-path.js';

const rounds = Number(process.argv[2] ?? 15);
const { initial, typing } = workload(5_000, benchStamp);

const board: number[] = [];
const yjs: number[] = [];
await boardRound(initial, typing, deletesBeforeApplying); // warm-up
for (let r = 0; r < rounds; r++) {
  const boardFirst = r % 2 === 0;
  if (!boardFirst) yjs.push(yjsRound(initial, typing, false, true));
  board.push(await boardRound(initial, typing, deletesBeforeApplying));
  if (boardFirst) yjs.push(yjsRound(initial, typing, false, true));
}
const b = median(board);
const y = median(yjs);
console.log(`board ${b.toFixed(2)} µs/update, Yjs alone ${y.toFixed(2)} µs/update, the board adds ${(b - y).toFixed(2)} µs (×${(b / y).toFixed(2)})`);
