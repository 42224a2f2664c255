import { ENGLISH } from '../../src/lib/words/words.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { checkContent } from '../../src/integration/trust-center.ts';
import { label } from '../../src/lib/labels.ts';
import { countCatalog } from '../../src/lib/status/counts.ts';
import { sortSubprocessors, toPublic } from '../../src/lib/subprocessors.ts';
import { launchChromium, serveExample } from '../helpers/browser.ts';

const { content } = checkContent(inject('exampleSite'));
const publicUpdates = content.updates.filter((u) => u.data.visibility !== 'nda');
let browser: Browser;
let server: Awaited<ReturnType<typeof serveExample>>;
beforeAll(async () => {
	server = await serveExample();
	browser = await launchChromium();
});
afterAll(async () => {
	await browser?.close();
	await server?.close();
});
const read = (path: string) => readFileSync(join(server.dist, path), 'utf8');

describe('machine-readable data', () => {
	it('subprocessors.json equals the content, with descriptors in place of NDA-only names', () => {
		const json = JSON.parse(read('subprocessors.json'));
		expect(json.subprocessors).toEqual(
			sortSubprocessors(
				content.subprocessors.map((s) => toPublic(s.data, ENGLISH)),
				content.site.language,
			),
		);
		for (const s of content.subprocessors.filter((e) => e.data.publicDescriptor))
			expect(read('subprocessors.json')).not.toContain(s.data.name);
	});

	it('subprocessors.csv has a header and one row per subprocessor', () => {
		const lines = read('subprocessors.csv').trimEnd().split('\r\n');
		// The BOM tells Excel the file is UTF-8.
		expect(lines[0]).toBe(
			'\uFEFFname,purpose,dataCategories,locations,transferMechanism,website,state,noticeDate,effective,removed',
		);
		expect(lines).toHaveLength(content.subprocessors.length + 1);
	});

	it('the Atom feed parses as XML with one entry per update', async () => {
		const page = await browser.newPage();
		const xml = read('updates.xml');
		const result = await page.evaluate((text) => {
			const doc = new DOMParser().parseFromString(text, 'application/xml');
			return {
				error: doc.querySelector('parsererror')?.textContent ?? null,
				root: doc.documentElement.namespaceURI,
				entries: [...doc.querySelectorAll('entry > title')].map((t) => t.textContent),
			};
		}, xml);
		expect(result.error).toBeNull();
		expect(result.root).toBe('http://www.w3.org/2005/Atom');
		// Updates with visibility: nda are in the whitepaper only.
		expect(result.entries.sort()).toEqual(publicUpdates.map((u) => u.data.title).sort());
		expect(content.updates.length).toBeGreaterThan(publicUpdates.length);
		await page.close();
	});

	it('the JSON Feed lists every update with its rendered body', () => {
		const feed = JSON.parse(read('updates.json'));
		expect(feed.items).toHaveLength(publicUpdates.length);
		expect(feed.items.every((i: { content_html: string }) => i.content_html.includes('<p>'))).toBe(
			true,
		);
		// The notice that announces subprocessor changes names them, for the gate to mail them inside it.
		const announcing = feed.items.filter((i: object) => '_trust_center' in i);
		expect(announcing).toMatchObject([
			{
				title: 'Notice: new e-mail delivery subprocessor',
				_trust_center: { subprocessors: ['postwright-mail', 'bellcourt-mail'] },
			},
		]);
	});

	it('status.json carries the snapshot counts and digest, and says what the framework pages say', () => {
		const status = JSON.parse(read('status.json'));
		expect(status.asOf).toBe(content.snapshot.data.asOf);
		expect(status.digest).toBe(content.snapshot.data.digest);
		expect(status.evaluatedAt).toBe(new Date(inject('exampleBuildTime')).toISOString());
		expect(status.maxEvidenceAgeDays).toBe(content.site.controlStatus.maxEvidenceAgeDays);
		const freshness = {
			now: new Date(inject('exampleBuildTime')),
			maxEvidenceAgeDays: content.site.controlStatus.maxEvidenceAgeDays,
		};
		for (const framework of content.frameworks.filter((f) => f.data.catalog)) {
			const counts = countCatalog(
				content.catalogs.find((c) => c.data.id === framework.data.catalog)!.data,
				content.snapshot.data,
				freshness,
			);
			const { domains: _domains, ...totals } = counts;
			expect(
				status.frameworks.find((f: { id: string }) => f.id === framework.data.id).counts,
			).toEqual(totals);
		}
		for (const f of status.frameworks.filter((x: { counts?: unknown }) => x.counts)) {
			const html = read(`frameworks/${f.id}/index.html`)
				.replace(/<[^>]+>/g, '')
				.replace(/\s+/g, ' ');
			expect(html).toContain(
				`${f.counts.implemented} of ${f.counts.applicable} ${f.unit} implemented`,
			);
			for (const [label, n] of [
				['Partial', f.counts.partial],
				['Failing', f.counts.failing],
				['Stale evidence', f.counts.stale],
				['Not applicable', f.counts.notApplicable],
			]) {
				expect(html).toContain(`${label} ${n}`);
			}
		}
	});

	it('publishes no NDA document file', () => {
		for (const doc of content.documents.filter((d) => d.data.access === 'nda')) {
			expect(() => read(`documents/files/${doc.data.id}.pdf`)).toThrow(/ENOENT/);
		}
	});
	it('serves a well-formed, titled badge per public framework, with the status or live count its page shows', async () => {
		const page = await browser.newPage();
		const frameworks = content.frameworks.filter((f) => f.data.visibility !== 'nda');
		for (const { data: f } of frameworks) {
			const result = await page.evaluate(
				(text) => {
					const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
					const root = doc.documentElement;
					return {
						error: doc.querySelector('parsererror')?.textContent ?? null,
						root: root.localName,
						ns: root.namespaceURI,
						role: root.getAttribute('role'),
						label: root.getAttribute('aria-label'),
						title: root.querySelector('title')?.textContent,
						texts: [...root.querySelectorAll('text')].map((t) => t.textContent),
					};
				},
				read(`badges/${f.id}.svg`),
			);
			expect(result, f.id).toMatchObject({
				error: null,
				root: 'svg',
				ns: 'http://www.w3.org/2000/svg',
				role: 'img',
			});
			expect(result.title).toBe(result.label);
			const name = f.shortName ?? f.name;
			expect(result.texts[0]).toBe(name);
			const headline = /<p class="tc-headline[^"]*"[^>]*>([\s\S]*?)<\/p>/.exec(
				read(`frameworks/${f.id}/index.html`),
			)?.[1];
			// The badge gives the page's headline as "76/89", with its failing, stale and not-reported parts.
			const [counted, ...notes] = (headline ?? '')
				.replace(/<[^>]+>/g, '')
				.replace(/\s+/g, ' ')
				.trim()
				.split(' · ');
			const [implemented, , applicable] = (counted ?? '').split(' ');
			expect(result.title, f.id).toBe(
				`${name}: ${headline ? [`${implemented}/${applicable}`, ...notes.filter((n) => !n.endsWith('not applicable'))].join(' · ') : f.status.replace('-', ' ')}`,
			);
		}
		await page.close();
	});

	it("gives a framework's Open Graph image the counts its page's headline gives, stale ones included", () => {
		const images = JSON.parse(read('og/index.json')) as { page: string; subtitle: string }[];
		const counted = content.frameworks.filter((f) => f.data.catalog);
		expect(counted.length).toBeGreaterThan(0);
		for (const { data: f } of counted) {
			const headline = /<p class="tc-headline[^"]*"[^>]*>([\s\S]*?)<\/p>/.exec(
				read(`frameworks/${f.id}/index.html`),
			)![1]!;
			const text = (html: string) =>
				html
					.replace(/<[^>]+>/g, '')
					.replace(/\s+/g, ' ')
					.trim();
			const subtitle = images.find((i) => i.page === `/frameworks/${f.id}/`)!.subtitle;
			expect(text(subtitle), f.id).toBe(`${label(f.status, ENGLISH)} · ${text(headline)}`);
		}
	});

	it('offers the badge on each framework page with copy-paste HTML and Markdown', async () => {
		const page = await browser.newPage();
		await page.goto(`${server.url}/frameworks/soc-2/`);
		const badge = page.locator('img[src="/badges/soc-2.svg"]');
		expect(await badge.getAttribute('alt')).toMatch(/^SOC 2: \d+\/\d+( · \d+ [a-z ]+)*$/);
		await expect
			.poll(() => badge.evaluate((img) => (img as HTMLImageElement).naturalWidth))
			.toBeGreaterThan(50);
		const html = await page.getByRole('region', { name: 'HTML embed code' }).textContent();
		expect(html).toMatch(
			/^<a href="https:\/\/trust\.kestrelledger\.example\/frameworks\/soc-2\/"><img src="https:\/\/trust\.kestrelledger\.example\/badges\/soc-2\.svg" alt="SOC 2: [^"]+" height="20"><\/a>$/,
		);
		expect(await page.getByRole('region', { name: 'Markdown embed code' }).textContent()).toMatch(
			/^\[!\[SOC 2: [^\]]+\]\(https:\/\/trust\.kestrelledger\.example\/badges\/soc-2\.svg\)\]\(https:\/\/trust\.kestrelledger\.example\/frameworks\/soc-2\/\)$/,
		);
		await page.close();
	});
});
