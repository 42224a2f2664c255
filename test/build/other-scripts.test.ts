// A site whose team writes in Japanese (site.yaml's `language: ja`) and other scripts, and types markup
// into a title: every page says its language and search finds words inside Japanese sentences; every
// section, filter and heading keeps its own id; and the page's <title> prints the markup as text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { startTestGate } from '../helpers/gate.ts';
import {
	FIXTURE_DOCS,
	buildSite,
	fixtureContent,
	makeSite,
	removeSite,
} from '../../scripts/lib/site-copy.ts';

const PINNED_TIME = { SOURCE_DATE_EPOCH: String(Date.parse('2026-11-23T12:00:00Z') / 1000) };
const site = makeSite('other-scripts', {
	content: fixtureContent('other-scripts'),
	docs: FIXTURE_DOCS,
});
let output = '';
beforeAll(async () => {
	const built = await buildSite(site, [], PINNED_TIME);
	output = built.output;
	expect(built.code, output).toBe(0);
}, 300_000);
afterAll(() => removeSite(site));

const page = (path: string) => readFileSync(join(site, 'dist', path, 'index.html'), 'utf8');
const all = (html: string, re: RegExp) => [...html.matchAll(re)].map((m) => m[1]!);

describe("the site's language", () => {
	it("is every page's lang, og:locale and Starlight's own words, and the feeds' language", () => {
		const html = page('');
		expect(/<html [^>]*>/.exec(html)?.[0]).toMatch(/ lang="ja" dir="ltr"/);
		expect(html).toContain('<meta property="og:locale" content="ja"/>');
		// Starlight's search button, in Japanese.
		expect(html).toContain('aria-label="検索"');
		expect(readFileSync(join(site, 'dist/updates.xml'), 'utf8')).toContain('xml:lang="ja"');
		expect(JSON.parse(readFileSync(join(site, 'dist/updates.json'), 'utf8')).language).toBe('ja');
	});

	it('lets search find a word inside a Japanese sentence, which an English index cannot split out', async () => {
		const index = JSON.parse(readFileSync(join(site, 'dist/pagefind/pagefind-entry.json'), 'utf8'));
		expect(Object.keys(index.languages)).toEqual(['ja']);
		const gate = await startTestGate(join(site, 'dist'));
		const browser = await launchChromium();
		try {
			const tab = await browser.newPage();
			await tab.goto(`${gate.url}/`);
			// Pagefind's own JS API, as the search box uses it (passed as a string: Vite would rewrite an import()).
			const search = (term: string) =>
				tab.evaluate(
					`(async (term) => { const pagefind = await import('/pagefind/pagefind.js'); const { results } = await pagefind.search(term); return Promise.all(results.map(async (r) => (await r.data()).url)); })(${JSON.stringify(term)})`,
				);
			// From the middle of "お客様のデータは東京リージョンの鍵管理サービスで暗号化され、鍵は九十日ごとにローテーションされます。"
			for (const word of ['鍵管理', 'ローテーション', '東京', '暗号化'])
				expect(await search(word), word).toEqual(['/faq/']);
		} finally {
			await browser.close();
			await gate.stop();
		}
	});
});

describe('content in other scripts', () => {
	it('gives each purpose its own filter, and the default filter hides no subprocessor', () => {
		const html = page('subprocessors');
		const options = all(
			/<select name="purpose">([\s\S]*?)<\/select>/.exec(html)![1]!,
			/<option value="([^"]*)"/g,
		);
		// "Cloud hosting" and "Cloud Hosting" are one purpose.
		expect(options).toEqual(['', 'cloud-hosting', 'クラウドホスティング']);
		// Every rule hides rows for a chosen purpose; none is for the empty "All purposes".
		const rules = all(html, /option\[value="([^"]*)"\]:checked\) tbody tr:not\(\[data-purpose/g);
		expect(rules.sort()).toEqual(['cloud-hosting', 'クラウドホスティング']);
		// And every row has one of them.
		expect(new Set(all(html, /data-purpose="([^"]*)"/g))).toEqual(
			new Set(['cloud-hosting', 'クラウドホスティング']),
		);
	});

	it('gives every FAQ category a section with its own id, and one section to spellings of one category', () => {
		const html = page('faq');
		const sections = all(html, /<section aria-labelledby="([^"]*)">/g);
		expect(sections.sort()).toEqual(
			['data-protection', 'encryption-keys-questions', 'حماية-البيانات', 'データ保護'].sort(),
		);
		// The entry keeps its own id, the link to it; its category, named alike, gets another.
		expect(html.match(/id="encryption-keys"/g)).toHaveLength(1);
		for (const id of sections) expect(html).toContain(`<h2 id="${id}">`);
		expect(html).not.toMatch(/href="#"/);
	});

	it('prints markup typed into a title as text, in the page title and everywhere else', () => {
		const html = page('updates/2026-11-02-markup');
		expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).toBe(
			'&lt;/title>&lt;script>alert(1)&lt;/script> Terms & conditions | Fixture Co',
		);
		// Quoted in attributes (og:title) it is text already; nowhere else is it markup.
		expect(html.replace(/"[^"]*"/g, '""')).not.toContain('<script>alert(1)');
	});
});
