import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveExample } from '../helpers/browser.ts';

let browser: Browser;
let page: Page;
let server: Awaited<ReturnType<typeof serveExample>>;

beforeAll(async () => {
	server = await serveExample();
	browser = await launchChromium();
	page = await browser.newPage();
	await page.goto(`${server.url}/`);
});
afterAll(async () => {
	await browser?.close();
	await server?.close();
});

/** Runs a Pagefind search in the page, the way the search box does, and returns result URLs and kinds. */
function search(term: string, filters?: Record<string, string>) {
	return page.evaluate(
		async ({ term, filters }) => {
			const pagefind = await import(/* @vite-ignore */ '/pagefind/pagefind.js');
			const { results } = await pagefind.search(term, filters ? { filters } : {});
			return Promise.all(results.map(async (r: { data: () => Promise<{ url: string; filters: { kind?: string[] } }> }) => {
				const data = await r.data();
				return { url: data.url, kind: data.filters.kind?.[0] };
			}));
		},
		{ term, filters },
	);
}

describe('search', () => {
	it('finds a policy by a word from its body', async () => {
		const results = await search('quorum');
		expect(results.map((r) => r.url)).toContain('/policies/access-control/');
	});

	it('indexes every page kind and offers them as a kind filter', async () => {
		const kinds = await page.evaluate(async () => {
			const pagefind = await import(/* @vite-ignore */ '/pagefind/pagefind.js');
			return pagefind.filters();
		});
		expect(Object.keys(kinds.kind).sort()).toEqual(['Doc', 'Document', 'FAQ', 'Framework', 'Overview', 'Policy', 'Subprocessor', 'Update']);
	});

	it('narrows results with the kind filter', async () => {
		const all = await search('encryption');
		const policies = await search('encryption', { kind: 'Policy' });
		expect(new Set(all.map((r) => r.kind)).size).toBeGreaterThan(1);
		expect(policies.length).toBeGreaterThan(0);
		expect(policies.length).toBeLessThan(all.length);
		expect(policies.every((r) => r.kind === 'Policy')).toBe(true);
	});

	it('shows the kind filter in the search dialog and uses it', async () => {
		await page.getByRole('button', { name: 'Search' }).click();
		await page.getByRole('searchbox').fill('encryption');
		const policyFilter = page.getByRole('checkbox', { name: /^Policy/ });
		await policyFilter.waitFor();
		await policyFilter.check();
		await page.locator('.pagefind-ui__result').first().waitFor();
		const links = await page.locator('.pagefind-ui__result-link').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
		expect(links.length).toBeGreaterThan(0);
		expect(links.every((href) => href.startsWith('/policies/'))).toBe(true);
		await page.keyboard.press('Escape');
	});

	it('can be reached from the keyboard: Tab moves to the search button, and Ctrl+K opens it', async () => {
		await page.goto(`${server.url}/policies/`);
		let reached = false;
		for (let i = 0; i < 10 && !reached; i++) {
			await page.keyboard.press('Tab');
			reached = await page.evaluate(() => document.activeElement?.matches('button[data-open-modal]') ?? false);
		}
		expect(reached).toBe(true);
		await page.keyboard.press('Enter');
		await expect(page.evaluate(() => document.activeElement?.getAttribute('type'))).resolves.toBe('text');
		await page.keyboard.press('Escape');
		await page.keyboard.press('Control+k');
		await page.getByRole('searchbox').waitFor({ state: 'visible' });
	});
});
