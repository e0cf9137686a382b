// A join storm: a workshop of 50 groups opens and 1,000 people join within 30 s (at
// random moments, as a room scanning the join code), each through the HTTP API, then
// opening its Socket.IO connection and its board at once, as the participant page
// does. Timed from the join request until both are there (the board synced: the
// participant can write); everyone stays connected, so the last joiners meet a server
// already holding most of the room.
import { check, type Scenario } from '../lib/scenario.js';
import { openUsageWindow } from '../lib/proc-stats.js';
import { spawnRelatoria } from '../lib/server-process.js';
import { concat, int, kb, mb, ms, summarize, table } from '../lib/stats.js';
import { createThroughApi } from '../lib/workshop-setup.js';
import { LoadFleet } from '../load/load-fleet.js';
import type { JoinPlan } from '../load/protocol.js';
import { sleepUntil } from '../lib/sleep-until.js';

const GROUPS = 50;
const PROCESSES = 4;

export const joinStorm: Scenario = {
  name: 'join-storm',
  title: `10. A join storm: 1,000 people (quick: 300) join a ${GROUPS}-group workshop within 30 s (quick: 10 s)`,
  async run({ quick, log }) {
    const people = quick ? 300 : 1_000;
    const windowMs = quick ? 10_000 : 30_000;
    const server = await spawnRelatoria();
    const fleet = LoadFleet.spawn(PROCESSES);
    try {
      const workshop = await createThroughApi(server.url, { groups: GROUPS, perGroup: 0 });
      const startAt = Date.now() + 2_000;
      const plans: JoinPlan[] = Array.from({ length: PROCESSES }, () => ({ httpUrl: server.url, wsUrl: server.wsUrl, workshopId: workshop.id, code: workshop.joinCode, joins: [] }));
      for (let i = 0; i < people; i++) {
        plans[i % PROCESSES]!.joins.push({ name: `Persona ${i + 1}`, groupId: workshop.groups[i % GROUPS]!.id, at: startAt + Math.random() * windowMs });
      }
      log(`  relatoria: ${people} joins over ${windowMs / 1000} s from ${PROCESSES} client processes`);
      await sleepUntil(startAt);
      const window = openUsageWindow(server.pid);
      const replies = await fleet.join(plans);
      const used = window.stop();
      const total = summarize(concat(replies.map((r) => r.result.total)));
      const http = summarize(concat(replies.map((r) => r.result.http)));
      const socket = summarize(concat(replies.map((r) => r.result.socket)));
      const board = summarize(concat(replies.map((r) => r.result.board)));
      const failed = replies.reduce((n, r) => n + r.result.failed, 0);
      const failures = replies.flatMap((r) => r.result.failures).slice(0, 5);
      const closes = replies.reduce((n, r) => n + r.errors.boardCloses + r.errors.boardErrors + r.errors.socketDisconnects + r.errors.socketConnectErrors, 0);
      const errorCount = failed + closes;
      const peakRss = Math.max(used.peakRss, used.hwm);
      return {
        figures: [
          `${people} people join one workshop (${GROUPS} groups) at random moments within ${windowMs / 1000} s: POST /api/workshops/:id/join, then the Socket.IO connection (until its workshop snapshot) and the board (until sync step 2) opened together; ${PROCESSES} client processes; everyone stays connected.`,
          table([
            ['', 'p50', 'p99', 'max', 'count'],
            ['join request → board synced and snapshot', ms(total.p50), ms(total.p99), ms(total.max), int(total.count)],
            ['HTTP join', ms(http.p50), ms(http.p99), ms(http.max), int(http.count)],
            ['after the join: Socket.IO snapshot', ms(socket.p50), ms(socket.p99), ms(socket.max), int(socket.count)],
            ['after the join: board synced', ms(board.p50), ms(board.p99), ms(board.max), int(board.count)],
          ]),
          table([
            ['', ''],
            ['server CPU over the storm', `${used.cores.toFixed(2)} cores`],
            ['server main thread waiting for a CPU', `${(used.cpuWait * 100).toFixed(0)} %`],
            ['server RSS peak', mb(peakRss)],
            ['Socket.IO received per newcomer (join to end)', kb(replies.reduce((n, r) => n + r.result.socketChars, 0) / people)],
            ['failed joins', `${int(failed)}${failures.length > 0 ? ` (${failures.join('; ')})` : ''}`],
            ['closes and disconnects after joining', int(closes)],
          ]),
        ].join('\n'),
        checks: [check('join storm p99 ≤ 1 s (join request → synced board)', ms(total.p99), total.p99 <= 1_000), check('join storm: no error', int(errorCount), errorCount === 0)],
        failures: failed > 0 ? [`${failed} of ${people} joins did not end with a synced board and a snapshot (${failures.join('; ')})`] : [],
      };
    } catch (err) {
      const output = server.output().trim().split('\n').slice(-20).join('\n');
      throw new Error(`${err instanceof Error ? err.message : String(err)}\nlast server output:\n${output}`, { cause: err });
    } finally {
      await fleet.close();
      await server.stop();
    }
  },
};
