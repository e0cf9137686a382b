// Histograms read from the server's /metrics (Prometheus text): where Relatoría's own time
// goes, as the server measured it. Two scrapes subtract, so one window of a run (a half of
// the plenary vote) is read apart from the rest.

export interface Histogram {
  /** Upper bounds (seconds) and the cumulative count at each, as Prometheus gives them. */
  buckets: Array<{ le: number; n: number }>;
  count: number;
  /** Seconds. */
  sum: number;
}

/** `name`'s histogram in `text` (its unlabelled series), or null when absent or empty. */
export function readHistogram(text: string, name: string): Histogram | null {
  const lines = text.split('\n');
  const value = (line: string | undefined) => Number(line?.split(' ').at(-1) ?? NaN);
  const count = value(lines.find((l) => l.startsWith(`${name}_count`)));
  const sum = value(lines.find((l) => l.startsWith(`${name}_sum`)));
  if (!Number.isFinite(count) || count === 0) return null;
  const buckets = lines
    .filter((l) => l.startsWith(`${name}_bucket`))
    .map((l) => ({ le: Number(/le="([^"]+)"/.exec(l)?.[1]), n: value(l) }))
    .filter((b) => Number.isFinite(b.le))
    .sort((a, b) => a.le - b.le);
  return { buckets, count, sum };
}

/** What was observed between two scrapes of the same histogram. */
export function between(before: Histogram | null, after: Histogram): Histogram {
  if (!before) return after;
  return {
    buckets: after.buckets.map((b, i) => ({ le: b.le, n: b.n - (before.buckets[i]?.n ?? 0) })),
    count: after.count - before.count,
    sum: after.sum - before.sum,
  };
}

/** The `q` quantile in ms, linear within its bucket (so only as fine as the buckets); NaN when empty or past the last bound. */
export function quantileMs(h: Histogram, q: number): number {
  const target = q * h.count;
  let below = 0;
  let lower = 0;
  for (const b of h.buckets) {
    if (b.n >= target) return (lower + ((target - below) / Math.max(1, b.n - below)) * (b.le - lower)) * 1000;
    below = b.n;
    lower = b.le;
  }
  return NaN;
}

export const meanMs = (h: Histogram): number => (h.count > 0 ? (h.sum / h.count) * 1000 : NaN);

/** The server's /metrics now (null if it did not answer). */
export const scrapeMetrics = (url: string): Promise<string | null> =>
  fetch(`${url}/metrics`).then((r) => (r.ok ? r.text() : null), () => null);
