// The facilitation channel through a real socket.io-client: a connected socket that
// records every event it receives, commands with their acknowledgement, the workshop
// as GET /api/workshops/:id shows it, and clock samples read from a skewed clock.
// Called inside a test, sockets are closed when the test finishes.
import { io, type Socket } from 'socket.io-client';
import { onTestFinished } from 'vitest';
import type { ClockSample } from '../../shared/clock.js';
import { PROTOCOL_VERSION, type Ack, type ClientToServerEvents, type Command, type CommandReply, type ServerToClientEvents, type WorkshopSnapshot } from '../../shared/protocol.js';
import type { RankedCard } from '../../shared/session.js';
import { applyEvent, fromSnapshot, shownRanking, type LiveEvent, type LiveState } from '../../client/lib/facilitation/live-state.js';
import { api } from './api.js';
import { waitFor, within } from './wait.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type EventName = keyof ServerToClientEvents;
export type EventArgs<E extends EventName> = Parameters<ServerToClientEvents[E]>;

export interface RecordedEvent {
  event: string;
  args: unknown[];
  /**
   * Set on a `vote:ranking` recorded from the ranking a `vote:progress` carried (protocol 4),
   * so that tests follow every ranking by one name; the fold (`live`) reads the packet itself.
   */
  carriedBy?: 'vote:progress';
}

export interface FacilitationClient {
  socket: ClientSocket;
  /** Every event received since the socket was created, in order (snapshots included). */
  events: RecordedEvent[];
  /** The latest `workshop:snapshot`. */
  readonly snapshot: WorkshopSnapshot;
  /** The arguments of every received `event`, in order. */
  all<E extends EventName>(event: E): Array<EventArgs<E>>;
  /** Waits for an `event` at index `since` or later of `events` that satisfies `match`. */
  next<E extends EventName>(event: E, match?: (...args: EventArgs<E>) => boolean, since?: number, timeoutMs?: number): Promise<EventArgs<E>>;
  command(command: Command): Promise<Ack<CommandReply>>;
  /** What the client knows now: the latest snapshot and every event since, folded by the client's own code (live-state.ts). */
  live(): LiveState;
  /** The ranking the client's screens show now (`shownRanking`), texts filled in from earlier announcements. */
  ranking(): RankedCard[] | null;
  /** Waits until the ranking the screens show satisfies `match`. */
  nextRanking(match: (ranking: RankedCard[] | null) => boolean, timeoutMs?: number): Promise<RankedCard[] | null>;
  close(): void;
}

export interface SocketOptions {
  /** Reconnect on its own after the server goes away (default: no). */
  reconnection?: boolean;
  /** The protocol version sent in the handshake (default: this code's); null sends none, as clients before versioning. */
  protocol?: number | null;
}

export function openSocket(url: string, token: string | undefined, opts: SocketOptions = {}): ClientSocket {
  const protocol = opts.protocol === undefined ? PROTOCOL_VERSION : opts.protocol;
  const socket: ClientSocket = io(url, {
    path: '/socket.io',
    auth: { ...(token === undefined ? {} : { token }), ...(protocol === null ? {} : { protocol }) },
    transports: ['websocket'],
    forceNew: true,
    autoConnect: false,
    reconnection: opts.reconnection ?? false,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
  });
  onTestFinished(() => void socket.disconnect());
  return socket;
}

/** A socket that has received its `workshop:snapshot`. */
export async function connectSocket(url: string, token: string, opts: SocketOptions = {}): Promise<FacilitationClient> {
  const socket = openSocket(url, token, opts);
  const events: RecordedEvent[] = [];
  socket.onAny((event: string, ...args: unknown[]) => {
    events.push({ event, args });
    if (event === 'vote:progress' && args[1]) events.push({ event: 'vote:ranking', args: [args[1]], carriedBy: event });
  });
  const first = new Promise<void>((resolve, reject) => {
    socket.once('workshop:snapshot', () => resolve());
    socket.once('connect_error', (err) => reject(new Error(`connect_error: ${err.message}`)));
  });
  socket.connect();
  await within(first, 5_000, 'the workshop snapshot');
  const all = <E extends EventName>(event: E) => events.filter((e) => e.event === event).map((e) => e.args as EventArgs<E>);
  return {
    socket,
    events,
    get snapshot() {
      return all('workshop:snapshot').at(-1)![0];
    },
    all,
    async next(event, match = () => true, since = 0, timeoutMs = 5_000) {
      let found: EventArgs<typeof event> | undefined;
      await waitFor(() => {
        found = events.slice(since).find((e) => e.event === event && match(...(e.args as EventArgs<typeof event>)))?.args as EventArgs<typeof event> | undefined;
        return found !== undefined;
      }, timeoutMs, `event ${event}`);
      return found!;
    },
    command: (c) => command(socket, c),
    live,
    ranking: () => shownRanking(live()),
    async nextRanking(match, timeoutMs = 5_000) {
      await waitFor(() => match(shownRanking(live())), timeoutMs, 'the ranking on screen');
      return shownRanking(live());
    },
    close: () => void socket.disconnect(),
  };

  function live(): LiveState {
    const from = events.findLastIndex((e) => e.event === 'workshop:snapshot');
    let state = fromSnapshot(events[from]!.args[0] as WorkshopSnapshot, null);
    for (const e of events.slice(from + 1)) if (!e.carriedBy) state = applyEvent(state, { type: e.event, args: e.args } as LiveEvent);
    return state;
  }
}

/** The message of the `connect_error` a refused handshake ends with. */
export async function refusedHandshake(url: string, token: string | undefined, opts: SocketOptions = {}): Promise<string> {
  return (await handshakeRefusal(url, token, opts)).message;
}

/** The `connect_error` a refused handshake ends with: message, data, and whether the client would try again. */
export async function handshakeRefusal(url: string, token: string | undefined, opts: SocketOptions = {}): Promise<{ message: string; data: unknown; retries: boolean }> {
  const socket = openSocket(url, token, opts);
  const refused = new Promise<{ message: string; data: unknown; retries: boolean }>((resolve, reject) => {
    socket.once('connect_error', (err) => resolve({ message: err.message, data: (err as Error & { data?: unknown }).data, retries: socket.active }));
    socket.once('connect', () => reject(new Error('the handshake was accepted')));
  });
  socket.connect();
  return within(refused, 5_000, 'the handshake to be refused');
}

/** Sends one command and resolves with its acknowledgement. */
export function command(socket: ClientSocket, c: Command, timeoutMs = 5_000): Promise<Ack<CommandReply>> {
  return socket.timeout(timeoutMs).emitWithAck('command', c);
}

/** Sends anything as a command, for payloads the types forbid. */
export function rawCommand(socket: ClientSocket, payload: unknown, timeoutMs = 5_000): Promise<Ack<CommandReply>> {
  return (socket as unknown as Socket).timeout(timeoutMs).emitWithAck('command', payload);
}

/**
 * A barrier on one socket: a clock:ping round trip. Events travel in order on the
 * connection, so every event the server emitted to this socket before it answered
 * has been received (and recorded) once this resolves.
 */
export async function flush(client: FacilitationClient): Promise<void> {
  await client.socket.timeout(2_000).emitWithAck('clock:ping', 0);
}

/** `count` clock:ping round trips, read on the client clock `localNow`. */
export async function clockSamples(socket: ClientSocket, localNow: () => number, count = 5): Promise<ClockSample[]> {
  const samples: ClockSample[] = [];
  for (let i = 0; i < count; i++) {
    const sent = localNow();
    const reply = await socket.timeout(2_000).emitWithAck('clock:ping', sent);
    samples.push({ sent, server: reply.serverTime, received: localNow() });
  }
  return samples;
}

/** GET /api/workshops/:id without the moment it was read: equal bodies mean equal state. */
export async function workshopView(url: string, workshopId: string, token: string): Promise<Record<string, unknown>> {
  const res = await api(url, 'GET', `/api/workshops/${workshopId}`, { token });
  if (res.status !== 200) throw new Error(`GET workshop: ${res.status} ${JSON.stringify(res.body)}`);
  const { serverTime: _t, ...view } = res.body as Record<string, unknown>;
  return view;
}

/** The token inside a link from `link:create` (`…#k=<token>`). */
export function tokenOfLink(link: string | undefined): string {
  const token = link?.split('#k=')[1];
  if (!token) throw new Error(`no token in link ${link}`);
  return decodeURIComponent(token);
}

/** The token of a new link for `role`, made with `link:create` on a facilitator's socket. */
export async function makeLink(console: FacilitationClient, role: Extract<Command, { type: 'link:create' }>['role']): Promise<string> {
  const reply = await console.command({ type: 'link:create', role });
  if (!reply.ok) throw new Error(`link:create: ${JSON.stringify(reply)}`);
  return tokenOfLink(reply.link);
}

/** Resolves once the socket is disconnected, with the `you:unauthorized` it was told first (if any). */
export function endOf(client: FacilitationClient): Promise<{ told: unknown; reason: string }> {
  return new Promise((resolve) => {
    let told: unknown = null;
    client.socket.on('you:unauthorized', (refusal) => (told = refusal));
    client.socket.on('disconnect', (reason) => resolve({ told, reason }));
  });
}
