// npx tsx bench/relay-frame.ts [peers] [messages]
// What relaying one message to many peers costs the server: through `ws.send` for each
// peer (a frame header, two writes and a callback a peer), against one frame built once
// and written to every peer's socket (server/docsync/relayed-message.ts). As a board
// relays: each turn of the event loop sends one message to every peer, every peer's
// socket corked for the turn. The peers are plain `ws` clients in a child process that
// count what they receive; the server's CPU time (user + system: the writes included)
// is counted per delivery, in alternating rounds, medians.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { RelayedMessage } from '../server/docsync/relayed-message.js';

const PEERS = Number(process.argv[2] ?? 200);
const MESSAGES = Number(process.argv[3] ?? 2_000);
const ROUNDS = 8;
/** A typing update as the board relays it (y-websocket sync message, ~60 bytes). */
const MESSAGE_BYTES = 60;

if (process.argv[2] === 'clients') {
  // The child: PEERS clients; says how many messages they received in all when asked.
  const [url, peers] = [process.argv[3]!, Number(process.argv[4])];
  let received = 0;
  let open = 0;
  for (let i = 0; i < peers; i++) {
    const ws = new WebSocket(url);
    ws.on('open', () => ++open === peers && process.send!('ready'));
    ws.on('message', () => received++);
  }
  process.on('message', () => process.send!(received));
} else {
  await main();
}

async function main(): Promise<void> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const peers: Array<{ ws: WebSocket; socket: Duplex }> = [];
  const http = createServer();
  http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => peers.push({ ws, socket })));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const child = fork(new URL(import.meta.url).pathname, ['clients', `ws://127.0.0.1:${port}`, String(PEERS)], { execArgv: ['--import', 'tsx'] });
  const ask = () => new Promise<unknown>((resolve) => child.once('message', resolve));
  await ask(); // ready
  const payload = new Uint8Array(MESSAGE_BYTES).fill(7);

  const viaWs = (message: Uint8Array) => {
    for (const { ws } of peers) ws.send(message);
  };
  const viaFrame = (message: Uint8Array) => {
    const relayed = new RelayedMessage(message);
    for (const { socket } of peers) socket.write(relayed.frame);
  };

  /** Microseconds of server CPU per delivery: MESSAGES turns, one message to every peer each. */
  async function round(send: (message: Uint8Array) => void): Promise<number> {
    const before = Number(await (child.send('count'), ask()));
    const started = process.cpuUsage();
    for (let i = 0; i < MESSAGES; i++) {
      for (const { socket } of peers) socket.cork();
      send(payload.slice()); // a new message each turn, as each stored update is
      for (const { socket } of peers) socket.uncork();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const used = process.cpuUsage(started);
    let received = before;
    while (received < before + MESSAGES * PEERS) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      received = Number(await (child.send('count'), ask()));
    }
    return (used.user + used.system) / (MESSAGES * PEERS);
  }

  const ws: number[] = [];
  const frame: number[] = [];
  await round(viaWs); // warm-up
  await round(viaFrame);
  for (let r = 0; r < ROUNDS; r++) {
    ws.push(await round(viaWs));
    frame.push(await round(viaFrame));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`${PEERS} peers, ${MESSAGES} messages of ${MESSAGE_BYTES} bytes a round, ${ROUNDS} rounds alternating; server CPU per delivery (median):`);
  console.log(`  ws.send to each peer:          ${median(ws).toFixed(2)} µs  (rounds ${ws.map((x) => x.toFixed(2)).join(' ')})`);
  console.log(`  one frame written to each peer: ${median(frame).toFixed(2)} µs  (rounds ${frame.map((x) => x.toFixed(2)).join(' ')})`);
  console.log(`  ratio ${(median(frame) / median(ws)).toFixed(2)}`);
  child.kill();
  for (const { ws: socket } of peers) socket.terminate();
  http.close();
}
