// Reading Prometheus text exposition (what GET /metrics answers) into samples, so tests
// can compare values before and after traffic.

/** Every sample: `name{label="value",…}` (labels sorted) → value. */
export type Samples = Map<string, number>;

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

const key = (name: string, labels: Record<string, string>) => {
  const names = Object.keys(labels).sort();
  return names.length === 0 ? name : `${name}{${names.map((n) => `${n}="${labels[n]}"`).join(',')}}`;
};

export function parseMetrics(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (m[2] ?? '').matchAll(LABEL)) labels[name!] = value!;
    samples.set(key(m[1]!, labels), Number(m[3]));
  }
  return samples;
}

/** One sample's value, or undefined when the series is absent. */
export const sample = (samples: Samples, name: string, labels: Record<string, string> = {}) => samples.get(key(name, labels));

/** GET /metrics, parsed; throws unless it answers 200 in the Prometheus text format. */
export async function scrape(baseUrl: string, token?: string): Promise<Samples> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}: ${text}`);
  if (!(res.headers.get('content-type') ?? '').startsWith('text/plain; version=0.0.4')) throw new Error(`GET /metrics is ${res.headers.get('content-type')}`);
  return parseMetrics(text);
}
