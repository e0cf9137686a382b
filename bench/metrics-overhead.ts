// npx tsx bench/metrics-overhead.ts [updates]
// What the metrics cost a board's write path: the same updates applied, stored (SQLite,
// group commit) and relayed to 30 peers by a board with metrics and by one without,
// in alternating rounds; and the metric calls one update makes, alone, in a tight loop.
// Counted in CPU time of the whole process, which a busy machine disturbs
// far less than wall-clock time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { addCard } from '../shared/board.js';
import type { Peer } from '../server/docsync/board.js';
import { BoardRegistry } from '../server/docsync/registry.js';
import { deletesBeforeApplying } from '../server/docsync/update-check.js';
import { silentLogger } from '../server/lib/logger.js';
import { ServerMetrics } from '../server/lib/metrics.js';
import { SqliteStore } from '../server/store/sqlite.js';

const UPDATES = Number(process.argv[2] ?? 4_000);
const ROUNDS = 10;
const PEERS = 30;

/** Updates as a client sends them: one card each. */
function makeUpdates(n: number): Uint8Array[] {
  const doc = new Y.Doc();
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  for (let i = 0; i < n; i++) addCard(doc, { text: `idea ${i}`, author: 'bench' });
  return out;
}

const peer = (identity: string): Peer & { received: number } => ({
  identity, displayName: identity, received: 0, send() { this.received++; }, relay() { this.received++; }, close() {},
});

async function round(store: SqliteStore, metrics: ServerMetrics | undefined, name: string, updates: Uint8Array[]): Promise<number> {
  const registry = new BoardRegistry({ store, log: silentLogger, metrics, idleMs: 60_000, compactEvery: 1_000_000 });
  const board = await registry.open(name);
  const writer = peer('writer');
  const watchers = Array.from({ length: PEERS - 1 }, (_, i) => peer(`w${i}`));
  for (const p of [writer, ...watchers]) board.addPeer(p);
  const started = process.cpuUsage();
  // As a board socket does: an update that deletes is decoded first (the large-removal check), then applied.
  for (const u of updates) await board.applyUpdate(u, writer, () => true, deletesBeforeApplying(u), performance.now());
  await board.read(() => undefined); // answered once everything before it is stored and relayed
  const used = process.cpuUsage(started);
  const perUpdateUs = (used.user + used.system) / updates.length;
  if (watchers.some((w) => w.received !== updates.length)) throw new Error('not every update was relayed');
  board.retire();
  await board.settled();
  board.destroy();
  return perUpdateUs;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'relatoria-metrics-bench-'));
const store = new SqliteStore(join(dir, 'bench.db'));
const metrics = new ServerMetrics({ processDefaults: true });
const without: number[] = [];
const withMetrics: number[] = [];
try {
  await round(store, metrics, 'warm/up', makeUpdates(500));
  for (let r = 0; r < ROUNDS; r++) {
    // Each round writes a fresh board: the same amount of work either way. The order
    // alternates, so the file growing and checkpoints falling due favour neither side.
    const plain = () => round(store, undefined, `plain/${r}`, makeUpdates(UPDATES)).then((us) => without.push(us));
    const measured = () => round(store, metrics, `metrics/${r}`, makeUpdates(UPDATES)).then((us) => withMetrics.push(us));
    if (r % 2 === 0) await plain().then(measured);
    else await measured().then(plain);
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

// The calls one relayed update makes: a counter, two histograms, three clock reads.
const CALLS = 1_000_000;
const started = process.cpuUsage();
for (let i = 0; i < CALLS; i++) {
  const t0 = performance.now();
  metrics.storeAppended((performance.now() - t0) / 1000);
  metrics.relayed((performance.now() - t0) / 1000);
  metrics.boardUpdates(1);
}
const spent = process.cpuUsage(started);
const callsNs = ((spent.user + spent.system) * 1000) / CALLS;

const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' ');
console.log(`${UPDATES} updates a round, ${ROUNDS} rounds each, relayed to ${PEERS - 1} peers, SQLite group commit`);
console.log(`without metrics: median ${median(without).toFixed(1)} µs of CPU an update  (rounds: ${fmt(without)})`);
console.log(`with metrics:    median ${median(withMetrics).toFixed(1)} µs of CPU an update  (rounds: ${fmt(withMetrics)})`);
console.log(`difference: ${(((median(withMetrics) - median(without)) / median(without)) * 100).toFixed(1)} %`);
console.log(`the metric calls of one update, alone: ${callsNs.toFixed(0)} ns of CPU`);
