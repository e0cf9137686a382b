// A bench client process: owns a slice of the clients and follows the
// coordinator's steps over IPC — connect, start (type for a while), finish (wait
// until everything arrived, audit, report), close. See protocol.ts.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BoardClients } from './board-clients.js';
import { JoinClients } from './join-clients.js';
import { SocketClients } from './socket-clients.js';
import type { ClientPlan, ErrorCounts, FromClient, ToClient } from './protocol.js';

// Every stock provider adds a process 'exit' listener.
process.setMaxListeners(0);

const errors: ErrorCounts = { boardCloses: 0, boardErrors: 0, socketDisconnects: 0, socketConnectErrors: 0, pingTimeouts: 0 };
const boards = new BoardClients(errors);
const sockets = new SocketClients(errors);
const joins = new JoinClients(errors);
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
let plan: ClientPlan | null = null;
let cpuAtStart: NodeJS.CpuUsage | null = null;

const send = (message: FromClient) => process.send!(message);

async function handle(message: ToClient): Promise<void> {
  switch (message.type) {
    case 'connect': {
      plan = message.plan;
      const connectMs: number[] = [];
      await boards.connect(plan, connectMs);
      if (plan.httpUrl && plan.sockets.length > 0) await sockets.connect(plan.httpUrl, plan.sockets, plan.connectConcurrency, connectMs);
      send({ type: 'connected', connectMs: Float64Array.from(connectMs), boards: boards.count, sockets: sockets.count, cards: boards.ownCards() });
      return;
    }
    case 'start': {
      cpuAtStart = process.cpuUsage();
      loopDelay.enable();
      sockets.startPings(plan?.pingEveryMs ?? 0);
      const voting = message.load.vote ? sockets.vote(message.load.vote) : Promise.resolve();
      const [sent] = await Promise.all([boards.type(message.load), voting]);
      send({ type: 'sent', counts: [...sent] });
      return;
    }
    case 'finish': {
      sockets.stopPings();
      const expected = new Map(message.expected);
      await boards.settle(expected, message.timeoutMs);
      loopDelay.disable();
      const cpu = process.cpuUsage(cpuAtStart ?? undefined);
      const audit = await boards.audit(expected);
      boards.writeTrace();
      send({
        type: 'result',
        result: {
          latencies: boards.latencies(),
          warmupLatencies: boards.warmupLatencies(),
          splitLatencies: boards.splitLatencies(),
          nearLatencies: boards.nearLatencies(),
          farLatencies: boards.farLatencies(),
          vote: sockets.voteResults(),
          timer: sockets.timer,
          pings: Float64Array.from(sockets.pings),
          presenceUpdates: sockets.presenceUpdates,
          socketChars: sockets.receivedChars,
          missing: audit.missing,
          duplicates: audit.duplicates,
          missingDetail: audit.detail,
          digests: audit.digests,
          errors,
          loopDelay: {
            p50: loopDelay.percentile(50) / 1e6,
            p99: loopDelay.percentile(99) / 1e6,
            max: loopDelay.max / 1e6,
          },
          cpuSeconds: (cpu.user + cpu.system) / 1e6,
        },
      });
      return;
    }
    case 'join': {
      const result = await joins.run(message.plan);
      send({ type: 'joined', result, errors });
      return;
    }
    case 'close':
      joins.close();
      boards.close();
      sockets.close();
      setTimeout(() => process.exit(0), 100).unref();
      process.disconnect();
      return;
  }
}

process.on('message', (message: ToClient) => {
  handle(message).catch((err: unknown) => {
    send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  });
});
process.on('disconnect', () => process.exit(0));
