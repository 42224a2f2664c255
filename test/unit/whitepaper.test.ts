import { describe, expect, it } from 'vitest';
import { chapterPages, type OutlineEntry } from '../../src/whitepaper/pdf.ts';

const bookmark = (title: string, page: number, level = 1): OutlineEntry => ({ title, level, page });

describe('chapterPages', () => {
	it('gives two chapters of the same title the pages of their own bookmarks, in order, and finds a title Chromium wrapped', () => {
		const outline = [
			bookmark('Contents', 2),
			bookmark('About this document', 3),
			bookmark('Overview', 4),
			bookmark('Scope', 4, 2),
			bookmark('Overview', 7),
			bookmark('Vulnerability management for the paymentsplatform', 8),
			bookmark('Contacts', 9),
		];
		const chapters = [
			{ id: 'chapter-about', title: 'About this document' },
			{ id: 'chapter-arch-security-payments-overview', title: 'Overview' },
			{ id: 'chapter-arch-security-ledger-overview', title: 'Overview' },
			{ id: 'chapter-vm', title: 'Vulnerability management for the payments platform' },
			{ id: 'chapter-contacts', title: 'Contacts' },
		];
		expect(chapterPages(chapters, outline)).toEqual({
			pages: {
				'chapter-about': 3,
				'chapter-arch-security-payments-overview': 4,
				'chapter-arch-security-ledger-overview': 7,
				'chapter-vm': 8,
				'chapter-contacts': 9,
			},
			missing: [],
		});
	});

	it('lists a chapter no top-level bookmark bears the title of, and pairs the rest', () => {
		const outline = [bookmark('Overview', 3), bookmark('Policies', 5, 2), bookmark('Contacts', 6)];
		const chapters = [
			{ id: 'a', title: 'Overview' },
			{ id: 'b', title: 'Overview' },
			{ id: 'c', title: 'Policies' },
			{ id: 'd', title: 'Contacts' },
		];
		expect(chapterPages(chapters, outline)).toEqual({
			pages: { a: 3, d: 6 },
			missing: [
				{ id: 'b', title: 'Overview' },
				{ id: 'c', title: 'Policies' },
			],
		});
	});
});
