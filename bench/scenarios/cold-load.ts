// 3. Cold load: a board with 500 cards, 50 KB of draft text and 20,000 updates of
// history; how long until a new stock client is synced when the server must load the
// board from the store — first from the 20,000-update log, then (after the board was
// unloaded and compacted) from its one snapshot. Warm (board in memory) for contrast.
import { join } from 'node:path';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket } from 'ws';
import { listCards } from '../../shared/board.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { writeHistory } from '../lib/board-history.js';
import { check, type Scenario } from '../lib/scenario.js';
import { spawnRelatoria } from '../lib/server-process.js';
import { kb, ms, summarize, table } from '../lib/stats.js';
import { createThroughApi } from '../lib/workshop-setup.js';

const SHAPE = { updates: 20_000, cards: 500, draftChars: 50 * 1024, authors: 10 };
const IDLE_MS = 1_000;

export const coldLoad: Scenario = {
  name: 'cold-load',
  title: '3. Cold load: 500 cards, 50 KB of draft, 20,000 updates of history',
  async run({ quick, log }) {
    const boards = quick ? 1 : 3;
    const afterRounds = quick ? 2 : 5;
    const server = await spawnRelatoria({ boardIdleMs: IDLE_MS });
    try {
      const workshop = await createThroughApi(server.url, { groups: boards, perGroup: 1 });
      const names = workshop.groups.map((g) => `${workshop.id}/${g.id}`);
      const tokens = workshop.groups.map((g) => g.participants[0]!.token);

      // The history goes straight into the store, as if written over an afternoon.
      const store = new SqliteStore(join(server.dataDir!, 'relatoria.db'), { groupCommit: false });
      let logBytes = 0;
      const loadInProcess: number[] = [];
      try {
        for (const name of names) {
          const stored = await store.loadDoc(name);
          const history = writeHistory([...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates], SHAPE);
          store.db.transaction(() => history.forEach((u) => void store.appendUpdate(name, u)))();
          logBytes = history.reduce((n, u) => n + u.length, 0);
          loadInProcess.push(await timeStoreLoad(store, name));
        }
      } finally {
        await store.close();
      }
      log(`  history written: ${boards} board(s) × ${SHAPE.updates} updates (${kb(logBytes)} each)`);
      // Writing the history kept this process busy for seconds, past the server's keep-alive
      // timeout: let the event loop see the pooled HTTP connection close before reusing it.
      await sleep(200);
      // The workshop's session is loaded once by its first connection; do it now so it is not timed.
      await fetch(`${server.url}/api/workshops/${workshop.id}`, { headers: { authorization: `Bearer ${workshop.facilitatorToken}` } });

      const before: number[] = [];
      const warm: number[] = [];
      for (const [i, name] of names.entries()) {
        before.push(await timeToSync(server.wsUrl, name, tokens[i]!));
        warm.push(await timeToSync(server.wsUrl, name, tokens[i]!));
      }
      await until(() => allCompacted(server.dataDir!, names), 30_000);
      await sleep(IDLE_MS + 500);
      const snapshotBytes = snapshotSize(server.dataDir!, names[0]!);

      const after: number[] = [];
      for (let round = 0; round < afterRounds; round++) {
        for (const [i, name] of names.entries()) after.push(await timeToSync(server.wsUrl, name, tokens[i]!));
        await sleep(IDLE_MS + 500); // unloaded again before the next round
      }
      const store2 = new SqliteStore(join(server.dataDir!, 'relatoria.db'));
      const snapshotLoad = await timeStoreLoad(store2, names[0]!).finally(() => store2.close());
      const clientApply = timeClientApply(server.dataDir!, names[0]!);

      const b = summarize(before);
      const a = summarize(after);
      const w = summarize(warm);
      return {
        figures: [
          `${boards} board(s); each new client is a stock y-websocket provider (participant token) timed from creation to 'synced'.`,
          table([
            ['', 'median', 'max', 'samples'],
            ['cold, from 20,000 updates (before compaction)', ms(b.p50), ms(b.max), String(b.count)],
            ['warm, board already in memory', ms(w.p50), ms(w.max), String(w.count)],
            ['cold, from the snapshot (after compaction)', ms(a.p50), ms(a.max), String(a.count)],
          ]),
          table([
            ['where the time goes (measured in the bench process)', ''],
            ['update log: size', kb(logBytes)],
            ['update log: read + apply, as the server loads it', ms(summarize(loadInProcess).p50)],
            ['snapshot: size', kb(snapshotBytes)],
            ['snapshot: read + apply, as the server loads it', ms(snapshotLoad)],
            ['client: apply the whole board it is sent', ms(clientApply)],
          ]),
        ].join('\n'),
        checks: [check('cold load after compaction ≤ 150 ms (median)', ms(a.p50), a.p50 <= 150)],
        failures: [],
      };
    } finally {
      await server.stop();
    }
  },
};

async function timeToSync(wsUrl: string, docName: string, token: string): Promise<number> {
  const doc = new Y.Doc();
  const began = performance.now();
  const provider = new WebsocketProvider(`${wsUrl}/yjs`, docName, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${docName} did not sync within 30 s`)), 30_000);
      provider.on('sync', (synced: boolean) => synced && (clearTimeout(timer), resolve()));
    });
    const elapsed = performance.now() - began;
    const cards = listCards(doc).length;
    if (cards < SHAPE.cards) throw new Error(`${docName} synced with ${cards} cards, expected ${SHAPE.cards}`);
    return elapsed;
  } finally {
    provider.destroy();
    doc.destroy();
  }
}

/** Reads a board from the store and rebuilds its doc, as the registry does. */
async function timeStoreLoad(store: SqliteStore, name: string): Promise<number> {
  const began = performance.now();
  const stored = await store.loadDoc(name);
  const doc = new Y.Doc();
  doc.transact(() => {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(doc, u);
  });
  const elapsed = performance.now() - began;
  doc.destroy();
  return elapsed;
}

function withDb<T>(dataDir: string, read: (store: SqliteStore) => T): T {
  const store = new SqliteStore(join(dataDir, 'relatoria.db'));
  try {
    return read(store);
  } finally {
    void store.close();
  }
}

function allCompacted(dataDir: string, names: string[]): boolean {
  return withDb(dataDir, (s) => names.every((n) => (s.db.prepare('SELECT count(*) AS n FROM doc_updates WHERE doc = ?').get(n) as { n: number }).n === 0));
}

function snapshotSize(dataDir: string, name: string): number {
  return withDb(dataDir, (s) => (s.db.prepare('SELECT length(data) AS n FROM doc_snapshots WHERE doc = ?').get(name) as { n: number } | undefined)?.n ?? 0);
}

/** What the client spends applying the full state it is sent. */
function timeClientApply(dataDir: string, name: string): number {
  const snapshot = withDb(dataDir, (s) => (s.db.prepare('SELECT data FROM doc_snapshots WHERE doc = ?').get(name) as { data: Buffer }).data);
  const doc = new Y.Doc();
  const began = performance.now();
  Y.applyUpdate(doc, new Uint8Array(snapshot));
  const elapsed = performance.now() - began;
  doc.destroy();
  return elapsed;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`the boards were not compacted within ${timeoutMs} ms`);
    await sleep(200);
  }
}
