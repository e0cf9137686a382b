// The bench's light clients read the stamps of relayed updates without a Y.Doc: one per
// message usually, several when a cluster node relays a hole it filled from the store.
import { describe, expect, it } from 'vitest';
import { stampsIn } from '../../bench/load/light-client.js';

describe('bench light clients: stampsIn', () => {
  const update = (text: string) => Uint8Array.from([0, 2, 5, 1, text.length, ...Buffer.from(text, 'latin1')]);
  it('reads one stamp, or every stamp of a message that carries several (a filled hole)', () => {
    expect(stampsIn(update('1.2.abc;'))).toEqual([[1, 2, parseInt('abc', 36)]]);
    expect(stampsIn(update('1.2.a;3.4.b;5.6.c;'))).toEqual([[1, 2, 10], [3, 4, 11], [5, 6, 12]]);
    expect(stampsIn(Uint8Array.from([0, 1, 2, 3]))).toEqual([]);
  });
});
