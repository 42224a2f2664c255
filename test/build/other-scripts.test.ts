// A site whose team writes in Japanese (site.yaml's `language: ja`) and other scripts, and types markup
// into a title: every page says its language and search finds words inside Japanese sentences; every
// section, filter and heading keeps its own id; and the page's <title> prints the markup as text.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { startTestGate } from '../helpers/gate.ts';
import { OG_INDEX } from '../../src/integration/og-images.ts';
import type { OgInput } from '../../src/lib/og/card.ts';
import { drawWholeOg, loadOgAssets } from '../../src/lib/og/render.ts';
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

	it("says the trust center's own words in Japanese, and the team's labels over them", () => {
		const text = (path: string) =>
			page(path)
				.replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
				.replace(/<[^>]+>/g, ' ')
				.replace(/\s+/g, ' ');
		const overview = text('');
		// The sidebar, a section heading, and the team's own word for "Contacts" (site.yaml's labels).
		for (const words of [
			'トラストセンター',
			'委託先',
			'よくある質問',
			'最新のお知らせ',
			'ご連絡先',
		])
			expect(overview).toContain(words);
		expect(overview).not.toContain('お問い合わせ先');
		expect(overview).toMatch(/当社は\d+社の委託先を利用しています/);
		expect(overview).toContain('2026年11月5日');
		expect(overview).not.toMatch(/Latest updates|Contacts|We use \d/);
		// The search dialog's filter is headed by its name.
		expect(page('')).toContain('data-pagefind-filter="種類[content]"');
		expect(text('subprocessors/')).toContain('日本');
		expect(readFileSync(join(site, 'dist/updates.xml'), 'utf8')).toContain(
			'<title>Fixture Co トラストセンターのお知らせ</title>',
		);
		const images = JSON.parse(readFileSync(join(site, 'dist', OG_INDEX), 'utf8')) as ({
			page: string;
		} & OgInput)[];
		expect(images.find((i) => i.page === '/faq/')).toMatchObject({
			kind: 'よくある質問',
			footer: 'Fixture Co トラストセンター',
		});
	});

	it("draws the link preview of a Japanese title with Noto Sans CJK, in the build's drawing processes", async () => {
		const index = JSON.parse(readFileSync(join(site, 'dist', OG_INDEX), 'utf8')) as ({
			page: string;
			image: string;
		} & OgInput)[];
		const {
			page: _page,
			image,
			...input
		} = index.find((e) => e.page === '/updates/2026-11-05-key-rotation/')!;
		expect(input.title).toBe('暗号鍵のローテーションを九十日ごとに');
		const built = PNG.sync.read(readFileSync(join(site, 'dist', image)));
		const logo = join(site, 'content/public/brand/logo-light.svg');
		const cache = join(site, '.cache/og');
		const drawn = PNG.sync.read(
			await drawWholeOg(input, loadOgAssets(logo, cache, { language: 'ja' })),
		);
		expect(pixelmatch(built.data, drawn.data, undefined, 1200, 630, { threshold: 0.1 })).toBe(0);
		// Drawn with Inter alone, each character would be a box.
		const empty = mkdtempSync(join(tmpdir(), 'no-fonts-'));
		const boxes = PNG.sync.read(
			await drawWholeOg(input, loadOgAssets(logo, cache, { fontDir: empty })),
		);
		expect(pixelmatch(built.data, boxes.data, undefined, 1200, 630)).toBeGreaterThan(5000);
		expect(output).not.toContain('Noto Sans CJK');
	});

	it('lets search find a word inside a Japanese sentence, which an English index cannot split out, and answer in Japanese', async () => {
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
			// Words from inside the sentences of the FAQ answer ("お客様のデータは東京リージョンの鍵管理サービスで暗号化され、
			// 鍵は九十日ごとにローテーションされます。") and of the update ("鍵管理サービスが古い鍵を無効にし、…").
			const faq = '/faq/';
			const update = '/updates/2026-11-05-key-rotation/';
			for (const [word, pages] of [
				['東京', [faq]],
				['リージョン', [faq]],
				['無効', [update]],
				// And the overview: Pagefind splits the query into 鍵 and 管理, and the overview lists the update's
				// title (暗号鍵の…) and says 管理策 in its own Japanese words.
				['鍵管理', ['/', faq, update]],
			] as const)
				expect(((await search(word)) as string[]).sort(), word).toEqual([...pages].sort());
			// The search box says so in Japanese (Pagefind's UI alone would answer "3 results for 鍵管理").
			await tab.click('button[data-open-modal]');
			await tab.fill('dialog input', '鍵管理');
			await expect
				.poll(() => tab.locator('.pagefind-ui__message').textContent(), { timeout: 30_000 })
				.toBe('鍵管理の3件の検索結果');
			expect(await tab.locator('.pagefind-ui__form').getAttribute('aria-label')).toBe(
				'このサイトを検索',
			);
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
