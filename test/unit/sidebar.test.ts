import { describe, expect, it } from 'vitest';
import type { StarlightRouteData } from '@astrojs/starlight/route-data';
import { sidebarForPage } from '../../src/lib/routing/sidebar.ts';

type Entry = StarlightRouteData['sidebar'][number];
const link = (href: string, isCurrent = false): Entry => ({
	type: 'link',
	label: href,
	href,
	isCurrent,
	badge: undefined,
	attrs: {},
});
const group = (label: string, entries: Entry[]): Entry => ({
	type: 'group',
	label,
	entries,
	collapsed: false,
	badge: undefined,
});
/** A sidebar as label trees: a link as its label (with " (folder)" when folded), a group as [label, entries]. */
const shape = (entries: Entry[]): unknown[] =>
	entries.map((e) =>
		e.type === 'link'
			? `${e.label}${'data-folder' in e.attrs ? ` (folder) -> ${e.href}` : ''}`
			: [e.label, shape(e.entries)],
	);

/** The trust center's sections, then architecture pages: two at the top, two folders, one nested. */
const sidebar = (current: string) => {
	const at = (href: string) => link(href, href === current);
	return [
		group('Trust center', [at('/'), at('/policies/')]),
		group('Security', [
			at('/security/'),
			group('Ledger', [at('/security/ledger/a/'), at('/security/ledger/b/')]),
			group('Payments', [
				group('Cards', [at('/security/payments/cards/a/')]),
				at('/security/payments/b/'),
			]),
			at('/security/network/'),
		]),
	];
};

describe('the sidebar of a page', () => {
	it("keeps the top-level groups and the current page's folders whole, folding every other folder into a link to its first page", () => {
		expect(shape(sidebarForPage(sidebar('/security/payments/cards/a/')))).toEqual([
			['Trust center', ['/', '/policies/']],
			[
				'Security',
				[
					'/security/',
					'Ledger (folder) -> /security/ledger/a/',
					['Payments', [['Cards', ['/security/payments/cards/a/']], '/security/payments/b/']],
					'/security/network/',
				],
			],
		]);
		expect(shape(sidebarForPage(sidebar('/security/payments/b/')))).toEqual([
			['Trust center', ['/', '/policies/']],
			[
				'Security',
				[
					'/security/',
					'Ledger (folder) -> /security/ledger/a/',
					['Payments', ['Cards (folder) -> /security/payments/cards/a/', '/security/payments/b/']],
					'/security/network/',
				],
			],
		]);
	});

	it('folds every folder on a page outside them, and leaves a sidebar without folders as it is', () => {
		expect(shape(sidebarForPage(sidebar('/policies/')))[1]).toEqual([
			'Security',
			[
				'/security/',
				'Ledger (folder) -> /security/ledger/a/',
				'Payments (folder) -> /security/payments/cards/a/',
				'/security/network/',
			],
		]);
		const flat = [group('Trust center', [link('/', true)]), group('Security', [link('/x/')])];
		expect(sidebarForPage(flat)).toEqual(flat);
	});

	it('keeps a folder without pages as it is, and gives a folded link no current mark', () => {
		const empty = group('Empty', []);
		const folded = sidebarForPage([group('Security', [empty, group('F', [link('/f/')])])]);
		const [top] = folded as [Extract<Entry, { type: 'group' }>];
		expect(top.entries[0]).toEqual(empty);
		expect(top.entries[1]).toMatchObject({ type: 'link', isCurrent: false, href: '/f/' });
	});
});
