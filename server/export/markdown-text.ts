// A faster `text` handler for mdast-util-to-markdown with the same output.
//
// The stock handler runs every unsafe pattern (some fifty regular expressions, each
// checked for scope) over every text node; in a 50-group export that was most of the
// time. A pattern only ever matches where its own character is, so the stock handler is
// given just the patterns whose character occurs in the text or in the neighbouring
// characters it is checked against: the same escapes, found with a handful of expressions.
import { defaultHandlers, type Handle, type Unsafe } from 'mdast-util-to-markdown';

interface PatternIndex {
  /** Any character some pattern is about, but space and tab (too common to scan for one by one). */
  punctuation: RegExp;
  /** For each character, the positions in the list of the patterns about it. */
  byCharacter: Map<string, number[]>;
  /** Narrowed lists already made, by the characters present. */
  narrowed: Map<string, Unsafe[]>;
}

const indexes = new WeakMap<Unsafe[], PatternIndex>();

function patternIndex(unsafe: Unsafe[]): PatternIndex {
  let index = indexes.get(unsafe);
  if (!index) {
    const byCharacter = new Map<string, number[]>();
    unsafe.forEach((pattern, i) => byCharacter.set(pattern.character, [...(byCharacter.get(pattern.character) ?? []), i]));
    const set = [...byCharacter.keys()].filter((c) => c !== ' ' && c !== '\t').map((c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')).join('');
    index = { punctuation: new RegExp(`[${set}]`, 'g'), byCharacter, narrowed: new Map() };
    indexes.set(unsafe, index);
  }
  return index;
}

/** The patterns that could match somewhere in `subject`, in their original order. */
function patternsFor(unsafe: Unsafe[], subject: string): Unsafe[] {
  const index = patternIndex(unsafe);
  const present = new Set(subject.match(index.punctuation));
  if (subject.includes(' ')) present.add(' ');
  if (subject.includes('\t')) present.add('\t');
  const key = [...present].sort().join('');
  let list = index.narrowed.get(key);
  if (!list) {
    list = [...present].flatMap((ch) => index.byCharacter.get(ch) ?? []).sort((a, b) => a - b).map((i) => unsafe[i]!);
    index.narrowed.set(key, list);
  }
  return list;
}

export const fastText: Handle = (node, parent, state, info) => {
  // Backslashes are escaped apart from the patterns: a text holding one takes the stock path whole.
  if (node.value.includes('\\')) return defaultHandlers.text(node, parent, state, info);
  const relevant = patternsFor(state.unsafe, (info.before ?? '') + node.value + (info.after ?? ''));
  if (relevant.length === 0) return node.value;
  // The text handler calls no other handler, so the state's list can be swapped for the call.
  const all = state.unsafe;
  state.unsafe = relevant;
  try {
    return defaultHandlers.text(node, parent, state, info);
  } finally {
    state.unsafe = all;
  }
};
