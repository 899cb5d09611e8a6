/**
 * CSV formula injection (OWASP "CSV Injection"). Excel runs a CSV cell starting with `=`, `+`, `-`, `@`,
 * a tab or a CR as a formula, so a customer named `=HYPERLINK(...)` would be a live link in the
 * manager's export. Exports write such a cell after a single quote (Papa's `escapeFormulae` with this
 * pattern; Excel shows the rest as text), and imports take that one quote off again, so an export
 * imports back to the very text. Edges:
 * - a negative number (`-100`, `-0.5`) stays as it is: Excel reads it as a number, never a formula
 *   (OWASP: a purely numeric cell needs no escape);
 * - text that already starts with quotes before one of those characters (`'=x`, as a user typed it)
 *   gets one more, so taking one off is exact: `'=x` → `''=x` → `'=x`; a quote before anything else
 *   (`'hello`) is neither added nor taken off;
 * - so a hand-made CSV cell `'=x` imports as `=x`, the text Excel shows for it.
 * XLSX needs none of this: its cells are typed, and exports write text as string cells (exports/exports.ts).
 */
export const FORMULA_START = /^(?!-?\d+(?:\.\d+)?$)'*[=+\-@\t\r]/

/** An imported CSV cell without the quote an export put before it. */
export const unquoteFormula = (cell: string) =>
  cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell
