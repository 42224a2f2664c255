/**
 * One RFC 4180 CSV cell. Lists are joined with "; ", null is empty. A cell a spreadsheet would read as
 * a formula (one starting with =, +, -, @, a tab or a carriage return) gets a ' in front, which keeps
 * it text.
 */
export function csvCell(value: string | readonly string[] | null | boolean | number): string {
	const text = Array.isArray(value) ? value.join('; ') : value === null ? '' : String(value);
	const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
	return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record of `cells`, with its CRLF line end. */
export const csvLine = (cells: ReadonlyArray<Parameters<typeof csvCell>[0]>): string =>
	`${cells.map(csvCell).join(',')}\r\n`;

/** RFC 4180 CSV: a header row of `columns`, then one row per record, CRLF line ends. */
export function renderCsv<T>(
	columns: ReadonlyArray<keyof T & string>,
	rows: readonly T[],
	cell: (row: T, column: keyof T & string) => Parameters<typeof csvCell>[0],
): string {
	return [columns, ...rows.map((r) => columns.map((c) => cell(r, c)))].map(csvLine).join('');
}
