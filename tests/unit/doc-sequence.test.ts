// Which stored updates a copy of a board holds: compaction may fold only through the
// contiguous head, whatever order this node's own and other nodes' numbers arrive in.
// What arrives past a hole is held back, and what is still missing before it counted.
import { describe, expect, it } from 'vitest';
import { DocSequence } from '../../server/docsync/doc-sequence.js';
import { HeldBack } from '../../server/docsync/held-back.js';

describe('DocSequence', () => {
  it('advances the head only over numbers with no hole before them', () => {
    const seq = new DocSequence(4);
    expect(seq.followsHead(5)).toBe(true);
    seq.add(7); // this node's own, stored while 5 and 6 (another node's) are on their way
    expect([seq.head, seq.latest, seq.hasHoles]).toEqual([4, 7, true]);
    expect(seq.followsHead(6)).toBe(false);
    seq.add(5);
    expect(seq.head).toBe(5);
    seq.add(6);
    expect([seq.head, seq.latest, seq.hasHoles]).toEqual([7, 7, false]);
  });

  it('knows what it holds: numbers through the head and those past a hole, nothing else', () => {
    const seq = new DocSequence(2);
    seq.add(5);
    expect([1, 2, 3, 4, 5, 6].map((n) => seq.has(n))).toEqual([true, true, false, false, true, false]);
    seq.add(2); // a duplicate changes nothing
    expect(seq.head).toBe(2);
  });

  it('takes everything through a number read from the store, keeping what lies past it', () => {
    const seq = new DocSequence(0);
    seq.add(3);
    seq.add(9);
    seq.addThrough(7); // the store held 1…7
    expect([seq.head, seq.latest, seq.has(8), seq.has(9)]).toEqual([7, 9, false, true]);
    seq.add(8);
    expect([seq.head, seq.hasHoles]).toEqual([9, false]);
    seq.addThrough(5); // older news changes nothing
    expect(seq.head).toBe(9);
  });
});

describe('HeldBack', () => {
  it('counts the numbers still missing before the highest held back, apart from those the doc holds', () => {
    const seq = new DocSequence(4);
    const held = new HeldBack();
    expect(held.missing(seq)).toBe(0);
    held.hold(9, new Uint8Array([9]));
    expect(held.missing(seq)).toBe(4); // 5, 6, 7, 8
    seq.add(6); // this node's own, answered
    held.hold(7, new Uint8Array([7]));
    expect(held.missing(seq)).toBe(2); // 5, 8
    expect(held.take(5)).toBeUndefined();
    seq.add(5);
    expect([seq.head, held.missing(seq)]).toEqual([6, 1]); // 8
    expect(held.take(7)).toEqual(new Uint8Array([7]));
    seq.add(7);
    expect(held.missing(seq)).toBe(1);
    held.dropThrough(9); // read from the store through 9
    expect([held.size, held.missing(seq)]).toEqual([0, 0]);
  });
});
