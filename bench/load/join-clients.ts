// One process's share of a join storm: each newcomer, at its moment, joins through the
// HTTP API (POST /api/workshops/:id/join, as the join page does), then opens, at once,
// its Socket.IO connection (until the workshop snapshot) and its board (until sync
// step 2, a light client: see light-client.ts). Timed from the join request to both
// being there; everyone stays connected until the process is told to close.
import type { JoinResponse } from '../../shared/model.js';
import type { ClientEvents } from './bench-client.js';
import { LightClient } from './light-client.js';
import type { ErrorCounts, JoinPlan, JoinResult } from './protocol.js';
import { SocketClients } from './socket-clients.js';
import { sleepUntil } from '../lib/sleep-until.js';

export class JoinClients {
  readonly #boards: LightClient[] = [];
  readonly #sockets: SocketClients;
  readonly #events: ClientEvents;

  constructor(errors: ErrorCounts) {
    this.#sockets = new SocketClients(errors);
    let live = true;
    this.#events = { stamp: () => undefined, closed: () => void (live && errors.boardCloses++), failed: () => void (live && errors.boardErrors++) };
    this.close = () => {
      live = false;
      for (const b of this.#boards) b.close();
      this.#sockets.close();
    };
  }

  readonly close: () => void;

  async run(plan: JoinPlan): Promise<JoinResult> {
    const result = { total: [] as number[], http: [] as number[], socket: [] as number[], board: [] as number[], failed: 0, failures: [] as string[] };
    await Promise.all(
      plan.joins.map(async (join) => {
        await sleepUntil(join.at);
        const began = performance.now();
        try {
          const res = await fetch(`${plan.httpUrl}/api/workshops/${plan.workshopId}/join`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ code: plan.code, name: join.name, groupId: join.groupId }),
            signal: AbortSignal.timeout(30_000),
          });
          if (res.status !== 201) throw new Error(`join: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
          const { token } = (await res.json()) as JoinResponse;
          const joined = performance.now();
          result.http.push(joined - began);
          const board = new LightClient(plan.wsUrl, 'y-websocket', { docName: `${plan.workshopId}/${join.groupId}`, writers: [], clients: [] }, { token, name: join.name, writer: null }, () => 0, this.#events);
          this.#boards.push(board);
          const boardReady = board.ready.then(() => result.board.push(performance.now() - joined));
          const socketMs: number[] = [];
          await Promise.all([boardReady, this.#sockets.connect(plan.httpUrl, [token], 1, socketMs)]);
          result.socket.push(...socketMs);
          result.total.push(performance.now() - began);
        } catch (err) {
          result.failed++;
          if (result.failures.length < 5) result.failures.push(err instanceof Error ? err.message : String(err));
        }
      }),
    );
    return { ...result, socketChars: this.#sockets.receivedChars, total: Float64Array.from(result.total), http: Float64Array.from(result.http), socket: Float64Array.from(result.socket), board: Float64Array.from(result.board) };
  }
}
