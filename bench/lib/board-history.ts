// A long-lived board's history, made up: idea cards added now and then while several
// people co-write the draft (the first section's body), a few characters per update,
// each in their own paragraph, taking turns in bursts — the way a board's update log
// looks after an afternoon. Deterministic for a given seed.
import * as Y from 'yjs';
import { addCard, listSections, sectionBody } from '../../shared/board.js';
import { NODE } from '../../shared/rich-text.js';

export interface HistoryShape {
  /** Updates in all. */
  updates: number;
  cards: number;
  /** Characters of draft text typed in all. */
  draftChars: number;
  authors: number;
  /** Updates an author makes before the next one takes over. */
  burst?: number;
  seed?: number;
}

const WORDS = 'la articulación territorial necesita señales claras de financiamiento liderazgo local compañía escalar lo que funciona con las comunidades y sus redes de confianza'.split(' ');

/** A small seeded PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The updates, in order, that take a board from `base` (its stored updates) to the shape. */
export function writeHistory(base: Uint8Array[], shape: HistoryShape): Uint8Array[] {
  const rand = random(shape.seed ?? 7);
  const main = new Y.Doc();
  for (const u of base) Y.applyUpdate(main, u);
  const section = listSections(main)[0];
  if (!section) throw new Error('the board has no section to write the draft in');
  const authors = Array.from({ length: shape.authors }, () => new Y.Doc());
  const paragraphs = new Map<Y.Doc, Y.XmlText>();
  const out: Uint8Array[] = [];

  const step = (author: Y.Doc, change: () => void) => {
    const captured: Uint8Array[] = [];
    const keep = (u: Uint8Array) => captured.push(u);
    author.on('update', keep);
    author.transact(change);
    author.off('update', keep);
    for (const u of captured) {
      out.push(u);
      Y.applyUpdate(main, u);
    }
  };

  const typingUpdates = shape.updates - shape.cards;
  const charsPerUpdate = shape.draftChars / typingUpdates;
  const cardEvery = typingUpdates / shape.cards;
  const burst = shape.burst ?? 20;
  let typed = 0;
  let cards = 0;
  let pending = '';
  const nextChunk = (n: number) => {
    while (pending.length < n) pending += `${WORDS[Math.floor(rand() * WORDS.length)]} `;
    const chunk = pending.slice(0, n);
    pending = pending.slice(n);
    return chunk;
  };

  for (let i = 0; out.length < shape.updates; i++) {
    const author = authors[Math.floor(i / burst) % authors.length]!;
    if (i % burst === 0) Y.applyUpdate(author, Y.encodeStateAsUpdate(main, Y.encodeStateVector(author)));
    if (cards < shape.cards && i >= cards * cardEvery) {
      step(author, () => addCard(author, { text: `Idea ${cards + 1}: ${nextChunk(40 + Math.floor(rand() * 60)).trim()}`, author: `Persona ${1 + (i % shape.authors)}` }));
      cards++;
      continue;
    }
    // Spread the rounding so the total lands on draftChars.
    const n = Math.max(1, Math.round((typed + 1) * charsPerUpdate) - Math.round(typed * charsPerUpdate));
    typed++;
    const text = nextChunk(n);
    const current = paragraphs.get(author);
    if (!current || current.length > 400 + rand() * 400) {
      step(author, () => {
        const p = new Y.XmlElement(NODE.paragraph);
        const t = new Y.XmlText(text);
        p.insert(0, [t]);
        const body = sectionBody(author, section.id)!;
        body.insert(body.length, [p]);
        paragraphs.set(author, t);
      });
    } else {
      // Now and then a typo is corrected: the last character goes, then the chunk.
      step(author, () => {
        if (rand() < 0.05 && current.length > 0) current.delete(current.length - 1, 1);
        current.insert(current.length, text);
      });
    }
  }
  main.destroy();
  for (const a of authors) a.destroy();
  return out;
}
