// A frequent announcement to a whole workshop is sent shard by shard, one turn of the event
// loop each (server/facilitation/room-shards.ts), so board relays are not held behind it.
import { describe, expect, it } from 'vitest';
import { ROOM_SHARDS, RoomShards } from '../../server/facilitation/room-shards.js';

describe('RoomShards', () => {
  it('deals shards in turn, evenly', () => {
    const shards = new RoomShards();
    const dealt = Array.from({ length: 3 * ROOM_SHARDS }, () => shards.deal());
    for (let k = 0; k < ROOM_SHARDS; k++) expect(dealt.filter((s) => s === k)).toHaveLength(3);
  });

  it('sends to every shard once, in order, each in its own turn: work queued meanwhile runs between', async () => {
    const shards = new RoomShards();
    const log: string[] = [];
    const spread = shards.spread((k) => {
      log.push(`shard ${k}`);
      setImmediate(() => log.push(`relay after ${k}`)); // what a board relays in the meantime
    });
    expect(log).toEqual(['shard 0']); // the first at once
    await spread;
    const sent = log.filter((e) => e.startsWith('shard'));
    expect(sent).toEqual(Array.from({ length: ROOM_SHARDS }, (_, k) => `shard ${k}`));
    for (let k = 0; k < ROOM_SHARDS - 1; k++) expect(log.indexOf(`relay after ${k}`)).toBeLessThan(log.indexOf(`shard ${k + 1}`));
  });
});
