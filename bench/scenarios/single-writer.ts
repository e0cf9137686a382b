// 12. One writer (issue 13 §1): what storing before relaying, the group commit and the
// per-peer cork cost one update when nothing else competes. One board, one writer typing
// 10 updates a second, one reader; every update timed from its send to its arrival at the
// reader, against the stock y-websocket server and Hocuspocus in the same run. Where
// Relatoría's added time goes is read from its own metrics: socket receipt → relayed
// (`relatoria_relay_latency_seconds`) and, inside that, the store's append round trip
// (`relatoria_store_append_seconds`: queued → the turn's SQLite commit → answered).
import { meanMs, quantileMs, readHistogram } from '../lib/prometheus.js';
import { check, type Scenario } from '../lib/scenario.js';
import { ms, table, times } from '../lib/stats.js';
import { REFERENCES, integrityFailures, versusReference, versusTable } from './versus-reference.js';
import { SERVER_LABEL } from '../lib/server-process.js';

const RATE = 10;

/** A histogram's mean and approximate median (from its buckets), in ms. */
function histogram(text: string, name: string): { mean: number; p50: number; count: number } | null {
  const h = readHistogram(text, name);
  return h ? { mean: meanMs(h), p50: quantileMs(h, 0.5), count: h.count } : null;
}

export const singleWriter: Scenario = {
  name: 'single-writer',
  title: `12. One writer, one reader: ${RATE} updates/s, send → arrival, and where Relatoría's added time goes`,
  async run({ quick, log }) {
    // The writer types into one card, whose text the board keeps under BOARD_LIMITS.cardText
    // (2,000 characters, ~12 a stamp): 140 stamps in all, so nothing is cut.
    const durationMs = quick ? 10_000 : 12_000;
    const warmupMs = 2_000;
    const runs = await versusReference({
      shape: { groups: 1, perGroup: 2 },
      spec: { processes: 1, writersPerBoard: 1, rate: RATE, warmupMs, durationMs },
      log,
    });
    const ours = runs.relatoria;
    const relay = ours.metrics ? histogram(ours.metrics, 'relatoria_relay_latency_seconds') : null;
    const append = ours.metrics ? histogram(ours.metrics, 'relatoria_store_append_seconds') : null;
    const added = (k: (typeof REFERENCES)[number]) => ours.latency.p50 - runs[k].latency.p50;
    const f = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? 'n/a' : `${v.toFixed(3)} ms`);
    const breakdown = table([
      ['where a single update’s time goes (Relatoría, whole run incl. warm-up)', 'mean', 'p50 (from buckets)'],
      ['send → arrival at the reader (bench clients, measured window)', '', f(ours.latency.p50)],
      ...REFERENCES.map((k) => [`  added to ${SERVER_LABEL[k]}'s p50`, '', f(added(k))]),
      ['server: socket receipt → relayed to the reader', f(relay?.mean), f(relay?.p50)],
      ['  of which the store append (queued → the turn\'s SQLite commit → answered)', f(append?.mean), f(append?.p50)],
      ['  the rest: queue, auth check (in memory), decode + apply, shape check, relay encode, cork', f(relay && append ? relay.mean - append.mean : NaN), ''],
      ['updates counted by the server', `${relay?.count ?? 'n/a'}`, ''],
    ]);
    return {
      figures: [
        `One board, one writer at ${RATE} updates/s, one reader; ${warmupMs / 1000} s warm-up, ${durationMs / 1000} s measured; the three servers one after the other.`,
        versusTable(runs),
        breakdown,
        'Batching: SQLite commits the appends of one turn of the event loop together; one writer at this rate sends one update per commit, so the batching delay here is only the rest of the turn it arrived in.',
      ].join('\n'),
      checks: [
        // Issue 13: what storing, the group commit and the cork (batching) add to one writer's latency, under 2 ms at the median.
        ...REFERENCES.map((k) => check(`single writer: p50 added to ${SERVER_LABEL[k]}'s ≤ 2 ms`, `${ms(added(k), 2)} (${times(ours.latency.p50 / runs[k].latency.p50)})`, added(k) <= 2)),
        check('single writer: p50 (information)', ms(ours.latency.p50, 2), null),
      ],
      failures: Object.values(runs).flatMap(integrityFailures),
    };
  },
};
