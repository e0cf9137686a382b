// Presence on the facilitation channel: who is online is announced in a few updates per
// burst of connections, not once per connection (a room of 1,000 arriving sent gigabytes:
// bench/RESULTS.md), and only to the facilitators, whose console alone shows it (the whole
// list to every phone was ~100 KB each, every 5 s while a room of 1,000 arrived).
import { describe, expect, it } from 'vitest';
import { setupWorkshop } from '../helpers/api.js';
import { connectSocket, flush } from '../helpers/facilitation.js';
import { startServer } from '../helpers/server.js';

describe('presence:update', () => {
  it('a burst of 20 connections reaches the console in a few updates, the last one listing everyone; participants hear none', async () => {
    const t = await startServer();
    const w = await setupWorkshop(t.url);
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    const early = await connectSocket(t.url, await w.participant('A', 'Primera'));
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => w.participant(i % 2 === 0 ? 'A' : 'B', `Persona ${i}`)));
    const burst = await Promise.all(tokens.map((token) => connectSocket(t.url, token)));

    const [presence] = await facilitator.next('presence:update', (p) => p.length === 22);
    expect(presence.map((p) => p.name)).toContain('Persona 19');
    expect(presence.filter((p) => p.role === 'participant' && p.groupId === w.boardA.groupId)).toHaveLength(11);
    expect(facilitator.all('presence:update').length).toBeLessThanOrEqual(5);
    // A late console gets everyone in its snapshot.
    const late = await connectSocket(t.url, w.facilitatorToken);
    expect(late.snapshot.presence).toHaveLength(22);

    // The phones were sent none of it: not in their snapshot, not as updates.
    await flush(early);
    for (const participant of [early, ...burst]) {
      expect(participant.snapshot.presence).toEqual([]);
      expect(participant.all('presence:update')).toEqual([]);
    }
  });
});
