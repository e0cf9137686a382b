// Measures how far the server's clock is from ours: a few clock:ping round trips,
// one after another, read with shared/clock.ts (the fastest trip wins).
import { estimateOffset, type ClockSample } from '../../../shared/clock.js';

/** One round trip: the server's time for a ping sent now. */
export type Ping = (clientTime: number) => Promise<number>;

export const CLOCK_SAMPLES = 5;

/** The offset to add to `now()` to read the server clock, or null when no ping came back. */
export async function measureOffset(ping: Ping, now: () => number, count = CLOCK_SAMPLES): Promise<number | null> {
  const samples: ClockSample[] = [];
  for (let i = 0; i < count; i++) {
    const sent = now();
    try {
      const server = await ping(sent);
      samples.push({ sent, server, received: now() });
    } catch {
      // a lost ping: the others still tell
    }
  }
  return samples.length > 0 ? estimateOffset(samples) : null;
}
