// One process's share of Socket.IO clients: each connects with its token, waits for
// its workshop snapshot, records every `session:state` it receives (the timer) and,
// during the load, asks the server's clock with `clock:ping`. In a plenary vote each
// one is a voter: it places its dots one `vote:set` at a time and times the
// acknowledgement and the arrival of its own `vote:ballot` holding the dot.
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, type ClientToServerEvents, type RankingUpdate, type ServerToClientEvents } from '../../shared/protocol.js';
import { cardKey, type Ballot } from '../../shared/voting.js';
import { eachLimited } from '../lib/workshop-setup.js';
import { Samples } from './bench-client.js';
import type { ErrorCounts, VotePlan, VoteResults } from './protocol.js';
import { sleepUntil } from '../lib/sleep-until.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const epochMs = () => performance.timeOrigin + performance.now();

export class SocketClients {
  readonly #sockets: ClientSocket[] = [];
  readonly #errors: ErrorCounts;
  readonly timer: Array<[number, number]> = [];
  readonly pings: number[] = [];
  presenceUpdates = 0;
  /** Characters of every Socket.IO message received (the JSON after engine.io's type): what the room is sent. */
  receivedChars = 0;
  readonly #voteAcks = new Samples();
  readonly #ballotArrivals = new Samples();
  readonly #votes = { sent: 0, refused: 0, timedOut: 0, refusals: [] as string[], progressEvents: 0, rankingEvents: 0, rankingBytes: 0 };
  /** Per socket, the dots sent and not yet seen in a ballot: card key → sent (performance.now()). */
  readonly #pendingDots = new Map<ClientSocket, Map<string, number>>();
  #live = false;
  #pingTimers: NodeJS.Timeout[] = [];

  constructor(errors: ErrorCounts) {
    this.#errors = errors;
  }

  get count(): number {
    return this.#sockets.length;
  }

  async connect(url: string, tokens: string[], concurrency: number, connectMs: number[]): Promise<void> {
    await eachLimited(tokens, concurrency, async (token) => {
      const began = performance.now();
      await this.#open(url, token);
      connectMs.push(performance.now() - began);
    });
    this.#live = true;
  }

  #open(url: string, token: string): Promise<void> {
    const socket: ClientSocket = io(url, {
      path: '/socket.io',
      auth: { token, protocol: PROTOCOL_VERSION },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 500,
    });
    this.#sockets.push(socket);
    socket.io.on('open', () => socket.io.engine.on('data', (data: unknown) => (this.receivedChars += typeof data === 'string' ? data.length : data instanceof ArrayBuffer ? data.byteLength : 0)));
    socket.on('session:state', (state) => this.timer.push([state.phaseIndex, epochMs()]));
    socket.on('presence:update', () => this.presenceUpdates++);
    socket.on('vote:ballot', (ballot) => this.#ballotArrived(socket, ballot));
    const heardRanking = (update: RankingUpdate) => {
      this.#votes.rankingEvents++;
      this.#votes.rankingBytes += JSON.stringify(update).length; // about what Socket.IO sent (its frame is this JSON)
    };
    socket.on('vote:progress', (_progress, ranking) => {
      this.#votes.progressEvents++;
      if (ranking) heardRanking(ranking);
    });
    socket.on('vote:ranking', heardRanking);
    socket.on('disconnect', () => this.#live && this.#errors.socketDisconnects++);
    socket.on('connect_error', () => this.#live && this.#errors.socketConnectErrors++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no workshop snapshot within 60 s')), 60_000);
      socket.once('workshop:snapshot', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('connect_error', (err) => {
        clearTimeout(timer);
        reject(new Error(`Socket.IO connect_error: ${err.message}`));
      });
    });
  }

  /** Every socket asks for the server clock every `everyMs`, from a random offset, until `stopPings`. */
  startPings(everyMs: number): void {
    if (everyMs <= 0) return;
    for (const socket of this.#sockets) {
      const ping = () => {
        const sent = performance.now();
        socket
          .timeout(5_000)
          .emitWithAck('clock:ping', Date.now())
          .then(() => this.pings.push(performance.now() - sent))
          .catch(() => this.#errors.pingTimeouts++);
      };
      const first = setTimeout(() => {
        ping();
        this.#pingTimers.push(setInterval(ping, everyMs));
      }, Math.random() * everyMs);
      this.#pingTimers.push(first);
    }
  }

  /** Every socket places `plan.dots` dots (one per card, on distinct random cards) at random moments of the window; resolves when all are answered. */
  async vote(plan: VotePlan): Promise<void> {
    await Promise.all(
      this.#sockets.map(async (socket) => {
        const moments = Array.from({ length: plan.dots }, () => plan.startAt + Math.random() * (plan.endAt - plan.startAt)).sort((a, b) => a - b);
        const cards = pickDistinct(plan.cards, plan.dots);
        for (const [i, at] of moments.entries()) {
          await sleepUntil(at);
          const [groupId, cardId] = cards[i]!;
          await this.#placeDot(socket, groupId, cardId);
        }
      }),
    );
  }

  async #placeDot(socket: ClientSocket, groupId: string, cardId: string): Promise<void> {
    const pending = this.#pendingDots.get(socket) ?? new Map<string, number>();
    this.#pendingDots.set(socket, pending);
    const key = cardKey(groupId, cardId);
    const sent = performance.now();
    pending.set(key, sent);
    this.#votes.sent++;
    try {
      const reply = await socket.timeout(10_000).emitWithAck('command', { type: 'vote:set', groupId, cardId, dots: 1 });
      if (reply.ok) this.#voteAcks.push(performance.now() - sent);
      else {
        pending.delete(key);
        this.#votes.refused++;
        if (this.#votes.refusals.length < 5) this.#votes.refusals.push(`${reply.error}: ${reply.message}`);
      }
    } catch {
      this.#votes.timedOut++;
    }
  }

  #ballotArrived(socket: ClientSocket, ballot: Ballot): void {
    const pending = this.#pendingDots.get(socket);
    if (!pending) return;
    const now = performance.now();
    for (const [key, sent] of pending) {
      if ((ballot[key] ?? 0) < 1) continue;
      this.#ballotArrivals.push(now - sent);
      pending.delete(key);
    }
  }

  voteResults(): VoteResults {
    return { acks: this.#voteAcks.toArray(), ballots: this.#ballotArrivals.toArray(), ...this.#votes };
  }

  stopPings(): void {
    for (const t of this.#pingTimers) clearInterval(t);
    this.#pingTimers = [];
  }

  close(): void {
    this.#live = false;
    this.stopPings();
    for (const s of this.#sockets) s.disconnect();
  }
}

/** `n` distinct items at random (all of them, shuffled, if there are fewer). */
function pickDistinct<T>(items: readonly T[], n: number): T[] {
  const copy = [...items];
  for (let i = 0; i < Math.min(n, copy.length); i++) {
    const j = i + Math.floor(Math.random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}
