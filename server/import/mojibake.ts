// Repairs text whose UTF-8 bytes were once decoded as Mac Roman or Windows-1252 (and saved
// again as UTF-8): `M√©tricas`, `MÃ©tricas`, `â€™`, `‚îå‚îÄ‚îÄ` (box drawing). Each run of
// non-ASCII characters is encoded back to the bytes the wrong decoder read, and replaced
// by their UTF-8 reading only when that is exact and plausible, so the repair undoes the
// mis-decoding character for character and correct text is never touched:
//  - every character of the run must be one the code page can produce (a byte), and the
//    bytes must be valid UTF-8 (fatal decoding): a lone `ñ` or `é` never is;
//  - what they read as must be a letter or symbol of the scripts such documents carry
//    (Latin-1 and Latin Extended-A, punctuation, arrows, box drawing, symbols, emoji):
//    genuine text such as `«É` reads as Latin Extended-B or Cyrillic, and is left alone;
//  - a two-character run that reads as one Latin-1 letter and ends in closing punctuation
//    (`IRMÃ»`: a Portuguese word and a guillemet) is left alone;
//  - a code page is used only when at least two runs repair with it, or one run of more
//    than one character: a single doubtful pair is not evidence of a mis-decoded document.
// Linear in the text's length.

/** Bytes 0x80–0xFF as Mac Roman decodes them. */
const MAC_ROMAN =
  'ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü\u2020°¢£§\u2022¶ß®©\u2122´¨\u2260ÆØ\u221e±\u2264\u2265¥µ\u2202\u2211\u220f\u03c0\u222bªº\u03a9æø' +
  '¿¡¬\u221a\u0192\u2248\u2206«»\u2026\u00a0ÀÃÕ\u0152\u0153\u2013\u2014\u201c\u201d\u2018\u2019÷\u25caÿ\u0178\u2044\u20ac\u2039\u203a\ufb01\ufb02' +
  '\u2021·\u201a\u201e\u2030ÂÊÁËÈÍÎÏÌÓÔ\uf8ffÒÚÛÙ\u0131\u02c6\u02dc¯\u02d8\u02d9\u02da¸\u02dd\u02db\u02c7';

/** Bytes 0x80–0x9F as Windows-1252 decodes them (WHATWG: the five unassigned ones as C1 controls); 0xA0–0xFF are Latin-1. */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

export type CodePage = 'mac-roman' | 'windows-1252';

function table(page: CodePage): string {
  if (page === 'mac-roman') return MAC_ROMAN;
  let latin1 = '';
  for (let c = 0xa0; c <= 0xff; c++) latin1 += String.fromCharCode(c);
  return WINDOWS_1252_HIGH + latin1;
}

/** Each character the wrong decoder produces → the byte it read. */
function reverse(page: CodePage): Map<string, number> {
  const map = new Map<string, number>();
  [...table(page)].forEach((ch, i) => map.set(ch, 0x80 + i));
  // Read as ISO-8859-1 instead, Windows-1252's 0x80–0x9F come out as C1 controls.
  if (page === 'windows-1252') for (let b = 0x80; b <= 0x9f; b++) map.set(String.fromCharCode(b), b);
  return map;
}

const REVERSE: Record<CodePage, Map<string, number>> = { 'mac-roman': reverse('mac-roman'), 'windows-1252': reverse('windows-1252') };

/** The text the bytes 0x00–0xFF stand for under `page` (for tests and fixtures: the mis-decoding itself). */
export function misdecode(utf8: Uint8Array, page: CodePage): string {
  const high = [...table(page)];
  let out = '';
  for (const b of utf8) out += b < 0x80 ? String.fromCharCode(b) : high[b - 0x80];
  return out;
}

/** What a repaired character may be: the scripts workshop documents are written in, and their symbols. */
function plausible(cp: number): boolean {
  return (
    (cp >= 0xa0 && cp <= 0x17f) ||
    (cp >= 0x2000 && cp <= 0x2bff) || // punctuation, currency, letterlike, arrows, maths, box drawing, shapes, symbols, dingbats
    (cp >= 0x1f000 && cp <= 0x1faff) || // emoji
    cp === 0x192 || cp === 0x2c6 || cp === 0x2dc ||
    (cp >= 0xfe00 && cp <= 0xfe0f) // variation selectors (emoji presentation)
  );
}

const CLOSING = new Set(['»', '”', '’', '…', '›', '\u0094', '\u0092', '\u0085', '\u009b']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The run's UTF-8 reading under `page`, or null when it is not a mis-decoding. */
function repairRun(run: string, page: CodePage): string | null {
  const map = REVERSE[page];
  const bytes: number[] = [];
  for (const ch of run) {
    const b = map.get(ch);
    if (b === undefined) return null;
    bytes.push(b);
  }
  let decoded: string;
  try {
    decoded = utf8.decode(new Uint8Array(bytes));
  } catch {
    return null;
  }
  for (const ch of decoded) if (!plausible(ch.codePointAt(0) ?? 0)) return null;
  const chars = [...run];
  if (chars.length === 2 && [...decoded].length === 1 && (decoded.codePointAt(0) ?? 0) <= 0xff && CLOSING.has(chars[1] ?? '')) return null;
  return decoded;
}

export interface Repair {
  text: string;
  /** Characters of the text as received that were replaced (`√©` counts 2). */
  repaired: number;
  /** The code page the text had been read as, when anything was repaired. */
  codePage: CodePage | null;
}

/** Runs of non-ASCII characters (a run is where a mis-decoded character's bytes sit together). */
const RUN = /[^\u0000-\u007f]+/g;

/** The text with every mis-decoded run repaired (see the top of this file); correct text comes back as it was. */
export function repairMojibake(text: string): Repair {
  let best: Repair = { text, repaired: 0, codePage: null };
  for (const page of ['mac-roman', 'windows-1252'] as const) {
    let runs = 0;
    let long = false;
    let repaired = 0;
    const out = text.replace(RUN, (run) => {
      const fixed = repairRun(run, page);
      if (fixed === null || fixed === run) return run;
      runs++;
      const length = [...run].length;
      if ([...fixed].length > 1) long = true;
      repaired += length;
      return fixed;
    });
    if ((runs >= 2 || long) && repaired > best.repaired) best = { text: out, repaired, codePage: page };
  }
  return best;
}
