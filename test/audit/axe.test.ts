import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveExample, sitemapPaths } from '../helpers/browser.ts';
import { AXE_MAX_VIOLATIONS } from './thresholds.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
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

describe('axe-core', () => {
	it('finds no violations on any sitemap URL, in light or dark theme', async () => {
		const paths = await sitemapPaths(server.dist);
		expect(paths.length).toBeGreaterThan(50);
		const failures: string[] = [];
		for (const theme of ['light', 'dark']) {
			const context = await browser.newContext({ colorScheme: theme as 'light' | 'dark' });
			const page = await context.newPage();
			for (const path of [...paths, '/404.html']) {
				await page.goto(server.url + path);
				await page.addScriptTag({ content: axeSource });
				const violations = await page.evaluate(async () => {
					const result = await (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run({ resultTypes: ['violations'] });
					return result.violations.map((v) => `${v.id} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
				});
				failures.push(...violations.map((v) => `${theme} ${path}: ${v}`));
			}
			await context.close();
		}
		expect(failures.length, failures.join('\n')).toBeLessThanOrEqual(AXE_MAX_VIOLATIONS);
	});
});
