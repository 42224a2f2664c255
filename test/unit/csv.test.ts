import { describe, expect, it } from 'vitest';
import { csvCell, csvHeader, csvLine, renderCsv } from '../../src/lib/csv.ts';
import { renderSubprocessorCsv } from '../../src/lib/subprocessors.ts';
import { parseCsv } from '../../src/lib/pull/csv.ts';

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
			`"'\tx"`,
			`"'\rx"`,
			'a=b',
		]);
	});

	it('keeps a formula after a separator as text too, for spreadsheets that split on ; or tabs', () => {
		expect(
			[
				'Acme;=HYPERLINK(CHAR(104));x',
				'Acme,+1',
				'Acme;"=1+1"',
				'a\t@SUM(A1)',
				'Smith; Jones',
				'R&D;-',
			].map(csvCell),
		).toEqual([
			`"Acme;'=HYPERLINK(CHAR(104));x"`,
			`"Acme,'+1"`,
			`"Acme;""'=1+1"""`,
			`"a\t'@SUM(A1)"`,
			'"Smith; Jones"',
			`"R&D;'-"`,
		]);
	});
});

describe('CSV files', () => {
	it('start with a UTF-8 BOM, so a spreadsheet reads non-ASCII names as UTF-8', () => {
		const csv = renderCsv(
			['company', 'name'],
			[{ company: 'さくらデータ', name: 'Jürgen Weiß' }],
			(r, c) => r[c],
		);
		expect([...Buffer.from(csv).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(csv).toBe('\uFEFFcompany,name\r\nさくらデータ,Jürgen Weiß\r\n');
		// The project's own reader (control exports) reads it back without the BOM in the first column.
		expect(parseCsv(csv).columns).toEqual(['company', 'name']);
		expect(csvHeader(['a', 'b'])).toBe('\uFEFFa,b\r\n');
		expect(renderSubprocessorCsv([]).startsWith('\uFEFFname,purpose,')).toBe(true);
	});
});
