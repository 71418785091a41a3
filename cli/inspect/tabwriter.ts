// Column alignment as Go's text/tabwriter does it for kubectl describe (minwidth 0, padding 2,
// space padding): a tab ends a cell; consecutive lines that have a cell in the same column
// form a block, and the block's cells are padded to its widest cell plus the padding. A line
// with fewer cells ends the blocks of the columns it lacks, so nested sections align on their
// own. The last cell of a line (after its last tab) is never padded.

const width = (s: string): number => [...s].length;

/**
 * Aligns tab-separated text; `text` is whole lines, each ending in a newline. kubectl's
 * describe uses padding 2; its tables (api-resources, top) padding 3 and columns at least 6 wide.
 */
export function alignTabs(text: string, padding = 2, minWidth = 0): string {
  const lines = text.split('\n');
  const trailing = lines.pop() ?? '';
  const cells = lines.map((l) => l.split('\t'));
  const out: string[] = [];

  const writeLines = (from: number, to: number, widths: number[]) => {
    for (let i = from; i < to; i++) {
      const line = cells[i];
      out.push(line.map((cell, j) => (j < line.length - 1 && j < widths.length ? cell + ' '.repeat(widths[j] - width(cell)) : cell)).join(''));
    }
  };

  // Go's recursive block formatting: find the run of lines with a cell in `column`, size it,
  // and format that run one column deeper.
  const format = (line0: number, line1: number, widths: number[]) => {
    const column = widths.length;
    for (let at = line0; at < line1; at++) {
      if (column >= cells[at].length - 1) continue;
      writeLines(line0, at, widths);
      line0 = at;
      let blockWidth = minWidth;
      for (; at < line1 && column < cells[at].length - 1; at++) blockWidth = Math.max(blockWidth, width(cells[at][column]) + padding);
      format(line0, at, [...widths, blockWidth]);
      line0 = at;
    }
    writeLines(line0, line1, widths);
  };

  format(0, cells.length, []);
  return out.map((l) => `${l}\n`).join('') + trailing;
}
