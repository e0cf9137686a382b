// The whole server over PostgreSQL: boards converge, are stored, and survive a restart.
import { afterAll, describe, expect, it } from 'vitest';
import { createRelatoriaServer, type RelatoriaServer } from '../../server/server.js';
import { PostgresStore } from '../../server/store/postgres.js';
import { addCard } from '../../shared/board.js';
import { setupWorkshop } from '../helpers/api.js';
import { hasCard, storedBoard, texts } from '../helpers/board.js';
import { CapturingLogger } from '../helpers/logger.js';
import { waitFor } from '../helpers/wait.js';
import { connectBoard } from '../helpers/yclient.js';
import { postgresUrl } from '../support/requires.js';

const url = await postgresUrl();

describe.skipIf(url === null)('server on PostgreSQL', () => {
  const schema = `server_${process.pid}_${Date.now()}`;
  const opened: PostgresStore[] = [];
  afterAll(async () => {
    await opened[0]?.dropSchema();
    for (const s of opened) await s.close();
  });

  async function start(): Promise<{ server: RelatoriaServer; store: PostgresStore; base: string; ws: string }> {
    const store = await PostgresStore.open(url!, schema);
    opened.push(store);
    const server = createRelatoriaServer({ store, log: new CapturingLogger(), secret: 'pg-test', clientDir: '/nonexistent' });
    const port = await server.listen(0, '127.0.0.1');
    return { server, store, base: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` };
  }

  it('two clients converge, every update is stored, and a restarted server serves it all', async () => {
    const first = await start();
    const w = await setupWorkshop(first.base);
    const [ana, bruno] = [await w.participant('A', 'Ana'), await w.participant('A', 'Bruno')];
    const a = connectBoard(first.ws, w.boardA, ana);
    const b = connectBoard(first.ws, w.boardA, bruno);
    for (let i = 0; i < 50; i++) addCard(i % 2 ? a.doc : b.doc, { text: `idea ${i}`, author: i % 2 ? 'Ana' : 'Bruno' });
    await waitFor(() => texts(a.doc).length === 50 && texts(b.doc).length === 50, 10_000, 'both clients to have 50 cards');
    expect(texts(a.doc)).toEqual(texts(b.doc));
    expect(texts(await storedBoard(first.store, w.boardA))).toEqual(texts(a.doc));
    a.destroy();
    b.destroy();
    await first.server.close();

    const second = await start();
    const c = connectBoard(second.ws, w.boardA, ana);
    await waitFor(() => hasCard(c, 'idea 49') && texts(c.doc).length === 50, 10_000, 'the restarted server to serve all 50 cards');
    c.destroy();
    await second.server.close();
  });
});
