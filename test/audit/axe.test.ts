import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveExample, sitemapPaths } from '../helpers/browser.ts';
import { AXE_MAX_VIOLATIONS } from './thresholds.ts';

const axeSource = readFileSync(
	createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
	'utf8',
);
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

/** axe violations on one page, as "rule (selectors)" lines. */
async function audit(page: Page, url: string): Promise<string[]> {
	await page.goto(url);
	await page.addScriptTag({ content: axeSource });
	return page.evaluate(async () => {
		const axe = (
			window as unknown as {
				axe: {
					run: (
						o: object,
					) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
				};
			}
		).axe;
		const result = await axe.run({ resultTypes: ['violations'] });
		return result.violations.map(
			(v) =>
				`${v.id} (${v.nodes
					.slice(0, 3)
					.map((n) => n.target.join(' '))
					.join(', ')})`,
		);
	});
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
