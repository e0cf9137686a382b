// The checks made on untrusted update bytes before they touch a live board.
// updateAddsNothing decides whether a read-only client's sync step 2 may pass
// silently; it must say "adds nothing" only when applying really changes nothing.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { addCard, cardText, removeCard } from '../../shared/board.js';
import { assertDecodableUpdate, deletesBeforeApplying, rangeCovered, updateAddsNothing } from '../../server/docsync/update-check.js';

function docOf(clientID: number, ...updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
}

/** A card written by client 1 and edited in three steps; each step's update kept apart. */
function history() {
  const writer = docOf(1);
  const steps: Uint8Array[] = [];
  writer.on('update', (u: Uint8Array) => steps.push(u));
  const id = addCard(writer, { text: 'abcdef', author: 'Ana' }); // steps[0]
  cardText(writer, id)!.insert(6, 'gh'); // steps[1]
  cardText(writer, id)!.delete(1, 3); // steps[2]: deletes b, c, d
  return { writer, id, steps };
}

/** Whether applying `update` to a copy of `doc` changes its state vector or delete set. */
function reallyAddsNothing(doc: Y.Doc, update: Uint8Array): boolean {
  const copy = docOf(99, Y.encodeStateAsUpdate(doc));
  let changed = false;
  copy.on('update', () => (changed = true));
  Y.applyUpdate(copy, update);
  return !changed && copy.store.pendingStructs === null && copy.store.pendingDs === null;
}

interface Case {
  name: string;
  build(): { doc: Y.Doc; update: Uint8Array };
  addsNothing: boolean;
}

const cases: Case[] = [
  {
    name: 'an empty update',
    build: () => ({ doc: history().writer, update: Y.encodeStateAsUpdate(new Y.Doc()) }),
    addsNothing: true,
  },
  {
    name: 'the doc’s whole state, deletions included',
    build: () => {
      const { writer } = history();
      return { doc: docOf(2, Y.encodeStateAsUpdate(writer)), update: Y.encodeStateAsUpdate(writer) };
    },
    addsNothing: true,
  },
  {
    name: 'what a synced reader answers to sync step 1: no structs, the whole delete set',
    build: () => {
      const { writer } = history();
      const reader = docOf(2, Y.encodeStateAsUpdate(writer));
      return { doc: writer, update: Y.encodeStateAsUpdate(reader, Y.encodeStateVector(writer)) };
    },
    addsNothing: true,
  },
  {
    name: 'an older copy (before the last insert and the deletion)',
    build: () => {
      const { writer, steps } = history();
      return { doc: writer, update: Y.encodeStateAsUpdate(docOf(2, steps[0]!)) };
    },
    addsNothing: true,
  },
  {
    name: 'a doc whose removed card became GC structs, against a copy of it',
    build: () => {
      const writer = docOf(1);
      const id = addCard(writer, { text: 'se va', author: 'Ana' });
      addCard(writer, { text: 'se queda', author: 'Ana' });
      removeCard(writer, id);
      const state = Y.encodeStateAsUpdate(writer);
      return { doc: docOf(2, state), update: state };
    },
    addsNothing: true,
  },
  {
    name: 'a struct of a client the doc has never seen',
    build: () => {
      const { writer } = history();
      const other = docOf(7, Y.encodeStateAsUpdate(writer));
      addCard(other, { text: 'nueva', author: 'Eva' });
      return { doc: writer, update: Y.encodeStateAsUpdate(other, Y.encodeStateVector(writer)) };
    },
    addsNothing: false,
  },
  {
    name: 'a struct that starts inside what the doc has and reaches past it (merged text)',
    build: () => {
      const { writer, steps } = history();
      // The doc has only the first step; the writer's full state carries "abcdefgh" as merged items.
      return { doc: docOf(2, steps[0]!), update: Y.encodeStateAsUpdate(writer) };
    },
    addsNothing: false,
  },
  {
    name: 'only a deletion the doc has not done',
    build: () => {
      const { steps } = history();
      const behind = docOf(2, steps[0]!, steps[1]!);
      return { doc: behind, update: steps[2]! };
    },
    addsNothing: false,
  },
  {
    name: 'a deletion of which the doc has done only a part',
    build: () => {
      const { writer, id, steps } = history();
      const further = docOf(3, ...steps);
      cardText(further, id)!.delete(0, 3); // a, e, f: joins b–d into one longer range
      return { doc: writer, update: Y.encodeStateAsUpdate(further, Y.encodeStateVector(writer)) };
    },
    addsNothing: false,
  },
  {
    name: 'a deletion of items the doc has never seen',
    build: () => {
      const { writer } = history();
      const stranger = docOf(8);
      const id = addCard(stranger, { text: 'xyz', author: 'X' });
      const sv = Y.encodeStateVector(stranger);
      cardText(stranger, id)!.delete(0, 1);
      return { doc: writer, update: Y.encodeStateAsUpdate(stranger, sv) };
    },
    addsNothing: false,
  },
  {
    name: 'deletions the doc has, sent as separate pieces',
    build: () => {
      const writer = docOf(1);
      const id = addCard(writer, { text: 'abcdef', author: 'Ana' });
      const text = cardText(writer, id)!;
      const pieces: Uint8Array[] = [];
      writer.on('update', (u: Uint8Array) => pieces.push(u));
      text.delete(1, 1);
      text.delete(1, 1);
      text.delete(1, 1);
      return { doc: writer, update: Y.mergeUpdates(pieces) };
    },
    addsNothing: true,
  },
];

describe('updateAddsNothing', () => {
  it.each(cases)('$name → $addsNothing', ({ build, addsNothing }) => {
    const { doc, update } = build();
    expect(updateAddsNothing(doc, update)).toBe(addsNothing);
    // The table itself is checked against Yjs: apply to a copy and see whether anything changed.
    expect(reallyAddsNothing(doc, update)).toBe(addsNothing);
  });

  it('skips over a gap (a Skip struct of a merged update) when the doc has what the gap stands for', () => {
    const writer = docOf(1);
    const parts: Uint8Array[] = [];
    writer.on('update', (u: Uint8Array) => parts.push(u));
    for (const text of ['a', 'b', 'c']) addCard(writer, { text, author: 'Ana' });
    const gapped = Y.mergeUpdates([parts[0]!, parts[2]!]); // the middle card left out
    expect(Y.decodeUpdate(gapped).structs.some((s) => s instanceof Y.Skip)).toBe(true);

    expect(updateAddsNothing(writer, gapped)).toBe(true);
    expect(updateAddsNothing(docOf(2, parts[0]!, parts[1]!), gapped)).toBe(false);
  });

  it('throws on bytes that are not an update, like assertDecodableUpdate', () => {
    const { writer } = history();
    const update = Y.encodeStateAsUpdate(writer);
    expect(() => updateAddsNothing(writer, update.subarray(0, update.length - 1))).toThrow();
  });
});

describe('assertDecodableUpdate', () => {
  const whole = Y.encodeStateAsUpdate(history().writer);
  it.each([
    ['a whole update', whole, true],
    ['an empty update', Y.encodeStateAsUpdate(new Y.Doc()), true],
    ['no bytes', new Uint8Array(0), false],
    ['the update without its last byte', whole.subarray(0, whole.length - 1), false],
    ['the first half of the update', whole.subarray(0, whole.length >> 1), false],
    ['garbage', Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), false],
  ])('%s → decodable: %s', (_name, bytes, decodable) => {
    if (decodable) expect(() => assertDecodableUpdate(bytes)).not.toThrow();
    else expect(() => assertDecodableUpdate(bytes)).toThrow();
  });
});

describe('deletesBeforeApplying', () => {
  it('skips the decode of a typing update and decodes one that deletes', () => {
    const { steps } = history();
    expect(deletesBeforeApplying(steps[0]!)).toBe(null); // a new card
    expect(deletesBeforeApplying(steps[1]!)).toBe(null); // typing
    const deletes = deletesBeforeApplying(steps[2]!); // a deletion of three characters
    expect(deletes?.clients.get(1)?.reduce((sum, r) => sum + r.len, 0)).toBe(3);
  });

  it('throws on bytes that cannot be an update and do not end in 0, changing nothing', () => {
    expect(() => deletesBeforeApplying(new Uint8Array(0))).toThrow();
    expect(() => deletesBeforeApplying(Uint8Array.from([0xff, 0xff, 0xff, 0x7f]))).toThrow();
  });

  // The claim the write path rests on: a stock Yjs encoder's update ends in 0 exactly when it
  // deletes nothing, so an honest update that deletes is always measured before it is applied.
  it('for updates written by Yjs, returns null exactly when the update deletes nothing (random edits)', () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), text: fc.string({ maxLength: 40 }) }),
      fc.record({ kind: fc.constant('type' as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 300 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }),
      fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 2 ** 31 }), (edits, clientID) => {
        const doc = docOf(clientID);
        const updates: Uint8Array[] = [];
        doc.on('update', (u: Uint8Array) => updates.push(u));
        const ids: string[] = [];
        for (const e of edits) {
          if (e.kind === 'add' || ids.length === 0) ids.push(addCard(doc, { text: e.kind === 'add' ? e.text : 'x', author: 'Ana' }));
          else if (e.kind === 'remove') removeCard(doc, ids.splice(e.at % ids.length, 1)[0]!);
          else {
            const text = cardText(doc, ids[e.at % ids.length]!)!;
            if (e.kind === 'type') text.insert(e.at % (text.length + 1), e.text);
            else if (text.length > 0) text.delete(e.at % text.length, Math.min(e.len, text.length - (e.at % text.length)));
          }
        }
        // A reconnecting client's sync step 2 (its whole state) goes the same way.
        updates.push(Y.encodeStateAsUpdate(doc));
        for (const update of updates) {
          const deletesSomething = Y.decodeUpdate(update).ds.clients.size > 0;
          expect(deletesBeforeApplying(update) !== null).toBe(deletesSomething);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('rangeCovered', () => {
  const r = (clock: number, len: number) => ({ clock, len });
  it.each([
    ['no ranges', [], 0, 1, false],
    ['an empty range, with no ranges', [], 3, 0, true],
    ['exactly one range', [r(0, 5)], 0, 5, true],
    ['inside one range', [r(0, 5)], 1, 3, true],
    ['starting inside, ending past one range', [r(0, 5)], 3, 5, false],
    ['starting before one range', [r(2, 5)], 1, 3, false],
    ['after every range', [r(0, 2)], 4, 1, false],
    ['across two adjacent ranges', [r(0, 2), r(2, 3)], 0, 5, true],
    ['across a gap between two ranges', [r(0, 2), r(3, 2)], 0, 5, false],
    ['ending exactly where a gap starts', [r(0, 2), r(3, 2)], 0, 2, true],
    ['inside the second of several ranges', [r(0, 1), r(4, 4), r(10, 1)], 5, 3, true],
    ['across overlapping ranges', [r(0, 4), r(2, 4)], 1, 5, true],
    ['within a range that a shorter one precedes', [r(0, 1), r(0, 10)], 0, 10, true],
  ])('%s: %j covers [%i, +%i) → %s', (_name, ranges, clock, len, covered) => {
    expect(rangeCovered(ranges, clock, len)).toBe(covered);
  });
});
