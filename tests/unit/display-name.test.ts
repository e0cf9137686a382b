// The one display-name rule (shared/display-name.ts), used by the join page and the server.
import { describe, expect, it } from 'vitest';
import { displayNameProblem, normalizeDisplayName } from '../../shared/display-name.js';
import { LIMITS } from '../../shared/model.js';

describe('display names', () => {
  it.each([
    'Ana', 'María José Núñez', '李小龙', 'محمد', 'אבי', 'Ольга', 'O’Brien', 'Ana (facilitación)', '🙂', 'R2-D2', '.',
    // Joiners between visible characters: Persian, Devanagari, emoji sequences.
    'می\u200Cخواهم', 'क्\u200Dष', '👩\u200D💻 Ana',
    'x'.repeat(LIMITS.displayNameLength),
  ])('accepts %j', (name) => {
    expect(displayNameProblem(normalizeDisplayName(name))).toBeNull();
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['x'.repeat(LIMITS.displayNameLength + 1), 'too_long'],
    ['Ana\u0007', 'control'],
    ['Ana\uD800', 'control'],
    ['\u200B', 'format'],
    ['\u200B\u200B\u200B', 'format'],
    ['abc\u202Eevil', 'format'],
    ...['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'].map((c) => [`Ana${c}Luz`, 'format']),
    ['Ana\u200E', 'format'],
    ['\uFEFFAna\u00AD', 'format'],
    ['\u200DAna', 'format'],
    ['Ana\u200C', 'format'],
    ['Ana \u200D Luz', 'format'],
    ['Ana\u{E0041}', 'format'],
    ['\u3164', 'invisible'],
    ['\u3164 \u3164', 'invisible'],
    ['\u2800', 'invisible'],
    ['\u0301', 'invisible'],
    ['\u034F', 'invisible'],
  ])('refuses %j: %s', (name, problem) => {
    expect(displayNameProblem(normalizeDisplayName(name))).toBe(problem);
  });

  it('is stored as NFC and trimmed', () => {
    expect(normalizeDisplayName('  Jose\u0301  ')).toBe('José');
  });
});
