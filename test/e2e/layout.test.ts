// Layout over every page of the built example: nothing makes a page scroll sideways on a phone, no id is
// used twice on a page, and the wide parts fit where the reviewer found they did not.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkContent } from '../../src/integration/trust-center.ts';
import { frameworkUrl, policyUrl } from '../../src/lib/routing/urls.ts';
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

/** Runs `check` on every page at `width` px, two pages at a time, and returns what it found, by path. */
async function everyPage(
	width: number,
	check: (page: Page) => Promise<string | undefined>,
): Promise<string[]> {
	const context = await browser.newContext({ viewport: { width, height: 800 } });
	const found: string[] = [];
	const queue = [...paths];
	await Promise.all(
		[1, 2].map(async () => {
			const page = await context.newPage();
			for (let path = queue.shift(); path; path = queue.shift()) {
				await page.goto(server.url + path);
				const problem = await check(page);
				if (problem) found.push(`${path}: ${problem}`);
			}
		}),
	);
	await context.close();
	return found.sort();
}

describe('every page', () => {
	it('fits a 390 px wide phone without scrolling sideways (wide tables scroll in their own box)', async () => {
		expect(paths.length).toBeGreaterThan(50);
		const overflowing = await everyPage(390, (page) =>
			page.evaluate(() => {
				const { scrollWidth, clientWidth } = document.documentElement;
				return scrollWidth > clientWidth ? `${scrollWidth} > ${clientWidth}` : undefined;
			}),
		);
		expect(overflowing).toEqual([]);
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
