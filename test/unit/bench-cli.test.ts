import { describe, expect, it } from 'vitest';
import { pagesArgument } from '../../scripts/lib/bench/cli.ts';

describe('--pages of bench:og and bench:leaks', () => {
	it('takes the default without the flag, and the number after it', () => {
		expect(pagesArgument([], 200)).toEqual({ ok: true, pages: 200 });
		expect(pagesArgument(['--pages', '500'], 200)).toEqual({ ok: true, pages: 500 });
	});

	it('refuses what is not a page count with what was expected and how to fix it', () => {
		expect(pagesArgument(['--pages', 'many'], 200)).toEqual({
			ok: false,
			error:
				'--pages: expected a whole number of pages from 20 to 50000, received "many". Fix: pass a number, e.g. --pages 2000.',
		});
		expect(pagesArgument(['--pages'], 200)).toEqual({
			ok: false,
			error:
				'--pages: expected a whole number of pages from 20 to 50000, received "". Fix: pass a number, e.g. --pages 2000.',
		});
		expect(pagesArgument(['--pages', '5'], 200)).toEqual({
			ok: false,
			error:
				'--pages: expected a whole number of pages from 20 to 50000, received 5. Fewer than 20 leaves no room for one page of each kind; use e.g. --pages 200.',
		});
		expect(pagesArgument(['--pages', '60000'], 200)).toEqual({
			ok: false,
			error:
				'--pages: expected a whole number of pages from 20 to 50000, received 60000. Use a smaller number, e.g. --pages 2000.',
		});
	});
});
