// Layout over every page of the built example: nothing makes a page scroll sideways on a phone, no id is
// used twice on a page, and the wide parts fit where the reviewer found they did not.
import { ENGLISH } from '../../src/lib/words/words.ts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkContent } from '../../src/integration/trust-center.ts';
import { frameworkUrl, policyUrl, SECTIONS } from '../../src/lib/routing/urls.ts';
import { toPublic } from '../../src/lib/subprocessors.ts';
import { launchChromium, serveExample, sitemapPaths } from '../helpers/browser.ts';

const { content } = checkContent(inject('exampleSite'));
/** The frameworks with a catalog: their pages have the chart and the table by domain. */
const counted = content.frameworks
	.filter((f) => f.data.catalog)
	.map((f) => ({
		framework: f.data,
		domains: [
			...new Set(
				content.catalogs
					.find((c) => c.data.id === f.data.catalog)!
					.data.controls.map((c) => c.domain),
			),
		],
	}));

let browser: Browser;
let server: Awaited<ReturnType<typeof serveExample>>;
let paths: string[];
beforeAll(async () => {
	server = await serveExample();
	browser = await launchChromium();
	paths = [...(await sitemapPaths(server.dist)), '/404.html'];
});
afterAll(async () => {
	await browser?.close();
	await server?.close();
});

/** What one look at a page at 390 px finds: how far it scrolls sideways, and the ids it uses more than once. */
interface Survey {
	path: string;
	scrollWidth: number;
	clientWidth: number;
	repeatedIds: string[];
}
let surveyed: Promise<Survey[]> | undefined;
/** Looks at every page once, at 390 px, two pages at a time; the tests below share what it found. */
function survey(): Promise<Survey[]> {
	surveyed ??= (async () => {
		const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
		const found: Survey[] = [];
		const queue = [...paths];
		await Promise.all(
			[1, 2].map(async () => {
				const page = await context.newPage();
				for (let path = queue.shift(); path; path = queue.shift()) {
					await page.goto(server.url + path);
					const look = await page.evaluate(() => {
						const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
						return {
							scrollWidth: document.documentElement.scrollWidth,
							clientWidth: document.documentElement.clientWidth,
							repeatedIds: [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))],
						};
					});
					found.push({ path, ...look });
				}
			}),
		);
		await context.close();
		return found;
	})();
	return surveyed;
}

describe('every page', () => {
	it('fits a 390 px wide phone without scrolling sideways (wide tables scroll in their own box)', async () => {
		const pages = await survey();
		expect(pages.length).toBeGreaterThan(50);
		const overflowing = pages
			.filter((p) => p.scrollWidth > p.clientWidth)
			.map((p) => `${p.path}: ${p.scrollWidth} > ${p.clientWidth}`);
		expect(overflowing).toEqual([]);
	});

	it('uses each id once, also with a subprocessor table twice on a page', async () => {
		const pages = await survey();
		const repeated = pages
			.filter((p) => p.repeatedIds.length > 0)
			.map((p) => `${p.path}: ${p.repeatedIds.join(', ')}`);
		expect(repeated).toEqual([]);
	});
});

describe('the subprocessor list', () => {
	it('keeps the #sp-<public id> anchor of every subprocessor that links and mails point at', async () => {
		const page = await browser.newPage();
		await page.goto(`${server.url}${SECTIONS.subprocessors.path}`);
		const ids = await page
			.locator('tbody tr[id]')
			.evaluateAll((rows) => rows.map((r) => r.id).sort());
		expect(ids).toEqual(
			content.subprocessors.map((s) => `sp-${toPublic(s.data, ENGLISH).id}`).sort(),
		);
		await page.close();
	});
});

describe('a framework page on a 1280 px screen', () => {
	it('shows the counts by domain, meters included, without scrolling the table sideways', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		expect(counted.length).toBeGreaterThan(1);
		for (const { framework } of counted) {
			await page.goto(server.url + frameworkUrl(framework.id));
			const box = page.getByRole('region', { name: /by domain$/ });
			const [scroll, client] = await box.evaluate((el) => [el.scrollWidth, el.clientWidth]);
			expect(scroll, framework.id).toBeLessThanOrEqual(client);
		}
		await page.close();
	});

	it("draws each domain's whole name in the chart, on two lines when it is long", async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		const longest = counted.flatMap((c) => c.domains).sort((a, b) => b.length - a.length)[0]!;
		expect(longest.length).toBeGreaterThan(27);
		for (const { framework, domains } of counted) {
			await page.goto(server.url + frameworkUrl(framework.id));
			const labels = await page
				.getByRole('img', { name: /by status and domain/ })
				.locator('text:has(tspan)')
				.evaluateAll((texts) =>
					texts.map((t) => [...t.querySelectorAll('tspan')].map((s) => s.textContent).join(' ')),
				);
			expect(labels, framework.id).toEqual(domains);
		}
		await page.close();
	});
});

describe('the fact lists of framework and policy pages', () => {
	it('start each value under its label, and the facts of a row at one height', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		const pages = [frameworkUrl(counted[0]!.framework.id), policyUrl(content.policies[0]!.data.id)];
		for (const path of pages) {
			await page.goto(server.url + path);
			const facts = await page
				.locator('main dl')
				.first()
				.evaluate((dl) =>
					[...dl.children].map((fact) => {
						const [dt, dd] = [fact.querySelector('dt')!, fact.querySelector('dd')!].map((e) =>
							e.getBoundingClientRect(),
						);
						return { top: Math.round(dt!.top), labelLeft: dt!.left, valueLeft: dd!.left };
					}),
				);
			expect(facts.length, path).toBeGreaterThan(3);
			for (const fact of facts) expect(fact.valueLeft, path).toBe(fact.labelLeft);
			// The first row holds at least the first three facts (the grid's columns are 10rem or wider).
			expect(new Set(facts.slice(0, 3).map((f) => f.top)).size, path).toBe(1);
		}
		await page.close();
	});
});
