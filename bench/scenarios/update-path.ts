// 11. One decode per update (issue 13 §1): what a writer's update costs on the board's
// write path, decoded first then applied (as before) against applied once by Yjs, which
// decodes it as it applies it (a typing update: `deletesBeforeApplying` returns null).
// Both through the same Board (its queue, shape check, capture of what Yjs emits, the
// append to a store that answers at once, the relay to one peer), in alternating rounds
// of one process, so the ratio holds on a machine whose speed changes; and Yjs alone.
// Counted in CPU time of the process, medians of the rounds.
import * as Y from 'yjs';
import { addCard, cardText, initBoard, listCards } from '../../shared/board.js';
import { Board, type Peer } from '../../server/docsync/board.js';
import { assertDecodableUpdate, deletesBeforeApplying, type DeleteSet } from '../../server/docsync/update-check.js';
import { silentLogger } from '../../server/lib/logger.js';
import type { Store } from '../../server/store/store.js';
import { check, type Scenario } from '../lib/scenario.js';
import { table, times } from '../lib/stats.js';

/**
 * Cards the typing is spread over: enough that the full run's 5,000 stamps (~22 characters)
 * keep each card under BOARD_LIMITS.cardText, past which the shape check would cut them.
 */
const CARDS = 100;

/**
 * A board as a group has it mid-session, and what a client sends typing into it (one
 * keystroke an update, or a paste of `piece` an update) and deleting.
 */
export function workload(keystrokes: number, piece: (i: number) => string) {
  const client = new Y.Doc();
  initBoard(client, { title: 'Grupo A', question: '¿Qué proponemos?', language: 'es', sections: ['Diagnóstico', 'Propuestas'] });
  for (let i = 0; i < CARDS; i++) addCard(client, { text: `Idea ${i + 1}: articular a los actores del territorio`, author: 'Ana' });
  const initial = Y.encodeStateAsUpdate(client);
  const ids = listCards(client).map((c) => c.id);
  const typing: Uint8Array[] = [];
  const backspaces: Uint8Array[] = [];
  let into = typing;
  client.on('update', (u: Uint8Array) => into.push(u));
  for (let i = 0; i < keystrokes; i++) {
    const text = cardText(client, ids[i % ids.length]!)!;
    text.insert(text.length, piece(i));
  }
  into = backspaces;
  for (let i = 0; i < keystrokes / 10; i++) {
    const text = cardText(client, ids[i % ids.length]!)!;
    text.delete(text.length - 1, 1);
  }
  return { initial, typing, backspaces };
}

/** What the bench's writers send: `<writer>.<seq>.<µs since t0>;` appended to their card. */
export const benchStamp = (i: number): string => `w${i % 30}.${i}.${(i * 48_611) % 100_000_000};`;

/** A store that answers every append at once: the rounds measure the write path, not a disk. */
function instantStore(): Store {
  let seq = 0;
  const store: Pick<Store, 'appendUpdate' | 'compactDoc'> = {
    appendUpdate: () => Promise.resolve(++seq),
    compactDoc: () => Promise.resolve(true),
  };
  return store as Store;
}

const peer = (identity: string): Peer => ({ identity, displayName: identity, send() {}, relay() {}, close() {} });

/** Microseconds per update of one round: a fresh board loaded with `initial`, then every update applied as a board socket does. */
export async function boardRound(initial: Uint8Array, updates: readonly Uint8Array[], decode: (u: Uint8Array) => DeleteSet | null): Promise<number> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, initial);
  const board = new Board('w/g', doc, { lastSeq: 0, updates: 0 }, {
    store: instantStore(), log: silentLogger, compactEvery: Number.MAX_SAFE_INTEGER, idleMs: 3_600_000, onIdle() {}, onBroken() {},
  });
  const writer = peer('writer');
  board.addPeer(writer);
  board.addPeer(peer('reader'));
  const began = process.cpuUsage();
  for (const u of updates) {
    const result = await board.applyUpdate(u, writer, () => true, decode(u));
    if (result !== 'applied') throw new Error(`an update was ${result} (#${updates.indexOf(u)} of ${updates.length})`);
  }
  const us = cpuSince(began) / updates.length;
  await board.read(() => undefined);
  board.destroy();
  return us;
}

/**
 * Microseconds per update of Yjs alone: a fresh doc, every update applied (decoded first or
 * not); `listened`: with an `update` listener, as a board's doc has (Yjs then encodes each).
 */
export function yjsRound(initial: Uint8Array, updates: readonly Uint8Array[], decodeFirst: boolean, listened = false): number {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, initial);
  if (listened) doc.on('update', () => undefined);
  const began = process.cpuUsage();
  for (const u of updates) {
    if (decodeFirst) Y.decodeUpdate(u);
    Y.applyUpdate(doc, u);
  }
  return cpuSince(began) / updates.length;
}

/** CPU microseconds this process used since `began`: a loaded machine disturbs it far less than wall-clock time. */
function cpuSince(began: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(began);
  return used.user + used.system;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const updatePath: Scenario = {
  name: 'update-path',
  title: '11. One decode per update: a writer’s update on the board’s write path, decoded then applied (before) vs applied once (now)',
  async run({ quick }) {
    const keystrokes = quick ? 2_000 : 5_000;
    const rounds = quick ? 15 : 41;
    const workloads = [
      { name: 'keystrokes (1 character an update)', ...workload(keystrokes, (i) => 'abcdefghij'[i % 10]!) },
      { name: 'bench stamps (~20 characters an update)', ...workload(keystrokes, benchStamp) },
    ];
    const rows: string[][] = [['per update (median of rounds)', 'before: decode, then apply', 'now: apply once', 'now ÷ before']];
    const checks = [];
    const failures: string[] = [];
    for (const { name, initial, typing, backspaces } of workloads) {
      const typingFast = typing.filter((u) => deletesBeforeApplying(u) === null).length;
      const backspacesDecoded = backspaces.filter((u) => deletesBeforeApplying(u) !== null).length;
      if (typingFast !== typing.length || backspacesDecoded !== backspaces.length) failures.push(`${name}: an update took the wrong path`);
      const all = [...typing, ...backspaces];
      const before: number[] = [];
      const now: number[] = [];
      const yjsBoth: number[] = [];
      const yjsApply: number[] = [];
      const decodeOnly: number[] = [];
      await boardRound(initial, all, deletesBeforeApplying); // warm-up
      for (let r = 0; r < rounds; r++) {
        // Alternating, and in either order, so neither path gets the warmer half of the machine.
        if (r % 2 === 0) {
          before.push(await boardRound(initial, all, assertDecodableUpdate));
          now.push(await boardRound(initial, all, deletesBeforeApplying));
        } else {
          now.push(await boardRound(initial, all, deletesBeforeApplying));
          before.push(await boardRound(initial, all, assertDecodableUpdate));
        }
        if (r % 2 === 0) {
          yjsBoth.push(yjsRound(initial, typing, true));
          yjsApply.push(yjsRound(initial, typing, false));
        } else {
          yjsApply.push(yjsRound(initial, typing, false));
          yjsBoth.push(yjsRound(initial, typing, true));
        }
        const began = process.cpuUsage();
        for (let k = 0; k < 10; k++) for (const u of typing) Y.decodeUpdate(u);
        decodeOnly.push(cpuSince(began) / typing.length / 10);
      }
      const b = median(before);
      const n = median(now);
      const size = typing.reduce((sum, u) => sum + u.length, 0) / typing.length;
      rows.push(
        [name, '', '', ''],
        [`  Board.applyUpdate (${typing.length} typing, ${backspaces.length} backspaces)`, `${b.toFixed(1)} µs`, `${n.toFixed(1)} µs`, times(n / b)],
        [`  Yjs alone, typing (${size.toFixed(0)} bytes an update)`, `${median(yjsBoth).toFixed(1)} µs`, `${median(yjsApply).toFixed(1)} µs`, times(median(yjsApply) / median(yjsBoth))],
        ['  Y.decodeUpdate of a typing update alone', `${median(decodeOnly).toFixed(1)} µs`, '', ''],
        ['  typing updates applied without a decode first', '', `${typingFast} of ${typing.length}`, ''],
        ['  backspace updates decoded first (removal check)', `${backspaces.length} of ${backspaces.length}`, `${backspacesDecoded} of ${backspaces.length}`, ''],
      );
      checks.push(check(`one decode per typing update (${name}): no slower than decode + apply`, `${times(n / b)} (${n.toFixed(1)} vs ${b.toFixed(1)} µs)`, n <= b));
    }
    return { figures: table(rows), checks, failures };
  },
};
