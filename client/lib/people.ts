// How a person looks on a board: a caret colour from their id, and initials.
// Each colour carries white text at 4.5:1 or more (avatars, caret labels: WCAG AA).
const CARET_COLORS = ['#c2410c', '#c2255c', '#9c36b5', '#6741d9', '#1864ab', '#0b7285', '#237032', '#b4470a', '#4263eb', '#a61e4d'] as const;

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

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/**
 * Text that reads on a person's colour: white, unless the colour is too light for it
 * (a colour sent by another client is whatever that client chose).
 */
export function textOn(color: string): '#ffffff' | '#1d2130' {
  if (!/^#[0-9a-fA-F]{6}$/.test(color)) return '#ffffff';
  return 1.05 / (luminance(color) + 0.05) >= 4.5 ? '#ffffff' : '#1d2130';
}
