import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe.ts';
import { launchChromium, serveExample, sitemapPaths } from '../helpers/browser.ts';
import { AXE_MAX_VIOLATIONS } from './thresholds.ts';

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

/** axe violations on the page at `url`. */
async function audit(page: Page, url: string): Promise<string[]> {
	await page.goto(url);
	return axeViolations(page);
}

describe('axe-core', () => {
	for (const theme of ['light', 'dark'] as const) {
		it(
			`finds no violations on any sitemap URL in the ${theme} theme`,
			{ timeout: 600_000 },
			async () => {
				const paths = [...(await sitemapPaths(server.dist)), '/404.html'];
				expect(paths.length).toBeGreaterThan(50);
				// axe is injected as an inline script, which the site's Content-Security-Policy rightly blocks.
				const context = await browser.newContext({ colorScheme: theme, bypassCSP: true });
				const failures: string[] = [];
				// Three pages at a time: enough to keep both cores busy.
				const queue = [...paths];
				await Promise.all(
					[1, 2, 3].map(async () => {
						const page = await context.newPage();
						for (let path = queue.shift(); path; path = queue.shift()) {
							failures.push(...(await audit(page, server.url + path)).map((v) => `${path}: ${v}`));
						}
					}),
				);
				await context.close();
				expect(failures.length, failures.join('\n')).toBeLessThanOrEqual(AXE_MAX_VIOLATIONS);
			},
		);
	}
});
