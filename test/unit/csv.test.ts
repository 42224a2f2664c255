import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../src/lib/csv.ts';

describe('CSV cells', () => {
	it('quotes a cell with a comma, quote or line break, doubling its quotes (RFC 4180)', () => {
		expect(csvLine(['plain', 'a, b', 'say "hi"', 'two\nlines', 3, null])).toBe(
			'plain,"a, b","say ""hi""","two\nlines",3,\r\n',
		);
	});

	it('keeps a cell a spreadsheet would run as a formula as text, with a leading quote', () => {
		expect(
			['=HYPERLINK("http://evil.example")', '+1', '-2', '@SUM(A1)', '\tx', '\rx', 'a=b'].map(
				csvCell,
			),
		).toEqual([
			`"'=HYPERLINK(""http://evil.example"")"`,
			"'+1",
			"'-2",
			"'@SUM(A1)",
			"'\tx",
			`"'\rx"`,
			'a=b',
		]);
	});
});
