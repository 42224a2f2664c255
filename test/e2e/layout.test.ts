// Layout over every page of the built example: nothing makes a page scroll sideways on a phone, no id is
// used twice on a page, and the wide parts fit where the reviewer found they did not.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveExample, sitemapPaths } from '../helpers/browser.ts';

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
