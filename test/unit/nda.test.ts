import { ENGLISH } from '../../src/lib/words/words.ts';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureChromium } from '../../scripts/lib/chromium.ts';
import { checkLeaks } from '../../scripts/lib/leak-check.ts';
import { fixtureContent } from '../../scripts/lib/site-copy.ts';
import { edition } from '../../src/lib/nda/edition.ts';
import { findLeaks, sentences, words, type Secret } from '../../src/lib/nda/leaks.ts';
import { formatLeaks } from '../../src/lib/reporters/leaks.ts';
import { checkNdaLinks } from '../../src/lib/nda/links.ts';
import { sourcePage } from '../helpers/source-page.ts';
import {
	hasNdaText,
	isNdaControlList,
	isNdaName,
	ndaBlocks,
	publicBody,
} from '../../src/lib/nda/visibility.ts';
import { earlierPublicId, publicId, toPublic } from '../../src/lib/subprocessors.ts';
import type { Subprocessor } from '../../src/schemas/subprocessor.ts';
import { whitepaperTitle } from '../../src/whitepaper/paths.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const page = sourcePage;

describe('words', () => {
	it('makes Markdown and the HTML built from it compare equal', () => {
		const markdown = "**Rotation.** Keys rotate every [90 days](/x/), tenant's keys too.";
		const html =
			'<li><strong>Rotation.</strong> Keys rotate every <a href="/x/">90 days</a>, tenant&#x27;s keys too.</li>';
		expect(words(markdown)).toBe('rotation keys rotate every 90 days tenant s keys too');
		expect(words(html)).toBe(words(markdown));
		expect(words('"content":"three key rings\\nper region \\u003cb\\u003e"')).toBe(
			'content three key rings per region b',
		);
	});

	it('compares text in its compatibility form, however it is composed or which script surrounds it', () => {
		// Composed and decomposed accents, a ligature, full-width letters and digits, next to ASCII.
		expect(words('Café «Orbit» ﬁnance in ２０２６, Ｖａｕｌｔｌｉｎｅ — cafe\u0301')).toBe(
			'cafe orbit finance in 2026 vaultline cafe',
		);
	});

	it('makes each letter of a script written without spaces a word, and ends sentences at its full stops', () => {
		expect(words('当社は「さくらインターネット株式会社」を利用。')).toBe(
			'当 社 は さ く ら イ ン タ ー ネ ッ ト 株 式 会 社 を 利 用',
		);
		expect(
			sentences(
				'我们的密钥存储在位于法兰克福的硬件安全模块中，每年轮换一次。全従業員の鍵は東京の金庫に保管されています。お問い合わせください。',
			).map((s) => s.excerpt),
		).toEqual([
			'我们的密钥存储在位于法兰克福的硬件安全模块中，每年轮换一次。',
			'全従業員の鍵は東京の金庫に保管されています。',
		]);
	});

	it('splits a body into sentence needles and skips imports and short fragments', () => {
		expect(
			sentences(
				"import { NdaOnly } from '@trust/mdx';\n\nShort one. The vault keeps seven shards in two regions.\n| Critical | 0 |",
			).map((s) => s.needle),
		).toEqual(['the vault keeps seven shards in two regions']);
	});
});

describe('NdaOnly blocks in a source page', () => {
	const body =
		'Public.\n\n<NdaOnly public="Under NDA.">\nSecret text here.\n</NdaOnly>\n\nMore public. <NdaOnly>Inline secret.</NdaOnly>\n<NdaOnly public="Only a fallback." />\n';
	it('are found with their lines, and removed from the public body', () => {
		expect(ndaBlocks(page({ body }))).toEqual([
			{ text: '\nSecret text here.\n', line: 7 },
			{ text: 'Inline secret.', line: 11 },
		]);
		expect(publicBody(page({ body }))).toBe('Public.\n\n\n\nMore public. \n\n');
	});

	it('read past a ">" inside a quoted or braced public attribute, which does not end the tag', () => {
		const body = [
			'<NdaOnly public="Availability > 99.95% is contracted.">Region pairs: Oslo and Bergen.</NdaOnly>',
			"<NdaOnly public='RTO > 4 hours is tested.'>Failover drill on 2026-10-02.</NdaOnly>",
			'<NdaOnly public={"Keys > 1 per tenant."}>Three key rings per region.</NdaOnly>',
		].join('\n');
		expect(ndaBlocks(page({ body }))).toEqual([
			{ text: 'Region pairs: Oslo and Bergen.', line: 5 },
			{ text: 'Failover drill on 2026-10-02.', line: 6 },
			{ text: 'Three key rings per region.', line: 7 },
		]);
		expect(publicBody(page({ body }))).toBe('\n\n');
	});
});

describe('what is NDA-only', () => {
	it('answers for pages, policy bodies, blocks, subprocessor names and the per-control list', () => {
		const policy = (data: object, body = 'Public text.') => ({
			data: { classification: 'public', ...data },
			body,
		});
		expect(
			[
				policy({}),
				policy({ visibility: 'nda' }),
				policy({ classification: 'nda' }),
				policy({}, '<NdaOnly>Secret.</NdaOnly>'),
				policy({}, '<NdaOnly public="Under NDA." />'),
			].map(hasNdaText),
		).toEqual([false, true, true, true, false]);
		expect([isNdaName({ publicDescriptor: 'Payments provider' }), isNdaName({})]).toEqual([
			true,
			false,
		]);
		expect(
			[false, true].map((publicControlList) =>
				isNdaControlList({ controlStatus: { publicControlList } }),
			),
		).toEqual([true, false]);
	});
});

describe('findLeaks', () => {
	it('finds a secret inside a compressed Pagefind fragment and names the file and the source', () => {
		const root = mkdtempSync(join(tmpdir(), 'leaks-'));
		dirs.push(root);
		mkdirSync(join(root, 'dist/pagefind/fragment'), { recursive: true });
		writeFileSync(join(root, 'dist/index.html'), '<p>Nothing to see.</p>');
		writeFileSync(
			join(root, 'dist/pagefind/fragment/en_1.pf_fragment'),
			gzipSync('pagefind_dcd{"content":"The vault keeps seven shards in two regions."}'),
		);
		const secret: Secret = {
			needle: words('The vault keeps seven shards in two regions.'),
			excerpt: 'The vault keeps seven shards in two regions.',
			source: 'content/docs/security/index.mdx:10 (<NdaOnly> block)',
		};
		const { leaks, filesScanned } = findLeaks(root, join(root, 'dist'), [
			secret,
			{ ...secret, needle: 'seven shards in three' },
		]);
		expect(filesScanned).toBe(2);
		expect(
			formatLeaks(leaks, [
				{ file: 'dist/files/report.pdf', copyOf: 'content/documents/files/report.pdf' },
			]),
		).toMatchInlineSnapshot(`
			"Leak check failed: 2 NDA-only items are in the public build.

			dist/pagefind/fragment/en_1.pf_fragment
			  "The vault keeps seven shards in two regions."
			    from content/docs/security/index.mdx:10 (<NdaOnly> block)
			dist/files/report.pdf
			  is a copy of content/documents/files/report.pdf, which must never be published

			Remove the text from the public page or put it inside <NdaOnly>; stop publishing each copy (a public document or file in public/ must not have the same bytes as an NDA-only file), then build again. Nothing NDA-only may be published."
		`);
		expect(
			formatLeaks(
				[],
				[{ file: 'dist/files/report.pdf', copyOf: 'content/documents/files/report.pdf' }],
			).split('\n\n')[2],
		).toBe(
			'Stop publishing each copy (a public document or file in public/ must not have the same bytes as an NDA-only file), then build again. Nothing NDA-only may be published.',
		);
	});

	it('reports a secret in a sidebar group, stylesheet or script on every page that repeats it, and in the text between them', () => {
		const root = mkdtempSync(join(tmpdir(), 'leaks-'));
		dirs.push(root);
		mkdirSync(join(root, 'dist/b'), { recursive: true });
		// Pieces both pages share (each distinct one is searched once), a group that is open on one page
		// only, and secrets in the text between and after them, which must still be found.
		const shared =
			'<style>.x::after{content:"Orbit Vaultline"}</style><script type="module">const note = "seven shards in two regions";</script><p>The relay is';
		const group = (open: string) =>
			`<details${open}><summary>Network</summary><ul><li><a href="/n/">Halden relay station</a></li></ul></details>`;
		writeFileSync(
			join(root, 'dist/a.html'),
			`<p>Nothing.</p>${shared} in Oslo.</p>${group(' open')}<p>Nothing.</p>`,
		);
		writeFileSync(join(root, 'dist/b/index.html'), `${shared} at Halden station.</p>${group('')}`);
		const secret = (needle: string): Secret => ({ needle, excerpt: needle, source: 's' });
		const found = findLeaks(root, join(root, 'dist'), [
			secret('orbit vaultline'),
			secret('seven shards in two regions'),
			secret('relay is at halden'),
			secret('halden relay station'),
		]).leaks.map((l) => `${l.file}: ${l.secret.needle}`);
		expect(found).toEqual([
			'dist/a.html: orbit vaultline',
			'dist/a.html: seven shards in two regions',
			'dist/a.html: halden relay station',
			'dist/b/index.html: orbit vaultline',
			'dist/b/index.html: seven shards in two regions',
			'dist/b/index.html: relay is at halden',
			'dist/b/index.html: halden relay station',
		]);
	});

	it('finds Chinese and Japanese NDA text, and a hidden name inside a Japanese sentence', () => {
		const root = mkdtempSync(join(tmpdir(), 'leaks-'));
		dirs.push(root);
		mkdirSync(join(root, 'dist'));
		const block =
			'我们的密钥存储在位于法兰克福的硬件安全模块中，每年轮换一次。\n\n全従業員の鍵は東京の金庫に保管されています。';
		writeFileSync(
			join(root, 'dist/press-notes.txt'),
			'我们的密钥存储在位于法兰克福的硬件安全模块中，每年轮换一次。\n全従業員の鍵は東京の金庫に保管されています。\n',
		);
		writeFileSync(
			join(root, 'dist/index.html'),
			'<p>当社は<strong>さくらインターネット株式会社</strong>の東京リージョンを利用しています。</p>',
		);
		const secrets: Secret[] = [
			...sentences(block).map((s) => ({
				...s,
				source: 'content/docs/security/暗号化.mdx:5 (<NdaOnly> block)',
			})),
			{
				needle: words('さくらインターネット株式会社'),
				excerpt: 'さくらインターネット株式会社',
				source: 'content/subprocessors/sakura.yaml (name behind publicDescriptor)',
			},
		];
		expect(
			findLeaks(root, join(root, 'dist'), secrets).leaks.map(
				(l) => `${l.file}: ${l.secret.excerpt}`,
			),
		).toEqual([
			'dist/index.html: さくらインターネット株式会社',
			'dist/press-notes.txt: 我们的密钥存储在位于法兰克福的硬件安全模块中，每年轮换一次。',
			'dist/press-notes.txt: 全従業員の鍵は東京の金庫に保管されています。',
		]);
	});

	it('matches whole words only', () => {
		const root = mkdtempSync(join(tmpdir(), 'leaks-'));
		dirs.push(root);
		mkdirSync(join(root, 'dist'));
		writeFileSync(join(root, 'dist/a.html'), 'Vaultlinex Systems and Brightvault');
		expect(
			findLeaks(root, join(root, 'dist'), [
				{ needle: 'vaultline', excerpt: 'Vaultline', source: 's' },
			]).leaks,
		).toEqual([]);
	});
});

describe('the staff file in the leak check', () => {
	it('fails when a staff e-mail address is in the public build, however it is written', () => {
		const root = mkdtempSync(join(tmpdir(), 'staff-leak-'));
		dirs.push(root);
		for (const content of [...fixtureContent('minimal'), 'test/fixtures/staff/content'])
			cpSync(content, join(root, 'content'), { recursive: true });
		mkdirSync(join(root, 'dist'));
		writeFileSync(join(root, 'dist/index.html'), '<p>Write to the security team.</p>');
		expect(checkLeaks(root, join(root, 'dist')).ok).toBe(true);
		writeFileSync(
			join(root, 'dist/team.html'),
			'<p>Reviews by <a href="mailto:Tom.Berg@minimal.example">Tom.Berg&#64;minimal.example</a>.</p>',
		);
		const result = checkLeaks(root, join(root, 'dist'));
		expect(result.ok).toBe(false);
		expect(result.message).toMatchInlineSnapshot(`
			"Leak check failed: 1 NDA-only item is in the public build.

			dist/team.html
			  "tom.berg@minimal.example"
			    from content/staff.yaml (staff e-mail address)

			Remove the text from the public page or put it inside <NdaOnly>, then build again. Nothing NDA-only may be published."
		`);
	});
});

describe('hidden subprocessor names in the leak check', () => {
	it('treats a hidden name that a public entry also carries as public, and still finds the rest of the hidden name', () => {
		const root = mkdtempSync(join(tmpdir(), 'name-leak-'));
		dirs.push(root);
		cpSync(fixtureContent('minimal')[0]!, join(root, 'content'), { recursive: true });
		const entry = (id: string, lines: string[]) =>
			writeFileSync(
				join(root, 'content/subprocessors', `${id}.yaml`),
				[
					`id: ${id}`,
					...lines,
					'purpose: Electronic signatures',
					'dataCategories: [contact-data]',
					'locations: [eu]',
					'transferMechanism: none-needed',
					'effective: 2025-01-01',
				].join('\n'),
			);
		// Two legal entities of one brand: one behind a descriptor, the other listed by name.
		entry('vaultbound-eu', ['name: Vaultbound Ltd', 'publicDescriptor: E-signature provider']);
		entry('vaultbound-au', ['name: Vaultbound Pty Ltd']);
		mkdirSync(join(root, 'dist'));
		writeFileSync(join(root, 'dist/index.html'), '<td>Vaultbound Pty Ltd</td>');
		const passed = checkLeaks(root, join(root, 'dist'));
		expect(passed.ok).toBe(true);
		expect(passed.message.split('\n').slice(1)).toEqual([
			'1 NDA-only text(s) are also written in public content, so they are public:',
			'  "Vaultbound" (content/subprocessors/vaultbound-eu.yaml, name behind publicDescriptor, and the name of content/subprocessors/vaultbound-au.yaml)',
		]);
		writeFileSync(join(root, 'dist/team.html'), '<p>Signed through Vaultbound Ltd.</p>');
		const failed = checkLeaks(root, join(root, 'dist'));
		expect(failed.ok).toBe(false);
		expect(failed.message).toContain(
			'dist/team.html\n  "Vaultbound Ltd"\n    from content/subprocessors/vaultbound-eu.yaml (name behind publicDescriptor)',
		);
	});
});

describe('checkNdaLinks', () => {
	it('fails a public page that links to an NDA-only page, naming both', () => {
		const pages = [
			page({
				file: 'content/docs/security/index.mdx',
				url: '/security/',
				body: 'See [the results](/security/pen-test/) and <NdaOnly>[fine](/security/pen-test/)</NdaOnly>.',
			}),
			page({
				file: 'content/docs/security/pen-test.mdx',
				url: '/security/pen-test/',
				ndaPage: true,
			}),
			page({
				file: 'content/faq/a.mdx',
				kind: 'faq',
				url: '/faq/#a',
				body: '<a href="https://trust.example.com/security/pen-test#top">x</a>',
			}),
		];
		expect(checkNdaLinks(pages, [], 'https://trust.example.com')).toEqual([
			{
				severity: 'error',
				file: 'content/docs/security/index.mdx',
				field: 'body',
				message:
					'links to /security/pen-test/, which is NDA-only (content/docs/security/pen-test.mdx has visibility: nda)',
				hint: 'Remove the link, put it inside <NdaOnly>, or make the target page public.',
			},
			{
				severity: 'error',
				file: 'content/faq/a.mdx',
				field: 'body',
				message:
					'links to /security/pen-test/, which is NDA-only (content/docs/security/pen-test.mdx has visibility: nda)',
				hint: 'Remove the link, put it inside <NdaOnly>, or make the target page public.',
			},
		]);
	});
});

describe('checkNdaLinks, for every way Markdown links', () => {
	it('resolves relative links against the page and reads reference definitions', () => {
		const vault = page({
			file: 'content/docs/security/vault.mdx',
			url: '/security/vault/',
			ndaPage: true,
		});
		const linking = (body: string) =>
			checkNdaLinks(
				[page({ file: 'content/docs/security/index.mdx', url: '/security/', body }), vault],
				[],
				'https://trust.example.com',
			).length;
		expect(
			[
				'Read [the vault](./vault/).',
				'Read [the vault](vault).',
				'Read [the vault](../security/vault#keys).',
				'Read [the vault][v].\n\n[v]: /security/vault/',
				'Read [the vault][v].\n\n  [v]: <https://trust.example.com/security/vault>',
				'<a href="vault/">the vault</a>',
			].map(linking),
		).toEqual([1, 1, 1, 1, 1, 1]);
		// Not links to it: another site's page of that path, an anchor on this page, a mail address.
		expect(
			[
				'[x](https://elsewhere.example/security/vault/)',
				'[x](#vault)',
				'[x](mailto:vault@trust.example.com)',
				'[x](http://[::1)',
				'the [vault] in brackets',
				'[x](/discount-50%/) and [y](/caf%E9/)',
			].map(linking),
		).toEqual([0, 0, 0, 0, 0, 0]);
		// An FAQ entry is found by its slug however the link spells its letters.
		const entry = page({
			file: 'content/faq/données.mdx',
			kind: 'faq',
			url: '/faq/#données',
			ndaPage: true,
		});
		expect(
			checkNdaLinks(
				[page({ body: '[x](/faq/#donn%C3%A9es)' }), entry],
				[],
				'https://trust.example.com',
			),
		).toHaveLength(1);
	});
});

describe('subprocessors named only under NDA', () => {
	it('get a public id made from the descriptor alone, with nothing of the name or id, not even a hash', () => {
		const s = {
			id: 'nimbusline-cloud',
			name: 'Nimbusline Cloud',
			publicDescriptor: 'EU cloud hosting provider',
		} as Subprocessor;
		expect(publicId(s)).toBe('eu-cloud-hosting-provider');
		expect(publicId({ ...s, id: 'rheinfeld-compute' })).toBe('eu-cloud-hosting-provider');
		expect(publicId({ ...s, publicDescriptor: undefined } as Subprocessor)).toBe(
			'nimbusline-cloud',
		);
		expect(publicId({ ...s, publicDescriptor: 'データ保護の委託先' })).toBe('データ保護の委託先');
	});

	it('are known by their earlier public id: the ASCII of the descriptor and six hex digits', () => {
		const earlier = earlierPublicId('Fournisseur européen de messagerie');
		expect(earlier.test('fournisseur-europ-en-de-messagerie-68ba9b')).toBe(true);
		expect(earlier.test('fournisseur-europ-en-de-messagerie')).toBe(false);
		expect(earlier.test('fournisseur-europ-en-de-messagerie-68ba9')).toBe(false);
		expect(earlier.test('x-fournisseur-europ-en-de-messagerie-68ba9b')).toBe(false);
	});

	it('are shown by descriptor, without website', () => {
		const pub = toPublic(
			{
				id: 'x',
				name: 'Secret Co',
				publicDescriptor: 'Payments provider',
				website: 'https://secret.example',
				purpose: 'Payments',
				dataCategories: [],
				locations: [],
				transferMechanism: 'scc',
				state: 'active',
				effective: new Date('2025-01-01'),
			} as unknown as Subprocessor,
			ENGLISH,
		);
		expect([pub.name, pub.named, pub.website]).toEqual(['Payments provider', false, null]);
	});
});

describe('the edition switch', () => {
	it('defaults to public and refuses unknown values', () => {
		expect(edition({})).toBe('public');
		expect(edition({ TRUST_EDITION: 'nda' })).toBe('nda');
		expect(() => edition({ TRUST_EDITION: 'NDA!' })).toThrowErrorMatchingInlineSnapshot(
			`[Error: TRUST_EDITION: expected "public" or "nda", received "NDA!". Unset it for the public site; \`npm run whitepaper\` sets it to "nda" itself.]`,
		);
	});

	it('reports a CHROME_PATH that does not exist instead of installing another browser', () => {
		const saved = process.env['CHROME_PATH'];
		process.env['CHROME_PATH'] = '/nonexistent/chromium';
		try {
			expect(ensureChromium()).toEqual({
				ok: false,
				error:
					"CHROME_PATH is set to /nonexistent/chromium, which does not exist. Point it at a Chromium binary, or unset it and install Debian's Chromium with:\n  sudo apt-get update && sudo apt-get install -y chromium",
			});
		} finally {
			if (saved === undefined) delete process.env['CHROME_PATH'];
			else process.env['CHROME_PATH'] = saved;
		}
	});
});

describe('the whitepaper title', () => {
	it('reads with a dash on the PDF and in brackets where the gate lists it among the documents', () => {
		expect([
			whitepaperTitle('Acme', ENGLISH),
			whitepaperTitle('Acme', ENGLISH, 'document'),
		]).toEqual([
			'Acme Security Whitepaper — NDA edition',
			'Acme Security Whitepaper (NDA edition)',
		]);
	});
});
