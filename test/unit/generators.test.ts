import { ENGLISH } from '../../src/lib/words/words.ts';
import { describe, expect, it } from 'vitest';
import { feedMeta, renderAtom, renderJsonFeed, type FeedItem } from '../../src/lib/feeds.ts';
import { buildTime } from '../../src/lib/build-time.ts';
import { renderSecurityTxt } from '../../src/lib/security-txt.ts';
import {
	renderSubprocessorCsv,
	subprocessorSummary,
	toPublic,
} from '../../src/lib/subprocessors.ts';
import { SiteSettingsSchema } from '../../src/schemas/site.ts';
import { SubprocessorSchema } from '../../src/schemas/subprocessor.ts';

const site = SiteSettingsSchema.parse({
	companyName: 'Acme',
	legalName: 'Acme Ltd',
	tagline: 'Trust',
	url: 'https://trust.acme.example',
	logo: { light: '/logo.svg' },
	brandColor: '#112233',
	contacts: {
		security: 's@acme.example',
		privacy: 'p@acme.example',
		dpo: { name: 'DPO', email: 'd@acme.example' },
	},
	securityTxt: {
		contact: ['mailto:s@acme.example'],
		encryption: 'https://acme.example/key.txt',
		expiresAfterDays: 30,
	},
});
const NOW = new Date('2026-11-23T10:20:30.456Z');

describe('security.txt', () => {
	it('writes the RFC 9116 fields with Expires computed from the build time', () => {
		expect(renderSecurityTxt(site, NOW)).toMatchInlineSnapshot(`
			"Contact: mailto:s@acme.example
			Expires: 2026-12-23T10:20:30Z
			Encryption: https://acme.example/key.txt
			Preferred-Languages: en
			Canonical: https://trust.acme.example/.well-known/security.txt
			"
		`);
	});

	it("prefers reports in the site's language unless told otherwise, and checks each tag", () => {
		const line = (settings: object) =>
			renderSecurityTxt(SiteSettingsSchema.parse({ ...site, ...settings }), NOW)
				.split('\n')
				.find((l) => l.startsWith('Preferred-Languages'));
		expect(line({ language: 'ja' })).toBe('Preferred-Languages: ja');
		expect(
			line({
				language: 'ja',
				securityTxt: { ...site.securityTxt, preferredLanguages: ['JA', 'en'] },
			}),
		).toBe('Preferred-Languages: ja, en');
		expect(
			SiteSettingsSchema.safeParse({
				...site,
				securityTxt: { ...site.securityTxt, preferredLanguages: ['english'] },
			}).error?.issues[0]?.message,
		).toBe('expected a language tag like "en", "de", "ja" or "pt-BR", received "english"');
	});

	it('refuses to publish a file that would already be expired', () => {
		const expired = {
			...site,
			securityTxt: { ...site.securityTxt, expires: new Date('2026-11-01') },
		};
		expect(() => renderSecurityTxt(expired, NOW)).toThrowErrorMatchingInlineSnapshot(
			`[Error: content/site.yaml: **securityTxt.expires**: security.txt would already be expired (2026-11-01T00:00:00.000Z). Set a future date, or remove \`expires\` and use \`expiresAfterDays\`.]`,
		);
	});
});

const item: FeedItem = {
	id: 'a',
	title: 'Fish & <Chips>',
	summary: 'S "q"',
	url: 'https://t.example/updates/a/',
	date: new Date('2026-11-01T00:00:00Z'),
	html: '<p>Body</p>',
	kind: 'general',
	subprocessors: [],
};
const meta = {
	title: 'Acme updates',
	siteUrl: 'https://t.example/',
	feedUrl: 'https://t.example/updates.xml',
	author: 'Acme Ltd',
	language: 'en',
};

describe('feeds', () => {
	it('link to the site by its punycode URL when its domain is internationalised, as the sitemap does', () => {
		const german = feedMeta(
			{
				companyName: 'Müller & Söhne',
				legalName: 'Müller & Söhne GmbH',
				url: 'https://trust.müller-söhne.de',
				language: 'de',
			},
			'/updates.xml',
			ENGLISH,
		);
		expect(german).toEqual({
			title: 'Müller & Söhne trust center updates',
			siteUrl: 'https://trust.xn--mller-shne-kcb9d.de/',
			feedUrl: 'https://trust.xn--mller-shne-kcb9d.de/updates.xml',
			author: 'Müller & Söhne GmbH',
			language: 'de',
		});
		expect(renderAtom(german, [])).toContain(
			'<link href="https://trust.xn--mller-shne-kcb9d.de/"/>',
		);
		expect(JSON.parse(renderJsonFeed(german, []))).toMatchObject({
			home_page_url: 'https://trust.xn--mller-shne-kcb9d.de/',
		});
	});

	it("say the site's language: Atom's xml:lang, JSON Feed's language", () => {
		const japanese = { ...meta, language: 'ja' };
		expect(renderAtom(japanese, [])).toContain(
			'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ja">',
		);
		expect(JSON.parse(renderJsonFeed(japanese, []))).toMatchObject({ language: 'ja' });
	});

	it('escapes text and HTML in the Atom feed', () => {
		const xml = renderAtom(meta, [item]);
		expect(xml).toContain('<title>Fish &amp; &lt;Chips&gt;</title>');
		expect(xml).toContain('<content type="html">&lt;p&gt;Body&lt;/p&gt;</content>');
		expect(xml).toContain('<updated>2026-11-01T00:00:00.000Z</updated>');
	});

	it('writes a JSON Feed 1.1 document', () => {
		const feed = JSON.parse(renderJsonFeed(meta, [item]));
		expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
		expect(feed.items[0]).toMatchObject({
			id: item.url,
			title: 'Fish & <Chips>',
			content_html: '<p>Body</p>',
			date_published: '2026-11-01T00:00:00.000Z',
			tags: ['general'],
		});
		expect(feed.items[0]).not.toHaveProperty('_trust_center');
	});

	it('names the subprocessors a notice announces in its _trust_center extension, by their public ids', () => {
		const notice = { ...item, kind: 'subprocessor-change', subprocessors: ['mailer', 'eu-cloud'] };
		const feed = JSON.parse(renderJsonFeed(meta, [notice]));
		expect(feed.items[0]).toMatchObject({
			tags: ['subprocessor-change'],
			_trust_center: { subprocessors: ['mailer', 'eu-cloud'] },
		});
	});
});

describe('subprocessor exports', () => {
	const hidden = SubprocessorSchema.parse({
		id: 'h',
		name: 'Secret Cloud Inc',
		purpose: 'Hosting',
		dataCategories: ['customer-content'],
		locations: ['eu'],
		transferMechanism: 'none-needed',
		website: 'https://secret.example',
		effective: '2025-01-01',
		publicDescriptor: 'EU cloud hosting provider',
	});
	const formula = SubprocessorSchema.parse({
		id: 'f',
		name: '=HYPERLINK("x")',
		purpose: 'Mail, and "more"',
		dataCategories: ['account-data', 'usage-data'],
		locations: ['us', 'eu'],
		transferMechanism: 'dpf',
		effective: '2025-01-01',
	});

	it('shows the public descriptor and no name or website for NDA-named entries', () => {
		expect(toPublic(hidden, ENGLISH)).toMatchObject({
			name: 'EU cloud hosting provider',
			named: false,
			website: null,
		});
		expect(JSON.stringify(toPublic(hidden, ENGLISH))).not.toContain('Secret');
	});

	it('writes RFC 4180 CSV, quoting commas and quotes, and defusing spreadsheet formulas', () => {
		const csv = renderSubprocessorCsv([toPublic(formula, ENGLISH)]);
		expect(csv.startsWith('\uFEFF')).toBe(true);
		expect(csv.slice(1)).toMatchInlineSnapshot(`
			"name,purpose,dataCategories,locations,transferMechanism,website,state,noticeDate,effective,removed
			"'=HYPERLINK(""x"")","Mail, and ""more""","Account data (names, work emails); Usage and telemetry data","United States; European Union",EU-US Data Privacy Framework,,active,,2025-01-01,
			"
		`);
	});
});

describe("the overview's subprocessor sentence", () => {
	const at = (...locations: string[]) => ({ locations });

	it('counts the regions data is processed in, and tells a provider operating globally apart from them', () => {
		expect(
			subprocessorSummary([at('eu'), at('us', 'eu'), at('uk'), at('global')], 0, ENGLISH),
		).toBe(
			'We use 4 subprocessors, processing data in 3 regions, and 1 of them operates globally.',
		);
		expect(subprocessorSummary([at('eu'), at('global'), at('global', 'us')], 1, ENGLISH)).toBe(
			'We use 3 subprocessors, processing data in 2 regions, and 2 of them operate globally. 1 planned change is announced.',
		);
	});

	it('says one region, only global providers, or none at all in a sentence of its own', () => {
		expect(subprocessorSummary([at('eu'), at('eu')], 0, ENGLISH)).toBe(
			'We use 2 subprocessors, processing data in 1 region.',
		);
		expect(subprocessorSummary([at('global')], 0, ENGLISH)).toBe(
			'We use 1 subprocessor, operating globally.',
		);
		expect(subprocessorSummary([at('global'), at('global')], 2, ENGLISH)).toBe(
			'We use 2 subprocessors, all operating globally. 2 planned changes are announced.',
		);
		expect(subprocessorSummary([], 1, ENGLISH)).toBe(
			'No subprocessor processes customer data yet. 1 planned change is announced.',
		);
		expect(subprocessorSummary([], 0, ENGLISH)).toBeUndefined();
	});
});

describe('the build time', () => {
	it('follows SOURCE_DATE_EPOCH when set, so builds are reproducible', () => {
		expect(buildTime({ SOURCE_DATE_EPOCH: '1795435200' }).toISOString()).toBe(
			'2026-11-23T12:00:00.000Z',
		);
		expect(Math.abs(buildTime({}).getTime() - Date.now())).toBeLessThan(60_000);
	});

	it('rejects a SOURCE_DATE_EPOCH that is not whole seconds', () => {
		expect(() => buildTime({ SOURCE_DATE_EPOCH: '2026-11-23' })).toThrowErrorMatchingInlineSnapshot(
			`[Error: SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01 (like 1795435200), received "2026-11-23". Unset it to use the current time.]`,
		);
	});
});
