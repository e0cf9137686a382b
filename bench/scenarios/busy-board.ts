// 1. One busy board: 30 writers typing 5 updates a second each, every update
// timed from its send to its arrival at each of the 29 other clients.
import { check, type Scenario } from '../lib/scenario.js';
import { ms } from '../lib/stats.js';
import { integrityFailures, middleRound, ratioChecks, roundsTable, versusRounds, versusTable } from './versus-reference.js';

const WRITERS = 30;
const RATE = 5;

export const busyBoard: Scenario = {
  name: 'busy-board',
  title: `1. One busy board: ${WRITERS} writers × ${RATE} updates/s`,
  async run({ quick, log }) {
    const durationMs = quick ? 8_000 : 25_000;
    const warmupMs = quick ? 2_000 : 5_000;
    const rounds = await versusRounds({
      shape: { groups: 1, perGroup: WRITERS },
      spec: { processes: 2, writersPerBoard: WRITERS, rate: RATE, warmupMs, durationMs },
      log,
    });
    const runs = middleRound(rounds);
    const relatoria = runs.relatoria;
    return {
      figures: [
        `${WRITERS} clients on one board, all writing, ${RATE} updates/s each for ${warmupMs / 1000} s (warm-up, reported apart) then ${durationMs / 1000} s (measured); 2 client processes.`,
        versusTable(runs),
        roundsTable(rounds),
        `stored: ${relatoria.stored?.missing === 0 ? 'every update' : `${relatoria.stored?.missing} missing`} (board rebuilt from SQLite after a graceful stop)`,
      ].join('\n'),
      checks: [
        check('busy board p99 ≤ 30 ms', ms(relatoria.latency.p99), relatoria.latency.p99 <= 30),
        // Issue 13: p50 ≤ 1.2 × and p99 ≤ 1.0 × each reference's, in the same run.
        ...ratioChecks(rounds, 'busy board', { p50: 1.2, p99: 1.0 }),
      ],
      failures: rounds.flatMap((r) => Object.values(r).flatMap(integrityFailures)),
    };
  },
};
