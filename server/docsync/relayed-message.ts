// A message the board sends to many peers at once (a stored update, a presence change),
// framed once as a WebSocket frame and that same frame written to every peer's socket.
// Through `ws.send`, each peer cost a frame header, two writes into its socket and a
// callback: ~5 % of the server's CPU per delivery (bench/relay-frame.ts, bench/RESULTS.md).
// What is left is the write system call itself.
//
// Writing the frame to the socket directly keeps it in order with what `ws` writes itself
// only because `ws` writes synchronously: no permessage-deflate (endpoint.ts turns it
// off) and no Blob sent. The frame is what a server sends (RFC 6455 §5.2): FIN, binary,
// unmasked.

/** Frame header's first byte: FIN set, opcode 2 (binary). */
const FIN_BINARY = 0x82;

export class RelayedMessage {
  /** The y-websocket message. */
  readonly #bytes: Uint8Array;
  #frame: Buffer | null = null;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** The message as one binary WebSocket frame, built on first use (no peer: never) and shared by every peer. */
  get frame(): Buffer {
    this.#frame ??= binaryFrame(this.#bytes);
    return this.#frame;
  }
}

/** One unfragmented, unmasked binary frame holding `payload`. */
export function binaryFrame(payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const header = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = FIN_BINARY;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 0x10000) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(payload, header);
  return frame;
}
