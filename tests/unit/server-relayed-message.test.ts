// A relayed message's frame is written straight to the socket under `ws`: a real `ws`
// client must read it as the same binary message, at every length encoding RFC 6455 has
// (7-bit, 16-bit, 64-bit), and in order with what `ws.send` writes on the same socket.
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { RelayedMessage, binaryFrame } from '../../server/docsync/relayed-message.js';
import { waitFor } from '../helpers/wait.js';

let server: Server | null = null;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = null;
});

/** A server that, once a client connects, hands the test the `ws` socket and the TCP socket under it. */
async function connected(): Promise<{ ws: WebSocket; socket: Duplex; client: WebSocket; received: Array<{ data: Buffer; isBinary: boolean }> }> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const accepted = new Promise<{ ws: WebSocket; socket: Duplex }>((resolve) => {
    server = createServer();
    server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => resolve({ ws, socket })));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server!.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { maxPayload: 1024 * 1024 });
  const received: Array<{ data: Buffer; isBinary: boolean }> = [];
  client.on('message', (data, isBinary) => received.push({ data: data as Buffer, isBinary }));
  await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
  const { ws, socket } = await accepted;
  return { ws, socket, client, received };
}

const bytesOf = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);

describe('a relayed message', () => {
  it('reaches a ws client as the same binary message, at every length encoding', async () => {
    const { socket, client, received } = await connected();
    const lengths = [0, 1, 125, 126, 127, 65_535, 65_536, 300_000];
    const payloads = lengths.map((n, i) => bytesOf(n, i));
    for (const payload of payloads) socket.write(new RelayedMessage(payload).frame);
    await waitFor(() => received.length === payloads.length, 5_000, 'every message');
    expect(received.map((m) => m.isBinary)).toEqual(lengths.map(() => true));
    expect(received.map((m) => new Uint8Array(m.data))).toEqual(payloads);
    client.terminate();
  });

  it('stays in order with what ws.send writes on the same socket', async () => {
    const { ws, socket, client, received } = await connected();
    const sent: Uint8Array[] = [];
    for (let i = 0; i < 200; i++) {
      const payload = bytesOf(i * 7, i);
      sent.push(payload);
      if (i % 3 === 0) ws.send(payload);
      else socket.write(binaryFrame(payload));
    }
    await waitFor(() => received.length === sent.length, 5_000, 'every message');
    expect(received.map((m) => new Uint8Array(m.data))).toEqual(sent);
    client.terminate();
  });

  it('is framed once, however many peers it is written to', () => {
    const message = new RelayedMessage(bytesOf(10, 0));
    expect(message.frame).toBe(message.frame);
    expect([...message.frame.subarray(0, 2)]).toEqual([0x82, 10]);
  });
});

