// Repairs what word processors' Markdown conversions write, before a CommonMark parser
// reads it. Each pass is line-based and leaves fenced code alone:
//  - a paragraph cut by a page break (a long line stopping mid-sentence, blank lines,
//    then the sentence going on in lower case) is joined again;
//  - list items nested by any indentation (one space, as conversions write) are
//    re-indented to where CommonMark expects their parent's content;
//  - footnotes in superscript style (`adecuado¹`, and a line `¹ Note text`) become GFM
//    footnotes (`[^1]`, `[^1]: Note text`), when the document has no GFM footnotes.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)(.*)$/;
const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUPERSCRIPT_DEFINITION = /^[ \t]*([⁰¹²³⁴⁵⁶⁷⁸⁹]+)[ \t]+(\S.*)$/;
const SUPERSCRIPT_RUN = /([^\s⁰¹²³⁴⁵⁶⁷⁸⁹])([⁰¹²³⁴⁵⁶⁷⁸⁹]+)/g;

export interface Line {
  text: string;
  code: boolean;
}

export function classify(source: string): Line[] {
  let fence: string | null = null;
  return source.split('\n').map((text) => {
    const m = FENCE.exec(text);
    if (fence !== null) {
      if (m && m[1]?.[0] === fence[0] && (m[1]?.length ?? 0) >= fence.length && text.trim() === m[1]) fence = null;
      return { text, code: true };
    }
    if (m) {
      fence = m[1] ?? '```';
      return { text, code: true };
    }
    return { text, code: false };
  });
}

const indentWidth = (ws: string): number => {
  let w = 0;
  for (const c of ws) w = c === '\t' ? w + 4 - (w % 4) : w + 1;
  return w;
};

const isBlank = (l: Line | undefined) => l !== undefined && !l.code && l.text.trim() === '';

/** A line that opens a block of its own rather than going on with a sentence. */
const opensBlock = (text: string) => /^\s*([-*+]\s|\d{1,9}[.)]\s|#|>|\||```|~~~|\[\^)/.test(text) || /^ {4}/.test(text);

/** A long prose line (a title or a short item is no cut paragraph) that stops mid-sentence. */
const cutAtEnd = (l: Line) =>
  !l.code && l.text.trim().length >= 60 && !/^\s*(#|\|)/.test(l.text) && !/ {2}$/.test(l.text) && /[\p{L}\p{N},;]$/u.test(l.text);

function joinPageBreaks(lines: Line[]): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as Line;
    while (cutAtEnd(line)) {
      let j = i + 1;
      while (isBlank(lines[j])) j++;
      const next = lines[j];
      if (j === i + 1 || !next || next.code || opensBlock(next.text) || !/^\p{Ll}/u.test(next.text.trimStart())) break;
      line = { text: `${line.text} ${next.text.trim()}`, code: false };
      i = j;
    }
    out.push(line);
  }
  return out;
}

function reindentLists(lines: Line[]): Line[] {
  const stack: Array<{ indent: number; content: number }> = [];
  let previousBlank = false;
  return lines.map((line) => {
    if (line.code) return line;
    if (line.text.trim() === '') {
      previousBlank = true;
      return line;
    }
    const wasBlank = previousBlank;
    previousBlank = false;
    const item = LIST_ITEM.exec(line.text);
    if (item) {
      const indent = indentWidth(item[1] ?? '');
      while (stack.length > 0 && (stack.at(-1)?.indent ?? 0) >= indent) stack.pop();
      if (stack.length === 0 && indent >= 4) return line; // indented code, not a list
      const marker = item[2] ?? '-';
      const target = stack.at(-1)?.content ?? 0;
      stack.push({ indent, content: target + marker.length + 1 });
      return { text: `${' '.repeat(target)}${marker}${item[4] ? ' ' + item[4] : ''}`, code: false };
    }
    const indent = indentWidth(/^[ \t]*/.exec(line.text)?.[0] ?? '');
    if (indent === 0) {
      if (wasBlank) stack.length = 0; // a paragraph after a blank line ends the list
      return line;
    }
    while (stack.length > 1 && (stack.at(-1)?.indent ?? 0) >= indent) stack.pop();
    const top = stack.at(-1);
    return top ? { text: ' '.repeat(top.content) + line.text.trimStart(), code: false } : line;
  });
}

const fromSuperscript = (s: string) => [...s].map((c) => SUPERSCRIPT_DIGITS.indexOf(c)).join('');

function superscriptFootnotes(lines: Line[]): Line[] {
  if (lines.some((l) => !l.code && /^ {0,3}\[\^[^\]\s]+\]:/.test(l.text))) return lines;
  const defined = new Set<string>();
  for (const l of lines) {
    const m = l.code ? null : SUPERSCRIPT_DEFINITION.exec(l.text);
    if (m?.[1]) defined.add(fromSuperscript(m[1]));
  }
  if (defined.size === 0) return lines;
  const out: Line[] = [];
  for (const l of lines) {
    const def = l.code ? null : SUPERSCRIPT_DEFINITION.exec(l.text);
    if (def?.[1]) {
      if (out.length > 0 && !isBlank(out.at(-1))) out.push({ text: '', code: false });
      out.push({ text: `[^${fromSuperscript(def[1])}]: ${def[2] ?? ''}`, code: false });
      continue;
    }
    if (l.code) {
      out.push(l);
      continue;
    }
    const text = l.text.replace(SUPERSCRIPT_RUN, (all, before: string, sup: string) =>
      defined.has(fromSuperscript(sup)) ? `${before}[^${fromSuperscript(sup)}]` : all,
    );
    out.push({ text, code: false });
  }
  return out;
}

/** The source as CommonMark + GFM will read it as its writer meant it. */
export function prepareMarkdown(source: string): string {
  const normalized = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').normalize('NFC');
  const lines = superscriptFootnotes(reindentLists(joinPageBreaks(classify(normalized))));
  return lines.map((l) => l.text).join('\n');
}
