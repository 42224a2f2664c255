/** One RFC 4180 CSV cell. Lists are joined with "; ", null is empty. */
export function csvCell(value: string | readonly string[] | null | boolean | number): string {
	const text = Array.isArray(value) ? value.join('; ') : value === null ? '' : String(value);
	// A leading =, +, - or @ would run as a formula in a spreadsheet; a quote prefix keeps it text.
	const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
	return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV: a header row of `columns`, then one row per record, CRLF line ends. */
export function renderCsv<T>(
	columns: ReadonlyArray<keyof T & string>,
	rows: readonly T[],
	cell: (row: T, column: keyof T & string) => Parameters<typeof csvCell>[0],
): string {
	const lines = [
		columns.join(','),
		...rows.map((r) => columns.map((c) => csvCell(cell(r, c))).join(',')),
	];
	return `${lines.join('\r\n')}\r\n`;
}
