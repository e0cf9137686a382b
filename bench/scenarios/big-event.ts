// 2. A big event: one workshop of 50 groups × 20 participants, every participant
// on its board (1,000 y-websocket connections) and on the facilitation channel
// (1,000 Socket.IO connections), all typing 2 updates a second, while the
// facilitator starts phases (the timer reaches every socket) and sockets ask the
// server clock. The references (y-websocket, Hocuspocus) serve the same boards; they have no Socket.IO.
import { check, type Scenario } from '../lib/scenario.js';
import { int, kb, mb, ms, table } from '../lib/stats.js';
import { startPhases, timerFanout, type PhaseCommand } from '../load/facilitator.js';
import { integrityFailures, middleRound, ratioChecks, roundsTable, versusRounds, versusTable } from './versus-reference.js';

const GROUPS = 50;
const PER_GROUP = 20;
const RATE = 2;
/** Per board, this many stock y-websocket clients; the other 16 are light ones (same protocol, no Y.Doc). */
const STOCK = 2;

export const bigEvent: Scenario = {
  name: 'big-event',
  title: `2. A big event: ${GROUPS} boards × ${PER_GROUP} clients, ${RATE} updates/s per writer`,
  async run({ quick, log }) {
    const durationMs = quick ? 10_000 : 25_000;
    const warmupMs = quick ? 2_000 : 5_000;
    /** The phases each round's facilitator started, by workshop (one workshop a round). */
    const commandsOf = new Map<string, PhaseCommand[]>();
    const rounds = await versusRounds({
      shape: { groups: GROUPS, perGroup: PER_GROUP },
      spec: { processes: 5, socketProcesses: 1, writersPerBoard: PER_GROUP, stockPerBoard: STOCK, rate: RATE, warmupMs, durationMs, sockets: true, pingEveryMs: 5_000, settleMs: 30_000 },
      log,
      during: async (workshop, url, load) => {
        const measured = load.startAt + load.warmupMs;
        const at = [0.2, 0.5, 0.8].map((f) => measured + f * load.durationMs);
        commandsOf.set(workshop.id, await startPhases(url, workshop.facilitatorToken, at, measured + load.durationMs + 500));
      },
    });
    const runs = middleRound(rounds);
    const relatoria = runs.relatoria;
    const sockets = GROUPS * PER_GROUP;
    const timer = timerFanout(commandsOf.get(runs.relatoria.workshop.id) ?? [], relatoria.timerArrivals, sockets);
    const e = relatoria.errors;
    const errorCount = e.boardCloses + e.boardErrors + e.socketConnectErrors + e.socketDisconnects + e.pingTimeouts + timer.failedCommands + (timer.expected - timer.arrived);
    const peakRss = Math.max(relatoria.server.hwm, relatoria.server.peakRss);
    return {
      figures: [
        `${sockets} participants in one workshop (${GROUPS} groups), each with a board connection and a Socket.IO connection; all write ${RATE} updates/s for ${warmupMs / 1000} s (warm-up, reported apart) then ${durationMs / 1000} s (measured); 4 client processes for the boards, 1 for the sockets.`,
        `Per board, ${STOCK} stock y-websocket clients (Y.Doc, audited for convergence) and ${PER_GROUP - STOCK} light ones (same protocol on a plain socket, counting the stamps they are sent).`,
        versusTable(runs),
        roundsTable(rounds),
        table([
          ['facilitation (relatoría)', ''],
          ['timer broadcasts (phase:start)', `${timer.commands} sent, ${timer.failedCommands} refused`],
          ['timer arrivals', `${int(timer.arrived)} of ${int(timer.expected)}`],
          ['timer fan-out p50 / p99 / max', `${ms(timer.latency.p50)} / ${ms(timer.latency.p99)} / ${ms(timer.latency.max)}`],
          ['clock:ping answered', `${int(relatoria.pings.count)}, ${e.pingTimeouts} timed out`],
          ['clock:ping round trip p50 / p99', `${ms(relatoria.pings.p50)} / ${ms(relatoria.pings.p99)}`],
          ['presence:update events received', int(relatoria.presenceUpdates)],
          ['Socket.IO received per participant (connect to end)', kb(relatoria.socketChars / sockets)],
          ['errors', `board closes ${e.boardCloses}, board errors ${e.boardErrors}, socket disconnects ${e.socketDisconnects}, connect errors ${e.socketConnectErrors}`],
        ]),
        `stored: ${relatoria.stored?.missing === 0 ? `every update of ${relatoria.stored.boards} boards` : `${relatoria.stored?.missing} missing`} (rebuilt from SQLite after a graceful stop)`,
      ].join('\n'),
      checks: [
        check('big event p99 ≤ 100 ms', ms(relatoria.latency.p99), relatoria.latency.p99 <= 100),
        check('big event peak RSS ≤ 600 MB', mb(peakRss), peakRss <= 600 * 1024 * 1024),
        check('big event: no error', int(errorCount), errorCount === 0),
        // Issue 13: p99 ≤ 1.0 × and p50 ≤ 2 × each reference's, in the same run.
        ...ratioChecks(rounds, 'big event', { p50: 2, p99: 1.0 }),
      ],
      failures: rounds.flatMap((r) => Object.values(r).flatMap(integrityFailures)),
    };
  },
};
