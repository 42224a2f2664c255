// A site whose team writes in other scripts, and types markup into a title: every section, filter and
// heading keeps its own id, and the page's <title> prints the markup as text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
