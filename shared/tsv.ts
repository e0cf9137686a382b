// Tab-separated text (what a slide deck or a spreadsheet copied as text gives) read as
// tables: a run of two or more consecutive lines split by tabs. The first line is the
// header and must have two cells with words (a leading tab is an empty corner cell; a
// line with one word after a tab is indented code, not a table); the lines after it need
// one tab and one word. Rows are padded with empty cells to the widest. The Markdown
// import (server/import/prepare.ts) and the editor's paste (client/lib/editor/tsv-paste.ts)
// both ask this. Imports nothing.

export interface TsvTable {
  /** Index of the table's first line. */
  start: number;
  /** Index after its last line. */
  end: number;
  /** Cells, trimmed, every row as wide as the widest. */
  rows: string[][];
}

const cells = (line: string): string[] => line.split('\t').map((c) => c.trim());
const filled = (cs: string[]) => cs.filter((c) => c !== '').length;

const opensTable = (line: string) => line.includes('\t') && filled(cells(line)) >= 2;
const goesOn = (line: string) => line.includes('\t') && filled(cells(line)) >= 1;

/** The tables among `lines`; a line for which `skip` says true (fenced code) is never part of one. */
export function findTsvTables(lines: readonly string[], skip: (index: number) => boolean = () => false): TsvTable[] {
  const out: TsvTable[] = [];
  let i = 0;
  while (i < lines.length) {
    if (skip(i) || !opensTable(lines[i] ?? '')) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < lines.length && !skip(end) && goesOn(lines[end] ?? '')) end++;
    if (end - i >= 2) {
      const rows = lines.slice(i, end).map((l) => cells(l));
      const width = Math.max(...rows.map((r) => r.length));
      for (const r of rows) while (r.length < width) r.push('');
      // Columns empty in every row (tabs at the ends of lines) are not columns.
      while (rows[0] && rows[0].length > 2 && rows.every((r) => r.at(-1) === '')) for (const r of rows) r.pop();
      out.push({ start: i, end, rows });
    }
    i = end;
  }
  return out;
}
