// Table shapes the board expects from a Word table: rows of even width, and alignment
// where Markdown tables keep it.
import type { Align, TableCell } from '../../shared/rich-text.js';

/** Rows of uneven length padded with empty cells to the widest (spans counted, a cell merged down from above too). */
export function padRows(rows: TableCell[][]): TableCell[][] {
  const covered = rows.map(() => 0);
  rows.forEach((row, r) => {
    for (const cell of row) for (let below = 1; below < cell.rowspan && r + below < rows.length; below++) covered[r + below] = (covered[r + below] ?? 0) + cell.colspan;
  });
  const width = (row: TableCell[], r: number) => row.reduce((n, c) => n + c.colspan, covered[r] ?? 0);
  const widest = Math.max(0, ...rows.map(width));
  return rows.map((row, r) => {
    const missing = widest - width(row, r);
    if (missing <= 0) return row;
    const header = row.length > 0 && row.every((c) => c.header);
    return [...row, ...Array.from({ length: missing }, (): TableCell => ({ header, colspan: 1, rowspan: 1, align: null, content: [{ type: 'paragraph', content: [] }] }))];
  });
}

/**
 * Alignment as Markdown tables have it: on the header row, for its column; a body cell
 * keeps its own only where it differs from its column's (our export writes the column's
 * alignment into every cell).
 */
export function alignLikeMarkdown(rows: TableCell[][]): TableCell[][] {
  const head = rows[0];
  if (!head || !head.every((c) => c.header)) return rows;
  const columns: Array<Align | null> = head.flatMap((c) => Array.from({ length: c.colspan }, () => c.align));
  return rows.map((row, r) => {
    if (r === 0) return row;
    let column = 0;
    return row.map((cell) => {
      const own = cell.align === (columns[column] ?? null) ? null : cell.align;
      column += cell.colspan;
      return { ...cell, align: own };
    });
  });
}
