// What the client processes hold: board clients of two kinds behind one shape.
// A stock client is y-websocket's WebsocketProvider with a Y.Doc, as a browser runs
// it; a light client speaks the same protocol on a plain socket without a Y.Doc, so
// that a 2-core machine can drive 1,000 connections (see light-client.ts).
import type { BoardPlan } from './protocol.js';

export interface ClientAudit {
  missing: number;
  duplicates: number;
  detail: string[];
  /** A digest of the client's state (stock clients), or null. */
  digest: string | null;
}

export interface BenchClient {
  readonly board: BoardPlan;
  readonly writer: number | null;
  /** Resolves once the client is connected and has the board (stock) or has said hello (light). */
  readonly ready: Promise<void>;
  /** A writer's first change: its card. */
  addOwnCard(): void;
  /** The id of the card `addOwnCard` made, or null (a reader, or not yet). */
  readonly ownCardId: string | null;
  /** Whether every writer card of the board has arrived (light clients cannot tell, and say yes). */
  seesAllCards(): boolean;
  /** Appends one stamp to the writer's card. */
  type(seq: number, sentUs: number): void;
  /** Stamps received from `writer` so far. */
  received(writer: number): number;
  audit(expected: Map<number, number>): Promise<ClientAudit>;
  close(): void;
}

/** What a client reports as it runs. */
export interface ClientEvents {
  /** A stamp `writer` sent at `sentUs` (µs since t0) arrived `latencyMs` later. */
  stamp(latencyMs: number, sentUs: number, writer: number): void;
  closed(): void;
  failed(): void;
}

/** Growable Float64Array. */
export class Samples {
  #data = new Float64Array(1 << 14);
  #length = 0;
  push(v: number): void {
    if (this.#length === this.#data.length) {
      const bigger = new Float64Array(this.#data.length * 2);
      bigger.set(this.#data);
      this.#data = bigger;
    }
    this.#data[this.#length++] = v;
  }
  toArray(): Float64Array {
    return this.#data.slice(0, this.#length);
  }
}
