// axe-core in Chromium, for the site's and the console's accessibility audits: injected into the page
// as it is (the context must bypass CSP: an injected inline script is rightly blocked otherwise).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(
	createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
	'utf8',
);

/** axe violations on the page as it is now, as "rule (selectors)" lines. */
export async function axeViolations(page: Page): Promise<string[]> {
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
