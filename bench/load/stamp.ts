// What bench writers type, and how receivers read it back. Each writer owns one
// idea card of its board (authored `w<index>`) and every update appends one stamp
// to that card's text: `<writer>.<seq>.<µs since t0>;`, numbers in base 36. A
// receiver parses the stamps it is sent to get latencies; at the end, every card's
// text must hold each of its writer's stamps exactly once, at every client.
import * as Y from 'yjs';
import { boardTypes, listCards } from '../../shared/board.js';

export const writerAuthor = (writer: number): string => `w${writer}`;
const WRITER_AUTHOR = /^w(\d+)$/;

export function stamp(writer: number, seq: number, sentUs: number): string {
  return `${writer.toString(36)}.${seq.toString(36)}.${Math.round(sentUs).toString(36)};`;
}

/** Calls `each` for every whole stamp in `text`. */
export function readStamps(text: string, each: (writer: number, seq: number, sentUs: number) => void): void {
  let start = 0;
  for (let end = text.indexOf(';'); end !== -1; end = text.indexOf(';', start)) {
    const [w, s, t] = text.slice(start, end).split('.');
    start = end + 1;
    if (w === undefined || s === undefined || t === undefined) continue;
    each(parseInt(w, 36), parseInt(s, 36), parseInt(t, 36));
  }
}

/** Microseconds since `t0` (epoch ms), on the machine clock every bench process shares. */
export const clockUs = (t0: number): number => (performance.timeOrigin + performance.now() - t0) * 1000;

/** The bench writers' cards on a board: writer index → the card's text. */
export function writerCards(doc: Y.Doc): Map<number, Y.Text> {
  const out = new Map<number, Y.Text>();
  for (const card of boardTypes(doc).cards) {
    if (!(card instanceof Y.Map)) continue;
    const author = card.get('author');
    const text = card.get('text');
    const m = typeof author === 'string' ? WRITER_AUTHOR.exec(author) : null;
    if (m && text instanceof Y.Text) out.set(Number(m[1]), text);
  }
  return out;
}

/**
 * Every stamp a client holds, per writer: how many distinct sequence numbers, and
 * how many stamps appear more than once (a duplicated update).
 */
export function countStamps(doc: Y.Doc): Map<number, { distinct: number; duplicates: number; maxSeq: number }> {
  const out = new Map<number, { distinct: number; duplicates: number; maxSeq: number }>();
  for (const [writer, text] of writerCards(doc)) {
    const seen = new Set<number>();
    let duplicates = 0;
    let maxSeq = 0;
    readStamps(text.toString(), (w, seq) => {
      if (w !== writer) duplicates++; // a stamp in the wrong card is as wrong as a duplicate
      else if (seen.has(seq)) duplicates++;
      else seen.add(seq);
      maxSeq = Math.max(maxSeq, seq);
    });
    out.set(writer, { distinct: seen.size, duplicates, maxSeq });
  }
  return out;
}

/** A digest of what a client holds: equal digests mean converged clients. */
export async function digest(doc: Y.Doc): Promise<string> {
  const sv = [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort((a, b) => a[0] - b[0]);
  const cards = listCards(doc)
    .map((c) => `${c.author}\u0000${c.text}`)
    .sort();
  const bytes = new TextEncoder().encode(JSON.stringify({ sv, cards }));
  const hash = await crypto.subtle.digest('SHA-1', bytes);
  return Buffer.from(hash).toString('hex').slice(0, 16);
}
