// One connection to the facilitation channel: applies `workshop:snapshot` and every
// event to reactive state, keeps an estimate of the server clock, and sends commands
// with their acknowledgement. Whatever reads `serverNow` re-runs four times a second
// (`slowNow`: every ten seconds).
import { io, type Socket } from 'socket.io-client';
import { createSubscriber } from 'svelte/reactivity';
import {
  ErrorCode, PROTOCOL_VERSION, type Ack, type ClientToServerEvents, type Command, type CommandReply, type HandshakeAuth, type ServerToClientEvents,
} from '../../../shared/protocol.js';
import { measureOffset } from './clock-sync.js';
import { applyEvent, fromSnapshot, shownRanking, type LiveEvent, type LiveState } from './live-state.js';

export type FacilitationSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/**
 * `refused`: the handshake was refused for good (a bad or withdrawn token); `outdated`:
 * this page is older than the server and must be reloaded; `deleted`: the workshop is gone.
 * Those three are final.
 */
export type ChannelStatus = 'connecting' | 'connected' | 'offline' | 'refused' | 'outdated' | 'deleted';
const FINAL: ReadonlySet<ChannelStatus> = new Set(['refused', 'outdated', 'deleted']);

/** A command's outcome: the server's acknowledgement, or `offline` when it could not be asked. */
export type CommandOutcome = Ack<CommandReply> | { ok: false; error: 'offline'; message: string };

export interface SessionClientOptions {
  token: string;
  /** Opens the socket (not yet connected); tests and other hosts pass their own. */
  open?: (token: string) => FacilitationSocket;
}

const EVENTS = [
  'session:state', 'presence:update', 'roster:update', 'activity:update', 'vote:progress', 'vote:ranking',
  'vote:ballot', 'private:cards', 'private:counts', 'announcement', 'you:moved', 'you:removed', 'workshop:deleted',
  'join:code',
] as const satisfies ReadonlyArray<keyof ServerToClientEvents>;

const COMMAND_TIMEOUT_MS = 10_000;
const RESYNC_CLOCK_MS = 60_000;
const TICK_MS = 250;
const SLOW_TICK_MS = 10_000;

type Listener = (event: LiveEvent, state: LiveState) => void;

const defaultOpen = (token: string): FacilitationSocket =>
  io({ path: '/socket.io', auth: { token, protocol: PROTOCOL_VERSION } satisfies HandshakeAuth, autoConnect: false });

export class SessionClient {
  #live = $state.raw<LiveState | null>(null);
  #status = $state<ChannelStatus>('connecting');
  /** A command was refused because this page is older than the server. */
  #outdatedCommand = $state(false);
  /** The server serving this page cannot reach the other nodes now (cluster mode). */
  #peersCut = $state(false);
  #offset = $state(0);
  #measured = false;
  readonly #socket: FacilitationSocket;
  readonly #listeners = new Set<Listener>();
  readonly #tick: () => void;
  readonly #slowTick: () => void;
  #clockTimer: ReturnType<typeof setInterval> | undefined;

  constructor(opts: SessionClientOptions) {
    this.#socket = (opts.open ?? defaultOpen)(opts.token);
    this.#tick = createSubscriber((update) => {
      const h = setInterval(update, TICK_MS);
      return () => clearInterval(h);
    });
    this.#slowTick = createSubscriber((update) => {
      const h = setInterval(update, SLOW_TICK_MS);
      return () => clearInterval(h);
    });
    const socket = this.#socket;
    socket.on('connect', () => {
      this.#status = 'connected';
      void this.#syncClock();
    });
    socket.on('disconnect', () => {
      if (!FINAL.has(this.#status)) this.#status = 'offline';
      this.#peersCut = false; // the node we reconnect to says its own
    });
    socket.on('cluster:link', ({ cut }) => {
      this.#peersCut = cut === true;
    });
    socket.on('connect_error', (err) => {
      // A refused handshake is final (too old a page, a bad or withdrawn token); anything else retries.
      if (socket.active) this.#status = 'offline';
      else this.#status = err.message === ErrorCode.OutdatedClient ? 'outdated' : 'refused';
    });
    socket.on('workshop:deleted', () => {
      this.#status = 'deleted';
    });
    // The link was revoked or expired while open: final, like a refused handshake.
    socket.on('you:unauthorized', () => {
      this.#status = 'refused';
    });
    socket.on('workshop:snapshot', (snapshot) => {
      if (!this.#measured) this.#offset = snapshot.serverTime - Date.now();
      this.#apply({ type: 'workshop:snapshot', args: [snapshot] }, fromSnapshot(snapshot, this.#live));
    });
    for (const type of EVENTS) {
      socket.on(type, (...args: unknown[]) => {
        const event = { type, args } as LiveEvent;
        if (this.#live) this.#apply(event, applyEvent(this.#live, event));
      });
    }
    this.#clockTimer = setInterval(() => void this.#syncClock(), RESYNC_CLOCK_MS);
    socket.connect();
  }

  #apply(event: LiveEvent, next: LiveState): void {
    this.#live = next;
    for (const l of this.#listeners) l(event, next);
  }

  async #syncClock(): Promise<void> {
    if (!this.#socket.connected) return;
    const offset = await measureOffset(
      async (clientTime) => (await this.#socket.timeout(3000).emitWithAck('clock:ping', clientTime)).serverTime,
      () => Date.now(),
    );
    if (offset === null) return;
    this.#measured = true;
    this.#offset = offset;
  }

  /** Called after every event is applied (snapshots included). Returns the unsubscribe. */
  listen(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get status(): ChannelStatus {
    return this.#status;
  }

  /** This page is older than the server (refused at the handshake, or a command it sent): reloading fixes it. */
  get outdated(): boolean {
    return this.#status === 'outdated' || this.#outdatedCommand;
  }

  /** The server cannot reach the other servers of the deployment: what is written here is kept, others see it later. */
  get peersCut(): boolean {
    return this.#peersCut && this.#status === 'connected';
  }

  /** Null until the first snapshot. */
  get live(): LiveState | null {
    return this.#live;
  }

  get ranking() {
    return this.#live ? shownRanking(this.#live) : null;
  }

  /** Milliseconds to add to Date.now() to read the server clock. */
  get offset(): number {
    return this.#offset;
  }

  /** The server's clock now; re-read four times a second by whatever shows it. */
  get serverNow(): number {
    this.#tick();
    return Date.now() + this.#offset;
  }

  /** The server's clock, re-read every ten seconds: for "2 min ago". */
  get slowNow(): number {
    this.#slowTick();
    return Date.now() + this.#offset;
  }

  async send(command: Command): Promise<CommandOutcome> {
    if (!this.#socket.connected) return { ok: false, error: 'offline', message: '' };
    try {
      const reply = await this.#socket.timeout(COMMAND_TIMEOUT_MS).emitWithAck('command', command);
      if (!reply.ok && reply.error === ErrorCode.OutdatedClient) this.#outdatedCommand = true;
      return reply;
    } catch {
      return { ok: false, error: 'offline', message: '' };
    }
  }

  destroy(): void {
    clearInterval(this.#clockTimer);
    this.#listeners.clear();
    this.#socket.removeAllListeners();
    this.#socket.disconnect();
  }
}
