// One process's share of Socket.IO clients: each connects with its token, waits for
// its workshop snapshot, records every `session:state` it receives (the timer) and,
// during the load, asks the server's clock with `clock:ping`.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';
import { eachLimited } from '../lib/workshop-setup.js';
import type { ErrorCounts } from './protocol.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const epochMs = () => performance.timeOrigin + performance.now();

export class SocketClients {
  readonly #sockets: ClientSocket[] = [];
  readonly #errors: ErrorCounts;
  readonly timer: Array<[number, number]> = [];
  readonly pings: number[] = [];
  presenceUpdates = 0;
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
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 500,
    });
    this.#sockets.push(socket);
    socket.on('session:state', (state) => this.timer.push([state.phaseIndex, epochMs()]));
    socket.on('presence:update', () => this.presenceUpdates++);
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
