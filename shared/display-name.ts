// The one rule for the names people give themselves, for the join page and the server:
// a name others read on the board, the roster and the exports must show something, and
// must not reorder or hide the text around it. Refused: names made only of spaces,
// invisible or blank characters (U+200B, U+3164 …); bidi overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) and every other format character (Unicode category
// Cf) — except a zero-width joiner or non-joiner between two visible characters, which
// Persian, Indic scripts and emoji sequences need; control characters.
import { LIMITS } from './model.js';

export type NameProblem = 'empty' | 'too_long' | 'control' | 'format' | 'invisible';

const JOINERS = /[\u200C\u200D]/gu;
/** Characters that render as nothing or as blank space. */
const BLANK = /[\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;
const VISIBLE = /[\p{L}\p{N}\p{S}\p{P}]/u;

/** The name as it is stored: NFC, trimmed. */
export function normalizeDisplayName(name: string): string {
  return name.normalize('NFC').trim();
}

/** What is wrong with a (normalized) display name, or null. */
export function displayNameProblem(name: string): NameProblem | null {
  if (name === '') return 'empty';
  if ([...name].length > LIMITS.displayNameLength) return 'too_long';
  if (/[\p{Cc}\p{Cs}]/u.test(name)) return 'control';
  if (/\p{Cf}/u.test(name.replace(JOINERS, (joiner, at: number) => (joinsVisible(name, at) ? '' : joiner)))) return 'format';
  if (!VISIBLE.test(name.replace(BLANK, ''))) return 'invisible';
  return null;
}

/** A joiner with a visible, non-format character on each side. */
function joinsVisible(name: string, at: number): boolean {
  const before = [...name.slice(0, at)].at(-1) ?? '';
  const after = [...name.slice(at + 1)][0] ?? '';
  const shows = (c: string) => c !== '' && !/[\p{White_Space}\p{Cf}\p{Cc}]/u.test(c);
  return shows(before) && shows(after);
}
