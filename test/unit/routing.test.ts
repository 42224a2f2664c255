import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/site-copy.ts';
import { byCodeUnits, ordersFor } from '../../src/lib/routing/order.ts';
import {
	accessUrl,
	docUrl,
	documentFileUrl,
	faqUrl,
	frameworkIdOf,
	frameworkUrl,
	GATE_PATHS,
	slugify,
	SUBSCRIBE_PATHS,
} from '../../src/lib/routing/urls.ts';

describe('page URLs', () => {
	it('builds each page with a trailing slash, FAQ answers as anchors', () => {
		expect([
			frameworkUrl('soc-2'),
			docUrl('security/network'),
			docUrl('security'),
			docUrl(''),
			faqUrl('uptime'),
		]).toEqual(['/frameworks/soc-2/', '/security/network/', '/security/', '/', '/faq/#uptime']);
	});

	it('publishes a file URL for public documents only', () => {
		expect(documentFileUrl({ id: 'iso-cert', file: 'files/ISO 27001.pdf', access: 'public' })).toBe(
			'/documents/files/iso-cert.pdf',
		);
		expect(documentFileUrl({ id: 'soc2', file: 'files/soc2.pdf', access: 'nda' })).toBeUndefined();
	});

	it('links the access page with the document to tick', () => {
		expect([accessUrl(), accessUrl('whitepaper')]).toEqual([
			'/access/',
			'/access/?documents=whitepaper',
		]);
	});

	it('reads the framework id back from a framework page only', () => {
		expect(['/frameworks/soc-2/', '/frameworks/', '/policies/soc-2/'].map(frameworkIdOf)).toEqual([
			'soc-2',
			undefined,
			undefined,
		]);
	});

	it('makes anchors of free text', () => {
		expect([
			slugify('Business continuity'),
			slugify('  Risk & assurance! '),
			slugify('EU cloud hosting provider'),
		]).toEqual(['business-continuity', 'risk-assurance', 'eu-cloud-hosting-provider']);
	});

	it('keeps letters of every script, and names text of symbols only by its code points, never ""', () => {
		expect([
			slugify('クラウドホスティング'),
			slugify('حماية البيانات'),
			slugify('Protection des données'),
			slugify('Ｄａｔａ ｐｒｏｔｅｃｔｉｏｎ'),
			slugify('🔒'),
			slugify('—'),
			slugify('  '),
		]).toEqual([
			'クラウドホスティング',
			'حماية-البيانات',
			'protection-des-données',
			'data-protection',
			'u1f512',
			'u2014',
			'',
		]);
	});
});

describe('page order', () => {
	const { docs: byDocOrder, faq: byFaqOrder } = ordersFor('en');
	const doc = (id: string, order?: number) => ({ id, data: { sidebar: { order } } });

	it('orders architecture pages as the sidebar does: by order, unordered last, the index before its pages', () => {
		const docs = [
			doc('security/zeta'),
			doc('security/b', 5),
			doc('security/a', 5),
			doc('security', 5),
			doc('security/c', 200),
			doc('security/d', 1),
		];
		expect(docs.sort(byDocOrder).map((d) => d.id)).toEqual([
			'security/d',
			'security',
			'security/a',
			'security/b',
			'security/c',
			'security/zeta',
		]);
	});

	it('orders FAQ entries by category, then order, then question', () => {
		const faq = (id: string, category: string, order: number, question: string) => ({
			id,
			data: { category, order, question },
		});
		const entries = [
			faq('a', 'Vendors', 1, 'Q'),
			faq('b', 'Compliance', 2, 'B?'),
			faq('c', 'Compliance', 2, 'A?'),
			faq('d', 'Compliance', 1, 'Z?'),
		];
		expect(entries.sort(byFaqOrder).map((e) => e.id)).toEqual(['d', 'c', 'b', 'a']);
	});

	it('sorts strings for programs as Array.prototype.sort does, in no language', () => {
		const strings = ['b', 'Z', 'a', 'é', 'e', '𝒜', '\uffff', 'a/b', 'a-b'];
		expect([...strings].sort(byCodeUnits)).toEqual([...strings].sort());
	});

	it('sorts names as readers of the site’s language do, whatever the locale of the machine that builds it', () => {
		const names = ['Översikt', 'Zonbaserad åtkomst', 'Åtkomstkontroll', 'Ansvar'];
		const policy = (title: string) => ({ id: title, data: { state: 'approved', title } });
		const sorted = (language: string) =>
			names
				.map(policy)
				.sort(ordersFor(language).policies)
				.map((p) => p.id);
		// Swedish puts Å and Ö after Z; English sorts them with A and O.
		expect(sorted('sv')).toEqual(['Ansvar', 'Zonbaserad åtkomst', 'Åtkomstkontroll', 'Översikt']);
		expect(sorted('en')).toEqual(['Ansvar', 'Åtkomstkontroll', 'Översikt', 'Zonbaserad åtkomst']);
		// The machine's own locale plays no part: a build on a Swedish laptop sorts an English site as CI does.
		const onSwedishMachine = spawnSync(
			process.execPath,
			[
				'--input-type=module',
				'-e',
				`import { ordersFor } from ${JSON.stringify(join(ROOT, 'src/lib/routing/order.ts'))};
				const names = ${JSON.stringify(names)};
				const list = names.map((title) => ({ id: title, data: { state: 'approved', title } }));
				console.log(JSON.stringify(list.sort(ordersFor('en').policies).map((p) => p.id)));`,
			],
			{ encoding: 'utf8', env: { ...process.env, LANG: 'sv_SE.UTF-8', LC_ALL: 'sv_SE.UTF-8' } },
		);
		expect(onSwedishMachine.stderr).toBe('');
		expect(JSON.parse(onSwedishMachine.stdout)).toEqual(sorted('en'));
	});
});

describe("the README's routing for a gate beside a CDN", () => {
	it('sends every path the gate answers to it, in both places it lists them', () => {
		const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
		const lists = [...readme.matchAll(/sends? ((?:`\/[^`]*`(?:, | and )?)+) to (?:it|the gate)/g)];
		expect(lists).toHaveLength(2);
		const gatePaths = [
			...Object.values(GATE_PATHS),
			...Object.values(SUBSCRIBE_PATHS),
			'/admin/',
			'/healthz',
		];
		for (const [, list] of lists) {
			const prefixes = [...list!.matchAll(/`(\/[^`]*?)\*?`/g)].map((m) => m[1]!);
			for (const path of gatePaths)
				expect(
					prefixes.some((p) => path.startsWith(p)),
					`${path} in ${list}`,
				).toBe(true);
		}
	});
});
