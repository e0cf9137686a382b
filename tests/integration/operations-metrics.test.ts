// GET /metrics and GET /readyz on a real server: a scrape before and after real traffic
// (boards written, a Socket.IO channel, refused messages of every kind) shows the values
// move; METRICS_TOKEN protects the scrape; the metrics are never the app's HTML; readiness
// follows the store: 503 with the reason when it fails or hangs, 200 again when it answers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { addCard } from '../../shared/board.js';
import { ErrorCode } from '../../shared/protocol.js';
import { REJECT_REASONS } from '../../server/lib/metrics.js';
import { createRelatoriaServer } from '../../server/server.js';
import { PostgresStore } from '../../server/store/postgres.js';
import { api, setupWorkshop } from '../helpers/api.js';
import { barrier } from '../helpers/board.js';
import { connectSocket, handshakeRefusal, rawCommand } from '../helpers/facilitation.js';
import { CapturingLogger } from '../helpers/logger.js';
import { sample, scrape, type Samples } from '../helpers/prometheus.js';
import { boardUrl, openRaw, openRawBoard } from '../helpers/raw-ws.js';
import { startServer } from '../helpers/server.js';
import { waitFor, within } from '../helpers/wait.js';
import { syncedClient } from '../helpers/yclient.js';
import { postgresUrl } from '../support/requires.js';

const rejected = (s: Samples, reason: string) => sample(s, 'relatoria_rejected_total', { reason }) ?? NaN;
const moved = (before: Samples, after: Samples, name: string, labels: Record<string, string> = {}) =>
  (sample(after, name, labels) ?? NaN) - (sample(before, name, labels) ?? NaN);

describe('GET /metrics', () => {
  it('a scrape after real traffic: connections, boards, updates, store and relay times, refusals by reason, and the process', async () => {
    const t = await startServer({ processMetrics: true });
    const before = await scrape(t.url);
    for (const reason of REJECT_REASONS) expect(rejected(before, reason), reason).toBe(0);
    expect(sample(before, 'relatoria_board_connections')).toBe(0);
    expect(sample(before, 'relatoria_boards_loaded')).toBe(0);
    // The process's own metrics are there too.
    expect(sample(before, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(before, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);

    const w = await setupWorkshop(t.url);
    const facilitator = await connectSocket(t.url, w.facilitatorToken);
    const [ana, beto] = [await w.participant('A', 'Ana'), await w.participant('B', 'Beto')];
    const writer = await syncedClient(t.wsUrl, w.boardA, ana);
    const watcher = await syncedClient(t.wsUrl, w.boardA, w.facilitatorToken);
    const reader = await syncedClient(t.wsUrl, w.boardA, beto);
    for (let i = 0; i < 20; i++) addCard(writer.doc, { text: `idea ${i}`, author: 'Ana' });
    await barrier(writer, [watcher, reader]);

    // Refused, one of each kind.
    addCard(reader.doc, { text: 'no es mi tablero', author: 'Beto' });
    await waitFor(() => reader.denied.length > 0, 5_000, 'the read-only write to be refused');
    const foreign = openRaw(boardUrl(t.wsUrl, w.boardA, ana), { origin: 'https://otro.example' });
    await foreign.closed;
    expect(foreign.refusedStatus).toBe(403);
    expect((await openRaw(boardUrl(t.wsUrl, w.boardA, 'not-a-token')).closed).code).toBe(4401);
    const big = await openRawBoard(t.wsUrl, w.boardA, ana);
    big.send(new Uint8Array(1024 * 1024 + 10));
    expect((await big.closed).code).toBe(1009);
    const garbled = await openRawBoard(t.wsUrl, w.boardA, ana);
    garbled.send(new Uint8Array([0, 9, 9]));
    expect((await garbled.closed).code).toBe(4400);
    expect((await rawCommand(facilitator.socket, { type: 'no-such-command' })).ok).toBe(false);
    const burst = await Promise.all(Array.from({ length: 40 }, () => facilitator.command({ type: 'timer:pause' })));
    expect(burst.some((r) => !r.ok && r.error === ErrorCode.RateLimited)).toBe(true);
    expect((await handshakeRefusal(t.url, w.facilitatorToken, { protocol: -1 })).message).toBe(ErrorCode.OutdatedClient);
    expect((await handshakeRefusal(t.url, 'not-a-token')).message).toBe(ErrorCode.Unauthorized);
    expect((await api(t.url, 'GET', '/api/me')).status).toBe(401);

    const after = await scrape(t.url);
    expect(sample(after, 'relatoria_board_connections')).toBe(3);
    expect(sample(after, 'relatoria_socketio_connections')).toBe(1);
    expect(sample(after, 'relatoria_boards_loaded')).toBe(2); // board A, and B which the console opened for its figures
    expect(sample(after, 'relatoria_sessions_loaded')).toBe(1);
    expect(moved(before, after, 'relatoria_board_updates_total')).toBeGreaterThanOrEqual(21);
    expect(moved(before, after, 'relatoria_store_append_seconds_count')).toBeGreaterThanOrEqual(21);
    expect(moved(before, after, 'relatoria_store_append_seconds_sum')).toBeGreaterThan(0);
    // Every update Ana sent was relayed, each measured from its arrival.
    expect(moved(before, after, 'relatoria_relay_latency_seconds_count')).toBeGreaterThanOrEqual(21);
    expect(sample(after, 'relatoria_relay_latency_seconds_bucket', { le: '+Inf' })).toBe(sample(after, 'relatoria_relay_latency_seconds_count'));
    for (const reason of ['read_only_write', 'bad_origin', 'too_large', 'bad_board_message', 'bad_command', 'rate_limited', 'outdated_client']) {
      expect(rejected(after, reason), reason).toBeGreaterThanOrEqual(1);
    }
    expect(rejected(after, 'unauthorized')).toBeGreaterThanOrEqual(3); // board socket, handshake, HTTP
    expect(rejected(after, 'rate_limited')).toBe(burst.filter((r) => !r.ok && r.error === ErrorCode.RateLimited).length);

    // The gauges follow people leaving.
    for (const client of [writer, watcher, reader]) client.destroy();
    facilitator.close();
    await waitFor(async () => {
      const now = await scrape(t.url);
      return sample(now, 'relatoria_board_connections') === 0 && sample(now, 'relatoria_socketio_connections') === 0;
    }, 5_000, 'the connection gauges to fall to 0');
  });

  it('is the metrics, not the app, even where the built client is served', async () => {
    const clientDir = mkdtempSync(join(tmpdir(), 'relatoria-client-'));
    writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>Relatoría</title>');
    onTestFinished(() => rmSync(clientDir, { recursive: true, force: true }));
    const t = await startServer({ clientDir });
    expect((await api(t.url, 'GET', '/some/client/route')).body).toContain('<title>Relatoría</title>');
    const res = await fetch(`${t.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await res.text()).toContain('# TYPE relatoria_board_updates_total counter');
  });

  it('with METRICS_TOKEN, answers only its bearer token', async () => {
    const token = 'scrape-token-for-prometheus';
    const t = await startServer({ metricsToken: token });
    const none = await fetch(`${t.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer wrong-token' } })).status).toBe(401);
    expect(sample(await scrape(t.url, token), 'relatoria_boards_loaded')).toBe(0);
  });
});

describe('GET /readyz', () => {
  it('is 200 while the store answers, and 503 with the reason once it cannot', async () => {
    const t = await startServer();
    const ready = await api(t.url, 'GET', '/readyz');
    expect(ready).toMatchObject({ status: 200, body: { ok: true, checks: { store: 'ok' } } });

    t.store.db.close(); // the database connection is gone: a store that cannot answer
    const down = await api(t.url, 'GET', '/readyz');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ ok: false, checks: { store: expect.stringMatching(/not open/) }, reason: expect.stringMatching(/^store: /) });
    expect(t.log.at('warn').some((e) => e.message === 'not ready')).toBe(true);
    // Liveness is another question: the process still serves.
    expect((await api(t.url, 'GET', '/healthz')).status).toBe(200);
  });
});

const pgUrl = await postgresUrl();

describe.skipIf(pgUrl === null)('GET /readyz on PostgreSQL', () => {
  const schema = `readyz_${process.pid}_${Date.now()}`;
  let store: PostgresStore | null = null;
  const admin = pgUrl ? new pg.Pool({ connectionString: pgUrl, max: 2 }) : null;
  afterAll(async () => {
    await store?.dropSchema();
    await store?.close();
    await admin?.end();
  });

  it('a database that hangs makes it 503 within the timeout; answering again makes it 200', async () => {
    store = await PostgresStore.open(pgUrl!, schema);
    const server = createRelatoriaServer({ store, log: new CapturingLogger(), secret: 'pg-ready', clientDir: '/nonexistent' });
    const base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
    try {
      expect((await api(base, 'GET', '/readyz')).status).toBe(200);
      // Another session holds a lock the readiness query waits on: the database no longer answers it.
      const locker = await admin!.connect();
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${schema}.schema_migrations IN ACCESS EXCLUSIVE MODE`);
      const started = Date.now();
      const hung = await api(base, 'GET', '/readyz');
      expect(hung.status).toBe(503);
      expect(hung.body.checks.store).toMatch(/timed out after 2000 ms/);
      expect(Date.now() - started).toBeLessThan(4_500);
      await locker.query('ROLLBACK');
      locker.release();
      await waitFor(async () => (await api(base, 'GET', '/readyz')).status === 200, 5_000, 'readiness to come back');
    } finally {
      await within(server.close(), 10_000, 'the server to close');
    }
  });
});
