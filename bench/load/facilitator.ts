// The facilitator during a big event: a Socket.IO client in the coordinator that
// starts phases at set moments, so every participant's socket receives the timer
// ('session:state'); we time each broadcast from the command to every arrival.
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, type Ack, type ClientToServerEvents, type Command, type CommandReply, type ServerToClientEvents } from '../../shared/protocol.js';
import { summarize, type Summary } from '../lib/stats.js';
import { sleepUntil } from '../lib/sleep-until.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface PhaseCommand {
  index: number;
  /** Epoch ms (high resolution) when the command was sent. */
  sentAt: number;
  ok: boolean;
}

export interface TimerFanout {
  commands: number;
  failedCommands: number;
  /** Arrivals expected (sockets × commands) and seen. */
  expected: number;
  arrived: number;
  latency: Summary;
}

const epochMs = () => performance.timeOrigin + performance.now();

/**
 * Connects as the facilitator and sends `phase:start` for phases 0, 1, … at each of `atMs`
 * (epoch ms); stays connected until `untilMs`, so its coming and going (a presence
 * broadcast to every socket) falls outside the measured window.
 */
export async function startPhases(url: string, token: string, atMs: number[], untilMs: number): Promise<PhaseCommand[]> {
  const socket: ClientSocket = io(url, { path: '/socket.io', auth: { token, protocol: PROTOCOL_VERSION }, transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('workshop:snapshot', () => resolve());
      socket.once('connect_error', (err) => reject(new Error(`facilitator connect_error: ${err.message}`)));
    });
    const commands: PhaseCommand[] = [];
    for (const [index, at] of atMs.entries()) {
      await sleepUntil(at);
      const sentAt = epochMs();
      const reply = await socket.timeout(30_000).emitWithAck('command', { type: 'phase:start', index }).catch(() => ({ ok: false }));
      commands.push({ index, sentAt, ok: reply.ok });
    }
    await sleepUntil(untilMs);
    return commands;
  } finally {
    socket.disconnect();
  }
}

/** Connects as the facilitator, sends `command` at `atMs` (epoch ms) and stays until `untilMs`; resolves with the reply. */
export async function commandAt(url: string, token: string, command: Command, atMs: number, untilMs: number): Promise<Ack<CommandReply>> {
  const socket: ClientSocket = io(url, { path: '/socket.io', auth: { token, protocol: PROTOCOL_VERSION }, transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('workshop:snapshot', () => resolve());
      socket.once('connect_error', (err) => reject(new Error(`facilitator connect_error: ${err.message}`)));
    });
    await sleepUntil(atMs);
    const reply = await socket
      .timeout(30_000)
      .emitWithAck('command', command)
      .catch((err: unknown): Ack<CommandReply> => ({ ok: false, error: 'internal', message: `no answer: ${String(err)}` }));
    await sleepUntil(untilMs);
    return reply;
  } finally {
    socket.disconnect();
  }
}

export function timerFanout(commands: PhaseCommand[], arrivals: Array<[number, number]>, sockets: number): TimerFanout {
  const latencies: number[] = [];
  for (const c of commands) for (const [index, at] of arrivals) if (index === c.index) latencies.push(at - c.sentAt);
  return {
    commands: commands.length,
    failedCommands: commands.filter((c) => !c.ok).length,
    expected: commands.filter((c) => c.ok).length * sockets,
    arrived: latencies.length,
    latency: summarize(latencies),
  };
}
