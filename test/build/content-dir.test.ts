import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
	FIXTURE_DOCS,
	ROOT,
	buildSite,
	fixtureContent,
	makeSite,
	removeSite,
} from '../../scripts/lib/site-copy.ts';
import { launchChromium } from '../helpers/browser.ts';
import { startTestGate } from '../helpers/gate.ts';

const PINNED_TIME = { SOURCE_DATE_EPOCH: String(Date.parse('2026-11-23T12:00:00Z') / 1000) };
const NOTICE =
	'Using the example trust center in examples/kestrel-ledger/: there is no content/ folder yet.';
const sites: string[] = [];
afterAll(() => sites.forEach(removeSite));

/** A site copy laid out like a fresh clone (the example, no content/), with `content/` added when given. */
function siteWithExample(name: string, content?: { fixture: string }): string {
	const dir = content
		? makeSite(name, { content: fixtureContent(content.fixture), docs: FIXTURE_DOCS })
		: makeSite(name);
	if (content)
		cpSync(join(ROOT, 'examples/kestrel-ledger'), join(dir, 'examples/kestrel-ledger'), {
			recursive: true,
		});
	sites.push(dir);
	return dir;
}

describe('without a content/ folder', () => {
	it('builds the example and says so once', () => {
		const site = inject('exampleSite');
		expect(existsSync(join(site, 'content'))).toBe(false);
		expect(
			inject('exampleBuildOutput')
				.split('\n')
				.filter((line) => line.includes(NOTICE)),
		).toHaveLength(1);
		expect(readFileSync(join(site, 'dist/index.html'), 'utf8')).toContain('<title>Kestrel Ledger');
		expect(readFileSync(join(site, 'dist/brand/logo-light.svg'))).toEqual(
			readFileSync(join(ROOT, 'examples/kestrel-ledger/public/brand/logo-light.svg')),
		);
	});
});

describe('with a content/ folder beside the example', () => {
	let site: string;
	let output: string;
	let browser: Browser;
	let page: Page;
	let server: Awaited<ReturnType<typeof startTestGate>>;

	beforeAll(async () => {
		site = siteWithExample('content-dir', { fixture: 'minimal' });
		// A second architecture page, written where a team writes it.
		writeFileSync(
			join(site, 'content/docs/security/key-ceremony.md'),
			'---\ntitle: Key ceremony\ndescription: How the fixture rotates its root keys.\nsidebar:\n  order: 1\n---\n\nThe quokkaflux ceremony rotates the root keys twice a year.\n\n:::note[Witnesses]\nTwo people witness every ceremony.\n:::\n',
		);
		const build = await buildSite(site, [], PINNED_TIME);
		output = build.output;
		if (build.code !== 0) throw new Error(output);
		server = await startTestGate(join(site, 'dist'));
		browser = await launchChromium();
		page = await browser.newPage();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it('builds content/ and its public assets, nothing of the example, and prints no notice', () => {
		expect(output).not.toContain(NOTICE);
		const index = readFileSync(join(site, 'dist/index.html'), 'utf8');
		expect(index).toContain('<title>Fixture Co');
		expect(index).not.toContain('Kestrel');
		expect(readFileSync(join(site, 'dist/brand/logo-light.svg'))).toEqual(
			readFileSync(join(ROOT, 'test/fixtures/minimal/content/public/brand/logo-light.svg')),
		);
		expect(existsSync(join(site, 'dist/favicon.svg'))).toBe(false);
	});

	it('publishes the architecture pages of content/docs/ under /security/, in the sidebar, with Starlight asides', async () => {
		expect((await page.goto(`${server.url}/security/key-ceremony/`))?.status()).toBe(200);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Key ceremony');
		expect(await page.getByRole('complementary', { name: 'Witnesses' }).textContent()).toContain(
			'Two people witness every ceremony.',
		);
		const nav = page.getByRole('navigation', { name: 'Main' });
		const links = await nav
			.getByRole('link')
			.evaluateAll((as) =>
				as.map((a) => [a.textContent?.trim(), (a as HTMLAnchorElement).pathname]),
			);
		expect(links).toContainEqual(['Key ceremony', '/security/key-ceremony/']);
		expect(links).toContainEqual(['Security architecture', '/security/']);
	});

	it('finds an architecture page of content/docs/ in search', async () => {
		await page.goto(`${server.url}/`);
		const urls = await page.evaluate(`(async () => {
			const pagefind = await import('/pagefind/pagefind.js');
			const { results } = await pagefind.search('quokkaflux');
			return Promise.all(results.map(async (r) => (await r.data()).url));
		})()`);
		expect(urls).toEqual(['/security/key-ceremony/']);
	});
});

describe('with a content/ folder that exists but is broken', () => {
	it('fails, naming the missing files of content/, and does not fall back to the example', async () => {
		const site = siteWithExample('content-dir-broken');
		mkdirSync(join(site, 'content'));
		const { code, output } = await buildSite(site, [], PINNED_TIME);
		expect(code).not.toBe(0);
		expect(output).toContain(
			'content/site.yaml: file is missing. Create content/site.yaml; see README.md for a worked example.',
		);
		expect(output).toContain(
			'content/control-status.json: file is missing. Create content/control-status.json; see README.md for a worked example.',
		);
		expect(output).not.toContain(NOTICE);
		expect(existsSync(join(site, 'dist'))).toBe(false);
	});
});
