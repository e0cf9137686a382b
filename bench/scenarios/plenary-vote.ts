// A plenary vote: one workshop of 50 groups, every participant on its board and on
// Socket.IO, boards being written all along. The measured window has two halves:
// first no vote; then the facilitator opens a dot-voting round over every group's
// cards (results live, so the room hears the throttled progress and ranking) and
// every participant places its dots, one `vote:set` at a time, at random moments.
// We time each `vote:set` to its acknowledgement and to the arrival of the voter's
// own `vote:ballot` holding the dot, and compare the board fan-out of the two halves
// (same run, same clients): voting should not slow the boards.
import { between, quantileMs, readHistogram, scrapeMetrics, type Histogram } from '../lib/prometheus.js';
import { check, type Scenario } from '../lib/scenario.js';
import { sleepUntil } from '../lib/sleep-until.js';
import { spawnRelatoria } from '../lib/server-process.js';
import { int, ms, pct, ratio, table, times } from '../lib/stats.js';
import { auditSqliteBoards } from '../lib/store-audit.js';
import { setUpWorkshop } from '../lib/workshop-setup.js';
import { commandAt } from '../load/facilitator.js';
import { runLoad } from '../load/run-load.js';
import type { Ack, CommandReply } from '../../shared/protocol.js';
import { integrityFailures } from './versus-reference.js';

const GROUPS = 50;
/** Writers per board (their cards are the ones voted on) and their updates a second. */
const WRITERS = 5;
const RATE = 1;
const STOCK = 2;
const DOTS = 5;

const RELAY = 'relatoria_relay_latency_seconds';

/**
 * The server's own relay time in each half, from three scrapes of its /metrics: what the
 * vote costs the board path inside the server, apart from the clients' share of the machine.
 */
function relayPerHalf(start: string | null, split: string | null, end: string | null) {
  const [a, b, c] = [start, split, end].map((text) => (text ? readHistogram(text, RELAY) : null));
  if (!b || !c) return null;
  const half = (h: Histogram) => ({ p50: quantileMs(h, 0.5), p99: quantileMs(h, 0.99) });
  return { before: half(between(a ?? null, b)), during: half(between(b, c)) };
}

export const plenaryVote: Scenario = {
  name: 'plenary-vote',
  title: `9. A plenary vote: ${GROUPS} boards × 20 (quick: 6) being written while everyone places ${DOTS} dots`,
  async run({ quick, log }) {
    const perGroup = quick ? 6 : 20;
    const voters = GROUPS * perGroup;
    const warmupMs = quick ? 2_000 : 5_000;
    const beforeMs = quick ? 8_000 : 20_000;
    const votingMs = quick ? 20_000 : 60_000;
    const server = await spawnRelatoria();
    let open: Ack<CommandReply> | null = null;
    /** The server's /metrics as each half begins, for its own relay time per half. */
    let atStart: Promise<string | null> = Promise.resolve(null);
    let atSplit: string | null = null;
    try {
      const workshop = await setUpWorkshop(server, { groups: GROUPS, perGroup });
      const groupIds = workshop.groups.map((g) => g.id);
      const { facilitatorToken } = workshop;
      const run = await runLoad(
        server,
        workshop,
        {
          processes: 5,
          socketProcesses: 1,
          writersPerBoard: WRITERS,
          stockPerBoard: STOCK,
          rate: RATE,
          warmupMs,
          durationMs: beforeMs + votingMs,
          sockets: true,
          settleMs: 30_000,
          splitAfterMs: beforeMs,
          vote: { dots: DOTS, startDelayMs: 1_000, endMarginMs: 1_000 },
          during: async (load) => {
            const measured = load.startAt + load.warmupMs;
            atStart = sleepUntil(measured).then(() => scrapeMetrics(server.url));
            // Opened at the split: its broadcast to every socket belongs to the voting half.
            const atOpen = sleepUntil(load.splitAt!).then(() => scrapeMetrics(server.url));
            open = await commandAt(server.url, facilitatorToken, { type: 'vote:open', groupIds, budget: DOTS, maxPerCard: 1, results: 'live' }, load.splitAt!, load.startAt + load.warmupMs + load.durationMs + 500);
            atSplit = await atOpen;
          },
        },
        log,
      );
      const relay = relayPerHalf(await atStart, atSplit, await scrapeMetrics(server.url));
      await server.stop({ keepData: true });
      const docs = workshop.groups.map((g) => `${workshop.id}/${g.id}`);
      const stored = await auditSqliteBoards(server.dataDir!, docs, run.sent);
      const opened = open as Ack<CommandReply> | null;
      const v = run.vote;
      const before = run.latency;
      const during = run.split;
      const fanoutRatio = ratio(during.p99, before.p99);
      const e = run.errors;
      const errorCount = e.boardCloses + e.boardErrors + e.socketConnectErrors + e.socketDisconnects + v.refused + v.timedOut;
      const failures = integrityFailures({ ...run, kind: 'relatoria', workshop, stored, metrics: null });
      if (!opened?.ok) failures.push(`the facilitator could not open the round: ${opened && !opened.ok ? opened.message : 'no reply'}`);
      if (v.ballots.count < v.acks.count) failures.push(`${v.acks.count - v.ballots.count} accepted dots never showed in the voter's vote:ballot`);
      return {
        figures: [
          `${voters} participants in one workshop (${GROUPS} groups × ${perGroup}), each with a board connection and a Socket.IO connection; per board ${WRITERS} writers at ${RATE} update/s (${STOCK} stock clients, the rest light).`,
          `Warm-up ${warmupMs / 1000} s, then ${beforeMs / 1000} s without a vote, then ${votingMs / 1000} s with one: the facilitator opens a round over all ${GROUPS} groups' writer cards (budget ${DOTS}, 1 per card, results live) and every participant places ${DOTS} dots at random moments, one vote:set at a time.`,
          table([
            ['', 'p50', 'p99', 'max', 'count'],
            ['vote:set → acknowledgement', ms(v.acks.p50), ms(v.acks.p99), ms(v.acks.max), int(v.acks.count)],
            ['vote:set → own vote:ballot', ms(v.ballots.p50), ms(v.ballots.p99), ms(v.ballots.max), int(v.ballots.count)],
            ['board fan-out, no vote', ms(before.p50), ms(before.p99), ms(before.max), int(before.count)],
            ['board fan-out, voting', ms(during.p50), ms(during.p99), ms(during.max), int(during.count)],
          ]),
          table([
            ['', ''],
            ['dots sent / refused / timed out', `${int(v.sent)} / ${int(v.refused)} / ${int(v.timedOut)}${v.refusals.length > 0 ? ` (${v.refusals.join('; ')})` : ''}`],
            ['vote:progress / vote:ranking events received (all sockets)', `${int(v.progressEvents)} / ${int(v.rankingEvents)}`],
            ['vote:ranking payload received (all sockets; per event)', `${(v.rankingBytes / 1e6).toFixed(1)} MB (${int(v.rankingBytes / Math.max(1, v.rankingEvents))} bytes an event)`],
            ['board fan-out p99, voting ÷ no vote', times(fanoutRatio)],
            ['server: socket receipt → relayed p50 / p99 (its metrics), no vote', relay ? `${ms(relay.before.p50)} / ${ms(relay.before.p99)}` : 'n/a'],
            ['server: socket receipt → relayed p50 / p99 (its metrics), voting', relay ? `${ms(relay.during.p50)} / ${ms(relay.during.p99)}` : 'n/a'],
            ['server CPU over both halves', `${run.server.cores.toFixed(2)} cores`],
            ['server main thread: waiting for a CPU / blocked on disk', `${pct(run.server.cpuWait)} / ${pct(run.server.diskWait)}`],
            ['HTTP probe p50 / p99 (event loop)', `${ms(run.http.p50)} / ${ms(run.http.p99)}`],
            ['errors', `board closes ${e.boardCloses}, board errors ${e.boardErrors}, socket disconnects ${e.socketDisconnects}, connect errors ${e.socketConnectErrors}`],
          ]),
          `stored: ${stored.missing === 0 ? `every update of ${stored.boards} boards` : `${stored.missing} missing`} (rebuilt from SQLite after a graceful stop)`,
        ].join('\n'),
        checks: [
          check('plenary vote: vote:set ack p99 ≤ 100 ms', ms(v.acks.p99), v.acks.p99 <= 100),
          check('plenary vote: own vote:ballot p99 ≤ 100 ms', ms(v.ballots.p99), v.ballots.p99 <= 100),
          // "Unchanged", within the noise of one half against the other on a shared machine.
          check('plenary vote: board fan-out p99 voting ÷ no vote ≤ 1.1', times(fanoutRatio), fanoutRatio <= 1.1),
          check('plenary vote: no error', int(errorCount), errorCount === 0),
        ],
        failures,
      };
    } catch (err) {
      const output = server.output().trim().split('\n').slice(-20).join('\n');
      throw new Error(`${err instanceof Error ? err.message : String(err)}\nlast server output:\n${output}`, { cause: err });
    } finally {
      await server.stop();
    }
  },
};
