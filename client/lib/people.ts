// How a person looks on a board: a caret colour from their id, and initials.
const CARET_COLORS = ['#d9480f', '#c2255c', '#9c36b5', '#6741d9', '#1971c2', '#0c8599', '#2b8a3e', '#e8590c', '#5c7cfa', '#a61e4d'] as const;

/** A stable, readable colour (6-digit hex: the caret extension accepts nothing else). */
export function colorFor(id: string): string {
  let hash = 2166136261;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619);
  return CARET_COLORS[(hash >>> 0) % CARET_COLORS.length] ?? CARET_COLORS[0];
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length >= 2 ? [words[0], words[words.length - 1]] : [words[0]];
  return letters.map((w) => (w ? [...w][0]?.toLocaleUpperCase() ?? '' : '')).join('') || '?';
}
