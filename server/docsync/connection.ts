// One WebSocket bound to one board: decodes y-websocket messages, enforces the
// principal's access on every write, and turns any failure into a close code for
// this connection alone.
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { CloseCode, DENIED_READ_ONLY } from '../../shared/close-codes.js';
import type { BoardAccess, Principal } from '../auth/principal.js';
import type { Logger } from '../lib/logger.js';
import type { RejectReason } from '../lib/metrics.js';
import { type Board, type Peer, BadUpdateError, BoardBrokenError, StorageError } from './board.js';
import type { RelayedMessage } from './relayed-message.js';
import { MessageType, awarenessMessage, permissionDeniedMessage, syncStep1Message, syncStep2Message } from './messages.js';
import { assertDecodableUpdate, deletesBeforeApplying, updateAddsNothing } from './update-check.js';
import { PRESENCE_LIMITS, type PresenceRefusal } from './presence.js';

/** A send buffer this large means the client cannot keep up: drop it rather than grow memory. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** The TCP socket under the WebSocket: what `send` corks, and `relay` writes frames to. */
export type Transport = Pick<Duplex, 'cork' | 'uncork' | 'write' | 'writableLength'>;

class BadMessage extends Error {}

export class BoardConnection implements Peer {
  readonly #ws: WebSocket;
  readonly #board: Board;
  readonly #principal: Principal;
  readonly #access: () => BoardAccess;
  readonly #log: Logger;
  readonly #rejected: (reason: RejectReason) => void;
  readonly #transport: Transport;
  #corked = false;
  #inbox: Promise<void> = Promise.resolve();
  /** Left the board: closed by either side. */
  #closed = false;
  /** Closed by the server (bad input, refused, too slow): nothing more of it is handled. */
  #refused = false;
  /** A dropped presence update has been logged as a warning already. */
  #presenceWarned = false;

  readonly identity: string;
  readonly displayName: string;

  constructor(
    ws: WebSocket, transport: Transport, board: Board, principal: Principal, access: () => BoardAccess, log: Logger,
    rejected: (reason: RejectReason) => void,
  ) {
    this.identity = principal.participantId ?? `${principal.workshopId}:${principal.role}`;
    this.displayName = principal.name || principal.role;
    this.#ws = ws;
    this.#board = board;
    this.#principal = principal;
    this.#access = access;
    this.#log = log;
    this.#rejected = rejected;
    this.#transport = transport;
  }

  /** Joins the board and opens the sync handshake. */
  start(): void {
    this.#board.addPeer(this);
    this.send(syncStep1Message(this.#board.doc));
    const states = [...this.#board.awareness.getStates().keys()];
    if (states.length > 0) this.send(awarenessMessage(this.#board.awareness, states));
  }

  /**
   * Queues one incoming message; messages are handled strictly in arrival order. Edits a
   * client sent before it closed are still stored (it may have typed and left at once,
   * while earlier edits were being stored); after the server closed it, nothing is.
   */
  receive(data: Uint8Array, receivedAt = performance.now()): void {
    this.#inbox = this.#inbox.then(() => (this.#refused ? undefined : this.#handle(data, receivedAt)));
  }

  send(message: Uint8Array): void {
    if (!this.#writable()) return;
    this.#corkForTheTurn();
    this.#ws.send(message, this.#sent);
  }

  relay(message: RelayedMessage): void {
    if (!this.#writable()) return;
    this.#corkForTheTurn();
    // The frame every peer is written (relayed-message.ts); a failed write errors the socket, which `ws` closes.
    this.#transport.write(message.frame);
  }

  /** Open, and keeping up: a client whose send buffer outgrew the limit is dropped instead. */
  #writable(): boolean {
    if (this.#closed || this.#ws.readyState !== this.#ws.OPEN) return false;
    if (this.#transport.writableLength <= MAX_BUFFERED_BYTES) return true;
    this.close(CloseCode.TryAgainLater, 'client too slow');
    return false;
  }

  /**
   * Everything sent to this peer in one turn of the event loop (the updates one store
   * flush answered, their presence) leaves in one write, not one system call a frame.
   */
  #corkForTheTurn(): void {
    if (this.#corked) return;
    this.#transport.cork();
    this.#corked = true;
    process.nextTick(this.#uncork);
  }

  readonly #sent = (err?: Error) => {
    if (err) this.close(CloseCode.TryAgainLater, 'send failed');
  };

  readonly #uncork = () => {
    this.#corked = false;
    this.#transport.uncork();
  };

  close(code: number, reason: string): void {
    this.#refused = true;
    if (this.#closed) return;
    this.dispose();
    this.#ws.close(code, reason);
  }

  /**
   * Leaves the board; called on close, whoever closed. A client that closed leaves once
   * what it sent before is handled, so the board is not unloaded under its last edits.
   */
  dispose(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#refused) this.#board.removePeer(this);
    else this.#inbox = this.#inbox.then(() => this.#board.removePeer(this));
  }

  async #handle(data: Uint8Array, receivedAt: number): Promise<void> {
    try {
      await this.#dispatch(data, receivedAt);
    } catch (err) {
      if (err instanceof StorageError || err instanceof BoardBrokenError) return; // the board closed everyone with 1013
      // Anything else came from decoding or applying this peer's bytes.
      this.#rejected('bad_board_message');
      this.#log.warn('rejected a board message', { board: this.#board.name, who: this.#principal.participantId ?? this.#principal.role, err });
      this.close(CloseCode.BadMessage, err instanceof BadUpdateError ? 'bad update' : 'bad message');
    }
  }

  async #dispatch(data: Uint8Array, receivedAt: number): Promise<void> {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === syncProtocol.messageYjsSyncStep1) {
          if (this.#closed) return; // nobody to answer
          Y.decodeStateVector(payload);
          this.send(syncStep2Message(await this.#board.diffSince(payload)));
        } else if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
          await this.#receiveUpdate(payload, step === syncProtocol.messageYjsSyncStep2, receivedAt);
        } else {
          throw new BadMessage(`unknown sync step ${step}`);
        }
        return;
      }
      case MessageType.Awareness: {
        if (this.#closed) return; // a presence that has left stays gone
        const { refused } = this.#board.applyAwareness(decoding.readVarUint8Array(decoder), this);
        if (refused.length > 0) this.#presenceRefused(refused);
        return;
      }
      case MessageType.QueryAwareness:
        if (this.#board.mayAnswerAwarenessQuery(this)) {
          this.send(awarenessMessage(this.#board.awareness, [...this.#board.awareness.getStates().keys()]));
        } else {
          this.#presenceRefused(['too_fast']);
        }
        return;
      case MessageType.Auth:
        return;
      default:
        throw new BadMessage(`unknown message type ${type}`);
    }
  }

  /** Counted every time, told once per connection: a flood must not flood the log. */
  #presenceRefused(refused: PresenceRefusal[]): void {
    this.#rejected(refused.includes('foreign_id') ? 'foreign_presence' : 'presence_limit');
    const fields = { board: this.#board.name, who: this.#principal.participantId ?? this.#principal.role, refused, limits: PRESENCE_LIMITS };
    if (this.#presenceWarned) {
      this.#log.debug('dropped a presence update', fields);
      return;
    }
    this.#presenceWarned = true;
    const what = refused.includes('foreign_id') ? 'for another person’s client id' : 'over its limits';
    this.#log.warn(`dropped a presence update ${what} (said once per connection)`, fields);
  }

  async #receiveUpdate(update: Uint8Array, isSyncStep2: boolean, receivedAt: number): Promise<void> {
    if (this.#access() !== 'write') {
      assertDecodableUpdate(update); // garbage from a reader is bad input (4400), not a write
      // A reader's handshake reply that only repeats what we have is not a write.
      if (isSyncStep2 && (await this.#board.read((doc) => updateAddsNothing(doc, update)))) return;
      this.#rejected('read_only_write');
      this.#log.debug('dropped a write from a read-only connection', { board: this.#board.name, role: this.#principal.role });
      this.send(permissionDeniedMessage(DENIED_READ_ONLY));
      return;
    }
    // A typing update is decoded once, by Yjs as it applies it; one that deletes is decoded
    // first, for the large-removal check. Bytes Yjs cannot apply break the board (board.ts).
    const deletes = deletesBeforeApplying(update);
    // Asked again when the update's turn comes: a lock set while it waited holds.
    const result = await this.#board.applyUpdate(update, this, () => this.#access() === 'write', deletes, receivedAt);
    if (result === 'refused') {
      this.#rejected('read_only_write');
      this.send(permissionDeniedMessage(DENIED_READ_ONLY));
    } else if (result === 'incomplete') {
      this.#rejected('incomplete_update');
      this.close(CloseCode.TryAgainLater, 'update depends on missing state; resend');
    }
  }
}
