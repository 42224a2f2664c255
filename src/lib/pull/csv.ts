/**
 * Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF): the header row's column names, and
 * the other rows as objects keyed by them. Throws with the line number on an unterminated quote.
 */
export function parseCsv(text: string): { columns: string[]; rows: Record<string, string>[] } {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	let line = 1;
	const source = text.replace(/^\uFEFF/, '');
	for (let i = 0; i < source.length; i++) {
		const c = source[i]!;
		if (quoted) {
			if (c === '"' && source[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') quoted = false;
			else {
				if (c === '\n') line++;
				field += c;
			}
		} else if (c === '"' && field === '') quoted = true;
		else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && source[i + 1] === '\n') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			line++;
		} else field += c;
	}
	if (quoted) throw new Error(`unterminated quoted field starting before line ${line}`);
	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}
	const [header, ...body] = rows.filter((r) => r.some((cell) => cell.trim() !== ''));
	const columns = (header ?? []).map((name) => name.trim());
	return {
		columns,
		rows: body.map((cells) =>
			Object.fromEntries(columns.map((name, i) => [name, (cells[i] ?? '').trim()])),
		),
	};
}
