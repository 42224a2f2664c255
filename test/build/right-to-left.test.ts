// A site written in Hebrew (site.yaml's `language: he`) is laid out right to left, except what is drawn
// or written left to right: the coverage chart, whose SVG text would fall outside its box under rtl,
// and the badge's embed code. The section links' arrow points the way the line reads.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { startTestGate } from '../helpers/gate.ts';
import {
	FIXTURE_DOCS,
	buildSite,
	fixtureContent,
	makeSite,
	removeSite,
} from '../../scripts/lib/site-copy.ts';

const site = makeSite('right-to-left', { content: fixtureContent('minimal'), docs: FIXTURE_DOCS });
beforeAll(async () => {
	const settings = join(site, 'content/site.yaml');
	writeFileSync(settings, `${readFileSync(settings, 'utf8')}language: he\n`);
	const built = await buildSite(site);
	expect(built.code, built.output).toBe(0);
}, 300_000);
afterAll(() => removeSite(site));

it('lays the site out right to left, and the chart, the embed code and the arrows as they read', async () => {
	const html = readFileSync(join(site, 'dist/frameworks/mini-cert/index.html'), 'utf8');
	expect(/<html [^>]*>/.exec(html)?.[0]).toMatch(/ lang="he" dir="rtl"/);
	const gate = await startTestGate(join(site, 'dist'));
	const browser = await launchChromium();
	try {
		const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		await tab.goto(`${gate.url}/frameworks/mini-cert/`);
		// Every label and count of the chart lies inside the chart's box.
		const labels = await tab.evaluate(() =>
			[...document.querySelectorAll('.tc-chart > svg')].flatMap((svg) => {
				const box = svg.getBoundingClientRect();
				return [...svg.querySelectorAll('text')].map((t) => {
					const r = t.getBoundingClientRect();
					return {
						text: t.textContent,
						inside: r.left >= box.left - 1 && r.right <= box.right + 1,
					};
				});
			}),
		);
		expect(labels.length).toBeGreaterThan(2);
		expect(labels.filter((l) => !l.inside)).toEqual([]);
		expect(
			await tab
				.locator('.tc-embed')
				.first()
				.evaluate((e) => getComputedStyle(e).direction),
		).toBe('ltr');
		await tab.goto(`${gate.url}/`);
		expect(
			await tab
				.locator('.tc-arrow')
				.first()
				.evaluate((e) => getComputedStyle(e).transform),
		).toBe('matrix(-1, 0, 0, 1, 0, 0)');
	} finally {
		await browser.close();
		await gate.stop();
	}
});
