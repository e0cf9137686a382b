// A message to every socket of a workshop is one socket write per person: for 1,000 online,
// ~15 ms in which no board update is relayed (measured: the board fan-out p99 went ×4.5 while
// a plenary vote was announced each second). So each socket of a workshop is also in one of
// 64 shard rooms, dealt in turn, and a frequent announcement to the whole room is sent
// shard by shard, one turn of the event loop each: the boards' relays go in between. With 8
// shards (125 sockets, ~250 writes a turn) the server's own relay p99 still went from 1.5 to
// 9.2 ms while a vote was announced, with 32 to 4.0 ms, with 64 it stayed at 2.1–2.3 ms
// (bench/RESULTS.md, plenary vote). A small room's empty shards cost a turn each, nothing more.
// (Socket.IO encodes a broadcast once per emit: one encoding per shard.)
import { setImmediate as nextTurn } from 'node:timers/promises';

export const ROOM_SHARDS = 64;

export class RoomShards {
  #next = 0;

  /** The shard for a socket joining now: dealt in turn, so shards stay even as people come and go. */
  deal(): number {
    const shard = this.#next;
    this.#next = (this.#next + 1) % ROOM_SHARDS;
    return shard;
  }

  /** Calls `send` for every shard, each in its own turn of the event loop; resolves after the last. */
  async spread(send: (shard: number) => void): Promise<void> {
    for (let shard = 0; shard < ROOM_SHARDS; shard++) {
      if (shard > 0) await nextTurn();
      send(shard);
    }
  }
}
