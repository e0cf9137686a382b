// One generation of a board's live state: a Y.Doc, the y-websocket provider that syncs
// it with the server, and the local IndexedDB copy that keeps edits made offline.
// It reports what happens on the wire; deciding what to do about it is the session's job.
import * as Y from 'yjs';
import * as authProtocol from 'y-protocols/auth';
import { WebsocketProvider, messageAuth } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { Awareness } from 'y-protocols/awareness';

export interface LocalCopy {
  destroy(): Promise<void>;
  clearData(): Promise<void>;
}
export type LocalCopyFactory = (name: string, doc: Y.Doc) => LocalCopy;

export const indexedDbCopy: LocalCopyFactory = (name, doc) => new IndexeddbPersistence(name, doc);

export interface BoardConnectionOptions {
  /** `ws(s)://host/yjs` */
  serverUrl: string;
  /** `<workshopId>/<groupId>` */
  room: string;
  token: string;
  /** Where the local copy lives, and how to open it; null keeps no local copy. */
  localCopy: { name: string; open: LocalCopyFactory } | null;
  /** The local copy opens only once this resolves (a previous generation's copy must be gone first). */
  after?: Promise<unknown>;
  WebSocketPolyfill?: typeof WebSocket;
}

export interface BoardConnectionListener {
  /** The socket opened, closed or (de)synced. */
  changed(): void;
  /** The server dropped one of our writes and said why. */
  denied(reason: string): void;
  /** A socket closed with this code (null when we closed it ourselves). */
  dropped(code: number | null): void;
  /** The server said reconnecting cannot help (44xx): the provider gave up. */
  closed(code: number, reason: string): void;
}

export class BoardConnection {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly #localCopy: Promise<LocalCopy | null>;
  #shutDown = false;

  constructor(opts: BoardConnectionOptions, listener: BoardConnectionListener) {
    const provider = new WebsocketProvider(opts.serverUrl, opts.room, this.doc, {
      params: { token: opts.token },
      ...(opts.WebSocketPolyfill ? { WebSocketPolyfill: opts.WebSocketPolyfill } : {}),
    });
    this.provider = provider;
    // The stock handler only logs a refusal; we need to know, to drop the refused edit.
    provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
      authProtocol.readAuthMessage(decoder, this.doc, (_doc, reason) => listener.denied(reason));
    };
    provider.on('status', ({ status }) => {
      // Say our presence anew on every connection: a server that saw the old socket
      // close has dropped it, and ignores the same clock repeated.
      const own = provider.awareness.getLocalState();
      if (status === 'connected' && own !== null) provider.awareness.setLocalState({ ...own });
      listener.changed();
    });
    provider.on('sync', () => listener.changed());
    provider.on('connection-close', (event) => listener.dropped(event?.code ?? null));
    provider.on('closed', ({ code, reason }) => listener.closed(code, reason));

    const { localCopy } = opts;
    this.#localCopy = localCopy
      ? Promise.resolve(opts.after)
          .catch(() => undefined)
          .then(() => (this.#shutDown ? null : localCopy.open(localCopy.name, this.doc)))
      : Promise.resolve(null);
  }

  get awareness(): Awareness {
    return this.provider.awareness;
  }

  get connected(): boolean {
    return this.provider.wsconnected;
  }

  get synced(): boolean {
    return this.provider.synced;
  }

  /** Has the socket failed since it last synced? */
  get failing(): boolean {
    return this.provider.wsUnsuccessfulReconnects > 0;
  }

  reconnect(): void {
    if (!this.#shutDown && !this.provider.wsconnected) this.provider.connect();
  }

  /**
   * Disconnects and closes the local copy (deleting it when `clearLocal`). The doc
   * itself is left to `destroyDoc`, once nothing on screen is bound to it any more.
   */
  async shutdown({ clearLocal }: { clearLocal: boolean }): Promise<void> {
    if (this.#shutDown) return;
    this.#shutDown = true;
    this.provider.destroy();
    this.provider.awareness.destroy();
    const copy = await this.#localCopy;
    if (copy) await (clearLocal ? copy.clearData() : copy.destroy());
  }

  destroyDoc(): void {
    this.doc.destroy();
  }
}
