// Clock offset between a client and the server, NTP-style: of several round trips,
// the fastest gives the tightest bound, and the server time is assumed to be read
// half-way through it.

export interface ClockSample {
  /** Client clock when the ping left. */
  sent: number;
  /** Server clock when it answered. */
  server: number;
  /** Client clock when the answer arrived. */
  received: number;
}

/** Milliseconds to add to the client clock to read the server clock. */
export function estimateOffset(samples: readonly ClockSample[]): number {
  let best: ClockSample | undefined;
  for (const s of samples) if (!best || s.received - s.sent < best.received - best.sent) best = s;
  if (!best) return 0;
  return best.server - (best.sent + best.received) / 2;
}
