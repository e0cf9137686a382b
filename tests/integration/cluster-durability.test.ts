// Nodes come and go (issue 14 §4, boards): two real processes (server/main.ts) in cluster
// mode share PostgreSQL and Redis; people type through both; each node in turn is killed
// with -9 mid-typing. Nothing any peer saw is lost, and the people of the killed node
// carry on through the other one (as the balancer would send them) with their edits.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard } from '../../shared/board.js';
import { PostgresStore } from '../../server/store/postgres.js';
import { setupWorkshop } from '../helpers/api.js';
import { storedBoard, texts } from '../helpers/board.js';
import { spawnServer, type ChildServer } from '../helpers/child-server.js';
import { freshSchema } from '../helpers/cluster.js';
import { waitFor } from '../helpers/wait.js';
import { syncedClient, type BoardClient } from '../helpers/yclient.js';
import { postgresUrl, redisUrl } from '../support/requires.js';

const pg = await postgresUrl();
const redis = await redisUrl();

describe.skipIf(pg === null || redis === null)('cluster nodes killed with -9', () => {
  it('each node in turn, mid-typing: nothing a peer saw is lost, and its people carry on through the other node', async () => {
    const { schema, tempDir } = freshSchema(pg!, 'durable');
    const start = async (port?: number): Promise<ChildServer> => {
      const dataDir = await tempDir();
      return spawnServer({ dataDir, port, env: { DATABASE_URL: pg!, DATABASE_SCHEMA: schema, REDIS_URL: redis!, BOARD_IDLE_MS: '60000' } });
    };
    const nodes = [await start(), await start()];
    const w = await setupWorkshop(nodes[0]!.url);
    const tokens = [await w.participant('A', 'Ana'), await w.participant('A', 'Beto')];
    // One writer and one watcher on each node; each watcher sees the other node's writer.
    const open = async (node: ChildServer, token: string, doc?: Y.Doc) => syncedClient(node.wsUrl, w.boardA, token, doc ? { doc } : {});
    const writers: BoardClient[] = [await open(nodes[0]!, tokens[0]!), await open(nodes[1]!, tokens[1]!)];
    const watchers: BoardClient[] = [await open(nodes[0]!, w.facilitatorToken), await open(nodes[1]!, w.facilitatorToken)];

    let typed = 0;
    for (const victim of [0, 1]) {
      const survivor = 1 - victim;
      // Both type; the victim is killed in the middle of it.
      for (let i = 0; i < 40; i++) {
        for (const [n, writer] of writers.entries()) addCard(writer.doc, { text: `n${n} ${victim}-${i}`, author: `w${n}` });
        typed += 2;
        if (i === 25) void nodes[victim]!.kill('SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
      await nodes[victim]!.exited;
      // What the survivor's watcher saw, after what was in flight settles there.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const seen = texts(watchers[survivor]!.doc);
      expect(seen.length).toBeGreaterThan(0);
      expect(texts(await storedOn(pg!, schema, w.boardA))).toEqual(expect.arrayContaining(seen));

      // The victim's people go to the survivor with the docs they hold (their unsent edits too).
      const movedWriter = writers[victim]!;
      const movedWatcher = watchers[victim]!;
      movedWriter.provider.destroy();
      movedWatcher.provider.destroy();
      writers[victim] = await open(nodes[survivor]!, tokens[victim]!, movedWriter.doc);
      watchers[victim] = await open(nodes[survivor]!, w.facilitatorToken, movedWatcher.doc);
      await waitFor(() => [...writers, ...watchers].every((c) => texts(c.doc).length === typed), 15_000, `every client to hold all ${typed} cards`);
      const all = texts(writers[0]!.doc);
      for (const c of [...writers, ...watchers]) expect(texts(c.doc)).toEqual(all);
      await waitFor(async () => texts(await storedOn(pg!, schema, w.boardA)).length === typed, 10_000, 'the store to hold them all');

      // The victim comes back on its port; its people return to it for the next round.
      nodes[victim] = await start(nodes[victim]!.port);
      for (const list of [writers, watchers]) {
        const client = list[victim]!;
        client.provider.destroy();
        list[victim] = await open(nodes[victim]!, list === writers ? tokens[victim]! : w.facilitatorToken, client.doc);
      }
    }
    for (const c of [...writers, ...watchers]) c.destroy();
  });
});

async function storedOn(url: string, schema: string, board: { workshopId: string; groupId: string }): Promise<Y.Doc> {
  const store = await PostgresStore.open(url, schema);
  try {
    return await storedBoard(store, board);
  } finally {
    await store.close();
  }
}
