/**
 * One RFC 4180 CSV cell. Lists are joined with "; ", null is empty. What a spreadsheet would read as a
 * formula (=, +, -, @, a tab or a carriage return) gets a ' in front, which keeps it text: at the
 * cell's start, and after every `,`, `;` or tab in it (with or without a quote between), because Excel
 * in a locale whose list separator is `;` splits a line on `;` whatever the quotes, so `Acme;=1+1`
 * would start a cell with a formula there. Such a cell is quoted too.
 */
export function csvCell(value: string | readonly string[] | null | boolean | number): string {
	const text = Array.isArray(value) ? value.join('; ') : value === null ? '' : String(value);
	const safe = text.replace(/(^|[,;\t]"?)(?=[=+\-@\t\r])/g, "$1'");
	return /[",;\t\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record of `cells`, with its CRLF line end. */
export const csvLine = (cells: ReadonlyArray<Parameters<typeof csvCell>[0]>): string =>
	`${cells.map(csvCell).join(',')}\r\n`;

/**
 * Starts every CSV file the project writes for people. Excel on Windows reads a .csv without it in the
 * ANSI code page, which turns every non-ASCII name into mojibake; with it, as UTF-8.
 */
export const CSV_BOM = '\uFEFF';

/** The start of a CSV file: the byte order mark, then the header row of `columns`. */
export const csvHeader = (columns: readonly string[]): string => `${CSV_BOM}${csvLine(columns)}`;

/** A UTF-8 CSV file (RFC 4180) with a BOM: a header row of `columns`, then one row per record, CRLF line ends. */
export function renderCsv<T>(
	columns: ReadonlyArray<keyof T & string>,
	rows: readonly T[],
	cell: (row: T, column: keyof T & string) => Parameters<typeof csvCell>[0],
): string {
	return [csvHeader(columns), ...rows.map((r) => csvLine(columns.map((c) => cell(r, c))))].join('');
}
