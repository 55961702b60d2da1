/** The rows of a virtualized list to keep in the DOM: `first` to `last`, both included (none when `last < first`). */
export interface RowWindow {
  readonly first: number;
  readonly last: number;
}

/**
 * Which of `total` rows, each `rowPx` high, a scroller `viewportPx` high scrolled to `scrollTop`
 * shows, with `overscan` rows more on either side (so that a fast scroll does not show blanks).
 * Rows have one fixed height: the window is arithmetic, nothing is measured per row, and a list
 * of hundreds of thousands of items costs what the rows in view cost.
 */
export function rowWindow(total: number, rowPx: number, scrollTop: number, viewportPx: number, overscan = 4): RowWindow {
  if (total <= 0 || rowPx <= 0) return { first: 0, last: -1 };
  const clamp = (n: number, min: number) => Math.min(total - 1, Math.max(min, n));
  const top = Math.max(0, scrollTop);
  const first = clamp(Math.floor(top / rowPx) - overscan, 0);
  return { first, last: clamp(Math.ceil((top + Math.max(0, viewportPx)) / rowPx) - 1 + overscan, first) };
}
