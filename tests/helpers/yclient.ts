// A stock y-websocket WebsocketProvider in Node (the `ws` package as its WebSocket),
// instrumented: it records the close codes of its sockets, the reasons of every
// y-protocols auth "permission denied" it receives, and the sync steps it is sent.
// Called inside a test, the client is destroyed when the test finishes.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import type { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider, messageAuth, messageSync } from 'y-websocket';
import { WebSocket } from 'ws';
import { onTestFinished } from 'vitest';
import { boardDocName } from '../../shared/doc-name.js';
import type { BoardRef } from './api.js';
import { waitFor, within } from './wait.js';

export interface BoardClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close codes of every socket of this provider that was closed by the server or the network. */
  closeCodes: number[];
  /** Reasons of the permission-denied auth messages received. */
  denied: string[];
  /** How many sync step 2 messages the server has sent (one per sync step 1 asked). */
  step2Received: number;
  destroy(): void;
}

export interface ConnectOptions {
  /** A doc with content of its own (default: a new, empty doc). */
  doc?: Y.Doc;
  connect?: boolean;
  /** Upper bound of the reconnect backoff (the stock default is 2.5 s). */
  maxBackoffTime?: number;
  /** Another provider's awareness: a second socket speaking for the same client, as a reconnect does. */
  awareness?: Awareness;
  /** Another WebSocket class (one bound to a source address: tests/integration/cluster-balancer.test.ts). */
  webSocket?: typeof WebSocket;
}

export function connectBoard(wsUrl: string, board: BoardRef, token: string, opts: ConnectOptions = {}): BoardClient {
  const doc = opts.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(`${wsUrl}/yjs`, boardDocName(board), doc, {
    params: { token },
    WebSocketPolyfill: (opts.webSocket ?? WebSocket) as unknown as typeof globalThis.WebSocket,
    // In one process, providers of one room would otherwise sync through a BroadcastChannel, around the server.
    disableBc: true,
    connect: opts.connect ?? true,
    maxBackoffTime: opts.maxBackoffTime ?? 250,
    ...(opts.awareness ? { awareness: opts.awareness } : {}),
  });
  const client: BoardClient = {
    doc,
    provider,
    closeCodes: [],
    denied: [],
    step2Received: 0,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
  provider.on('connection-close', (event) => {
    if (event) client.closeCodes.push(event.code);
  });
  const handleSync = provider.messageHandlers[messageSync]!;
  provider.messageHandlers[messageSync] = (encoder, decoder, p, emitSynced, type) => {
    if (decoding.peekVarUint(decoder) === syncProtocol.messageYjsSyncStep2) client.step2Received++;
    handleSync(encoder, decoder, p, emitSynced, type);
  };
  provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
    authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => client.denied.push(reason));
  };
  try {
    onTestFinished(() => client.destroy());
  } catch {
    // Outside a test (the screenshot script): the caller destroys it.
  }
  return client;
}

export function waitForSynced(provider: WebsocketProvider, timeoutMs = 5_000): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return within(new Promise<void>((resolve) => {
    const onSync = (synced: boolean) => {
      if (!synced) return;
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  }), timeoutMs, `${provider.url} to sync`);
}

/** A connected, synced client. */
export async function syncedClient(wsUrl: string, board: BoardRef, token: string, opts: ConnectOptions = {}): Promise<BoardClient> {
  const client = connectBoard(wsUrl, board, token, opts);
  await waitForSynced(client.provider);
  return client;
}

/** The close code of the provider's current socket, once the server closes it. */
export function nextClose(provider: WebsocketProvider, timeoutMs = 5_000): Promise<number> {
  return within(new Promise<number>((resolve) => {
    const onClose = (event: CloseEvent | null) => {
      if (!event) return;
      provider.off('connection-close', onClose);
      resolve(event.code);
    };
    provider.on('connection-close', onClose);
  }), timeoutMs, `${provider.url} to be closed`);
}

/**
 * A barrier on this client's own connection: asks for sync step 1 and waits for the
 * answer. The server handles a connection's messages in order, so once the answer is
 * in, every message this client sent before has been handled and answered.
 * Call it on a synced client.
 */
export async function roundTrip(client: BoardClient, timeoutMs = 5_000): Promise<void> {
  const ws = client.provider.ws;
  if (!ws || !client.provider.synced) throw new Error('roundTrip needs a synced client');
  const before = client.step2Received;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  syncProtocol.writeSyncStep1(encoder, client.doc);
  ws.send(encoding.toUint8Array(encoder));
  await waitFor(() => client.step2Received > before, timeoutMs, 'the answer to a sync step 1');
}
