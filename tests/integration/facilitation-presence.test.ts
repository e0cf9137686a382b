// Presence on the facilitation channel: who is online goes to every socket of the
// workshop, so it is announced in a few updates per burst of connections, not once per
// connection to everyone (a room of 1,000 arriving sent gigabytes: bench/RESULTS.md).
import { describe, expect, it } from 'vitest';
import { setupWorkshop } from '../helpers/api.js';
import { connectSocket } from '../helpers/facilitation.js';
import { startServer } from '../helpers/server.js';

describe('presence:update', () => {
  it('a burst of 20 connections reaches an early socket in a few updates, the last one listing everyone', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const early = await connectSocket(t.url, await w.participant('A', 'Primera'));
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => w.participant(i % 2 === 0 ? 'A' : 'B', `Persona ${i}`)));
    await Promise.all(tokens.map((token) => connectSocket(t.url, token)));

    const [presence] = await early.next('presence:update', (p) => p.length === 21);
    expect(presence.map((p) => p.name)).toContain('Persona 19');
    expect(early.all('presence:update').length).toBeLessThanOrEqual(5);
  });
});
