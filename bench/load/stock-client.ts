// A stock client with its own Y.Doc: y-websocket's WebsocketProvider, or against
// Hocuspocus its own HocuspocusProvider, over `ws`. It applies everything it is sent,
// reads the stamps out of the card texts that grew, and at the end is audited stamp by
// stamp and digested for convergence.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { WebSocket } from 'ws';
import type { Awareness } from 'y-protocols/awareness';
import { addCard, boardTypes } from '../../shared/board.js';
import type { BenchClient, ClientAudit, ClientEvents } from './bench-client.js';
import type { BoardPlan, BoardProtocol } from './protocol.js';
import { clockUs, countStamps, digest, readStamps, stamp, writerAuthor, writerCards } from './stamp.js';

export class StockClient implements BenchClient {
  readonly board: BoardPlan;
  readonly writer: number | null;
  readonly ready: Promise<void>;
  readonly #doc = new Y.Doc();
  readonly #provider: Provider;
  readonly #received = new Map<number, number>();
  #text: Y.Text | null = null;
  ownCardId: string | null = null;

  constructor(wsUrl: string, protocol: BoardProtocol, board: BoardPlan, client: { token: string; name: string; writer: number | null }, t0: () => number, events: ClientEvents) {
    this.board = board;
    this.writer = client.writer;
    this.#provider = (protocol === 'hocuspocus' ? hocuspocusProvider : yWebsocketProvider)(wsUrl, board.docName, this.#doc, client.token, events);
    this.#provider.awareness.setLocalStateField('user', { name: client.name, color: '#3b82f6' });
    boardTypes(this.#doc).cards.observeDeep((changes, txn) => {
      if (txn.local) return;
      const arrivedUs = clockUs(t0());
      for (const change of changes) {
        if (!(change.target instanceof Y.Text)) continue;
        for (const op of change.delta) {
          if (typeof op.insert !== 'string') continue;
          readStamps(op.insert, (w, _seq, sentUs) => {
            events.stamp((arrivedUs - sentUs) / 1000, sentUs, w);
            this.#received.set(w, (this.#received.get(w) ?? 0) + 1);
          });
        }
      }
    });
    this.ready = this.#provider.synced(60_000);
  }

  addOwnCard(): void {
    if (this.writer === null || writerCards(this.#doc).has(this.writer)) return;
    this.ownCardId = addCard(this.#doc, { text: '', author: writerAuthor(this.writer) });
  }

  seesAllCards(): boolean {
    return writerCards(this.#doc).size >= this.board.writers.length;
  }

  type(seq: number, sentUs: number): void {
    this.#text ??= writerCards(this.#doc).get(this.writer!)!;
    this.#text.insert(this.#text.length, stamp(this.writer!, seq, sentUs));
  }

  received(writer: number): number {
    return this.#received.get(writer) ?? 0;
  }

  async audit(expected: Map<number, number>): Promise<ClientAudit> {
    const out: ClientAudit = { missing: 0, duplicates: 0, detail: [], digest: await digest(this.#doc) };
    const held = countStamps(this.#doc);
    const name = this.board.docName;
    for (const writer of this.board.writers) {
      const h = held.get(writer);
      const sent = expected.get(writer) ?? 0;
      if (!h) {
        out.missing += Math.max(1, sent);
        out.detail.push(`${name}: a stock client lacks writer ${writer}'s card`);
        continue;
      }
      if (sent - h.distinct > 0) {
        out.missing += sent - h.distinct;
        out.detail.push(`${name}: a stock client lacks ${sent - h.distinct} of writer ${writer}'s ${sent} updates`);
      }
      out.duplicates += h.duplicates + Math.max(0, h.distinct - sent);
    }
    return out;
  }

  close(): void {
    this.#provider.destroy();
    this.#doc.destroy();
  }
}

/** What the stock client needs of either provider. */
interface Provider {
  readonly awareness: Awareness;
  synced(timeoutMs: number): Promise<void>;
  destroy(): void;
}

function yWebsocketProvider(wsUrl: string, docName: string, doc: Y.Doc, token: string, events: ClientEvents): Provider {
  const provider = new WebsocketProvider(`${wsUrl}/yjs`, docName, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // Providers of one room in one process would otherwise talk through a BroadcastChannel, around the server.
    disableBc: true,
  });
  provider.on('connection-close', () => events.closed());
  provider.on('connection-error', () => events.failed());
  return {
    awareness: provider.awareness,
    synced: (timeoutMs) => whenSynced(provider, `${provider.url} did not sync within ${timeoutMs} ms`, timeoutMs),
    destroy: () => provider.destroy(),
  };
}

/** Hocuspocus's provider on a socket of its own (one board per socket, as in a browser tab), `ws` for WebSocket. */
function hocuspocusProvider(wsUrl: string, docName: string, doc: Y.Doc, token: string, events: ClientEvents): Provider {
  const socket = new HocuspocusProviderWebsocket({ url: `${wsUrl}/yjs/${docName}`, WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: docName, document: doc, token });
  provider.attach();
  provider.on('close', () => events.closed());
  provider.on('authenticationFailed', () => events.failed());
  return {
    awareness: provider.awareness!,
    synced: (timeoutMs) => whenSynced(provider, `${docName} did not sync with Hocuspocus within ${timeoutMs} ms`, timeoutMs),
    destroy: () => (provider.destroy(), socket.destroy()),
  };
}

interface Syncable {
  readonly synced: boolean;
  on(event: 'synced' | 'sync', listener: (arg: boolean | { state: boolean }) => void): unknown;
  off(event: 'synced' | 'sync', listener: (arg: boolean | { state: boolean }) => void): unknown;
}

function whenSynced(provider: WebsocketProvider | HocuspocusProvider, error: string, timeoutMs: number): Promise<void> {
  const p = provider as unknown as Syncable;
  const event = provider instanceof HocuspocusProvider ? 'synced' : 'sync';
  if (p.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(error)), timeoutMs);
    const onSync = (arg: boolean | { state: boolean }) => {
      if (!(typeof arg === 'boolean' ? arg : arg.state)) return;
      clearTimeout(timer);
      p.off(event, onSync);
      resolve();
    };
    p.on(event, onSync);
  });
}
