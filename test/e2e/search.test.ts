import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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

/**
 * Runs Pagefind's own JS API in the page, the way the search box does. The code is passed as a string
 * because Vite would rewrite an `import()` written inside a function for the browser.
 */
function inPage<T>(body: string, arg: unknown = null): Promise<T> {
	return page.evaluate(
		`(async (arg) => { const pagefind = await import('/pagefind/pagefind.js'); ${body} })(${JSON.stringify(arg)})`,
	) as Promise<T>;
}

function search(term: string, filters?: Record<string, string>) {
	return inPage<{ url: string; kind: string | undefined }[]>(
		`const { results } = await pagefind.search(arg.term, arg.filters ? { filters: arg.filters } : {});
		return Promise.all(results.map(async (r) => { const d = await r.data(); return { url: d.url, kind: d.filters.kind?.[0] }; }));`,
		{ term, filters },
	);
}

describe('search', () => {
	it('finds a policy by a word from its body', async () => {
		const results = await search('quorum');
		expect(results.map((r) => r.url)).toContain('/policies/access-control/');
	});

	it("indexes a page's own words: fact values and table titles stand apart, and no footer or column headings", async () => {
		/** The text Pagefind indexed for the page at `url`, found by searching for `term`. */
		const text = (term: string, url: string) =>
			inPage<string>(
				`const { results } = await pagefind.search(arg.term);
				for (const r of results) { const d = await r.data(); if (d.url === arg.url) return d.content; }
				return 'no result at ' + arg.url;`,
				{ term, url },
			);
		const policy = await text('quorum', '/policies/access-control/');
		// The facts' values as words of their own (the labels ran into them: "OwnerCISO").
		expect(policy).toMatch(
			/^Access Control Policy\. 3\.2\. Approved\. CISO\. Security Steering Group\. /,
		);
		// The line that ends every page is not indexed.
		expect(policy).not.toContain('Updates feed');
		const policies = await text('library', '/policies/');
		// The table's title is a sentence; its column headings are not indexed ("Policy libraryPolicyVersion").
		expect(policies).toContain('Policy library. Acceptable Use Policy');
		expect(policies).not.toContain('Next review');
		const overview = await text('privacy', '/');
		expect(overview).toContain('Privacy privacy@');
	});

	it('indexes every page kind and offers them as a kind filter', async () => {
		const kinds = await inPage<{ kind: Record<string, number> }>('return pagefind.filters();');
		expect(Object.keys(kinds.kind).sort()).toEqual([
			'Doc',
			'Document',
			'FAQ',
			'Framework',
			'Overview',
			'Policy',
			'Subprocessor',
			'Update',
		]);
	});

	it("leaves a framework page's badge and its embed code out of the index", async () => {
		const results = await inPage<{ url: string; content: string }[]>(
			`const { results } = await pagefind.search('certificate');
			return Promise.all(results.map(async (r) => { const d = await r.data(); return { url: d.url, content: d.content }; }));`,
		);
		const iso = results.find((r) => r.url === '/frameworks/iso-27001/');
		expect(iso?.content).toContain('Annex A');
		expect(iso?.content).not.toContain('badges/iso-27001.svg');
		expect(iso?.content).not.toContain('Put this badge on your own site');
		expect((await search('README')).map((r) => r.url)).not.toContain('/frameworks/iso-27001/');
	});

	it('files the access request page under Document and the subscribe page under Update', async () => {
		const documents = await search('NDA', { kind: 'Document' });
		expect(documents.map((r) => r.url)).toContain('/access/');
		const updates = await search('subscribe', { kind: 'Update' });
		expect(updates.map((r) => r.url)).toContain('/subscribe/');
	});

	it('narrows results with the kind filter', async () => {
		const all = await search('encryption');
		const policies = await search('encryption', { kind: 'Policy' });
		expect(new Set(all.map((r) => r.kind)).size).toBeGreaterThan(1);
		expect(policies.length).toBeGreaterThan(0);
		expect(policies.length).toBeLessThan(all.length);
		expect(policies.every((r) => r.kind === 'Policy')).toBe(true);
	});

	// The UI tests get a fresh page: the API calls above already initialised Pagefind in the first one.
	it('shows the kind filter in the search dialog and uses it, with nothing blocked by the Content-Security-Policy', async () => {
		page = await browser.newPage();
		// Init scripts run outside the page's policy, so this listener sees every violation.
		await page.addInitScript(() => {
			document.addEventListener('securitypolicyviolation', (e) =>
				((window as unknown as { blocked: string[] }).blocked ??= []).push(
					`${e.violatedDirective} ${e.blockedURI}`,
				),
			);
		});
		await page.goto(`${server.url}/`);
		await page.getByRole('button', { name: 'Search' }).click();
		await page.getByRole('dialog').getByRole('textbox').fill('encryption');
		await page.getByText('Kind', { exact: true }).click();
		// In the dialog: the overview's subscribe form has a "Policy changes" checkbox too.
		const policyFilter = page.getByRole('dialog').getByRole('checkbox', { name: /^Policy/ });
		await policyFilter.check();
		const resultPaths = () =>
			page
				.getByRole('dialog')
				.getByRole('listitem')
				.getByRole('link')
				.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
		// As long as Playwright waits (30 s), not vitest's 1 s default, which a busy CI machine exceeded.
		await expect
			.poll(
				async () => {
					const paths = await resultPaths();
					return paths.length > 0 && paths.every((path) => path.startsWith('/policies/'));
				},
				{ timeout: 30_000 },
			)
			.toBe(true);
		await page.keyboard.press('Escape');
		// The theme switcher and the search dialog both run inline scripts the policy allows by hash.
		await page.getByRole('combobox', { name: 'Select theme' }).first().selectOption('light');
		expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('light');
		expect(
			await page.evaluate(() => (window as unknown as { blocked?: string[] }).blocked ?? []),
		).toEqual([]);
	});

	it("runs Pagefind in the page: the first search in the dialog starts no worker and never asks for the worker's script", async () => {
		page = await browser.newPage();
		const requested: string[] = [];
		page.on('request', (request) => requested.push(new URL(request.url()).pathname));
		await page.goto(`${server.url}/`);
		await page.getByRole('button', { name: 'Search' }).click();
		await page.getByRole('dialog').getByRole('textbox').fill('quorum');
		await expect
			.poll(
				() =>
					page
						.getByRole('dialog')
						.getByRole('listitem')
						.getByRole('link')
						.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname)),
				{ timeout: 30_000 },
			)
			.toContain('/policies/access-control/');
		expect(requested).toContain('/pagefind/wasm.en.pagefind');
		expect(requested).not.toContain('/pagefind/pagefind-worker.js');
		expect(page.workers()).toEqual([]);
	});

	it("writes Pagefind's word index in chunks of half its default size, which is what a query downloads", () => {
		const dir = join(inject('exampleSite'), 'dist/pagefind/index');
		const chunks = readdirSync(dir)
			.filter((name) => name.endsWith('.pf_index'))
			.map((name) => gunzipSync(readFileSync(join(dir, name))).length);
		// Pagefind's default (20,000 places in pages a chunk) writes the example's index as 3 chunks of
		// 44 to 58 KB; at 10,000 it is 6 chunks, the largest 30 KB.
		expect(chunks.length).toBeGreaterThanOrEqual(5);
		expect(Math.max(...chunks)).toBeLessThan(36_000);
	});

	it('can be reached from the keyboard: Tab moves to the search button, and Ctrl+K opens it', async () => {
		// Keyboard focus goes to the front page only: close the others so this one has it.
		await page.close();
		page = await browser.newPage();
		await page.bringToFront();
		// The search button works once its module script has run.
		await page.goto(`${server.url}/policies/`, { waitUntil: 'networkidle' });
		let reached = false;
		for (let i = 0; i < 10 && !reached; i++) {
			await page.keyboard.press('Tab');
			reached = await page.evaluate(
				() => document.activeElement?.matches('button[data-open-modal]') ?? false,
			);
		}
		expect(reached).toBe(true);
		await page.keyboard.press('Enter');
		const input = page.getByRole('dialog').getByRole('textbox');
		await input.waitFor({ state: 'visible' });
		// Focus moves once Pagefind's UI has loaded: polled for as long as Playwright waits, not vitest's 1 s.
		await expect
			.poll(() => input.evaluate((el) => el === document.activeElement), { timeout: 30_000 })
			.toBe(true);
		await page.keyboard.press('Escape');
		await input.waitFor({ state: 'hidden' });
		await page.keyboard.press('Control+k');
		await input.waitFor({ state: 'visible' });
	});
});
