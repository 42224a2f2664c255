import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { checkContent } from '../../src/integration/trust-center.ts';
import { isReviewOverdue } from '../../src/lib/policy-review.ts';
import { countCatalog } from '../../src/lib/status/counts.ts';
import { launchChromium, serveExample } from '../helpers/browser.ts';

let browser: Browser;
let page: Page;
let server: Awaited<ReturnType<typeof serveExample>>;
const { content } = checkContent(inject('exampleSite'));

beforeAll(async () => {
	server = await serveExample();
	browser = await launchChromium();
	page = await browser.newPage();
});
afterAll(async () => {
	await browser?.close();
	await server?.close();
});

const go = async (path: string) => {
	const response = await page.goto(server.url + path);
	return response!.status();
};
const iso = content.frameworks.find((f) => f.data.id === 'iso-27001')!.data;
const isoCounts = countCatalog(
	content.catalogs.find((c) => c.data.id === iso.catalog)!.data,
	content.snapshot.data,
	{
		now: new Date(inject('exampleBuildTime')),
		maxEvidenceAgeDays: content.site.controlStatus.maxEvidenceAgeDays,
	},
);

describe('the trust overview', () => {
	it('shows the company, the frameworks with their live counts, updates, documents, subprocessors and contacts', async () => {
		expect(await go('/')).toBe(200);
		await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
			`${content.site.companyName} Trust Center`,
		);
		const card = page
			.getByRole('listitem')
			.filter({ has: page.getByRole('link', { name: iso.shortName ?? iso.name, exact: true }) });
		await expect(card.textContent()).resolves.toContain(
			`${isoCounts.implemented} of ${isoCounts.applicable} Annex A controls implemented · ${isoCounts.notApplicable} not applicable`,
		);
		for (const heading of [
			'Compliance',
			'Security practices',
			'Latest updates',
			'Documents',
			'Subprocessors',
			'Contacts',
		]) {
			expect(await page.getByRole('heading', { level: 2, name: heading }).count()).toBe(1);
		}
		const active = content.subprocessors.filter((s) => s.data.state === 'active');
		const regions = new Set(active.flatMap((s) => s.data.locations).filter((l) => l !== 'global'));
		const global = active.filter((s) => s.data.locations.includes('global')).length;
		expect(global).toBe(1);
		await expect(page.locator('main').textContent()).resolves.toContain(
			`We use ${active.length} subprocessors, processing data in ${regions.size} regions, and 1 of them operates globally.`,
		);
		expect(
			await page.getByRole('link', { name: content.site.contacts.security }).count(),
		).toBeGreaterThan(0);
	});
});

describe('a framework page', () => {
	it('shows status, the denominator rule and the counts by domain', async () => {
		expect(await go(`/frameworks/${iso.id}/`)).toBe(200);
		const text = await page.locator('main').textContent();
		expect(text).toContain(
			`${isoCounts.implemented} of ${isoCounts.applicable} Annex A controls implemented`,
		);
		expect(text).toContain('Not-applicable controls are left out of the denominator');
		const table = page.getByRole('table', { name: /by domain/ });
		for (const domain of isoCounts.domains) {
			const row = table.getByRole('row', { name: new RegExp(`^${domain.domain}\\b`) });
			await expect(row.getByRole('cell').first().textContent()).resolves.toBe(
				`${domain.implemented} of ${domain.applicable}`,
			);
		}
	});
});

describe('live control status on a framework page', () => {
	it('shows the as-of time, the sources, and the stale control counted apart', async () => {
		await go(`/frameworks/${iso.id}/`);
		const asOf = page.locator('main time').filter({ hasText: /UTC$/ }).first();
		await expect(asOf.getAttribute('datetime')).resolves.toBe(content.snapshot.data.asOf);
		const text = (await page.locator('main').textContent())!.replace(/\s+/g, ' ');
		expect(text).toContain(`Status as of ${await asOf.textContent()}, from grc-export.`);
		expect(isoCounts.stale).toBeGreaterThan(0);
		expect(text).toContain(`· ${isoCounts.stale} stale`);
		const staleDomain = isoCounts.domains.find((d) => d.stale > 0)!;
		const row = page
			.getByRole('table', { name: /by domain/ })
			.getByRole('row', { name: new RegExp(`^${staleDomain.domain}\\b`) });
		await expect(row.getByRole('cell').nth(4).textContent()).resolves.toBe(
			String(staleDomain.stale),
		);
	});

	it('keeps the per-control list for the NDA whitepaper by default', async () => {
		await go(`/frameworks/${iso.id}/`);
		expect(await page.getByRole('table', { name: /every control/ }).count()).toBe(0);
		await expect(page.locator('main').textContent()).resolves.toContain(
			'The status of each individual control is in the NDA edition',
		);
	});
});

describe('the policy library', () => {
	const publicPolicy = content.policies.find((p) => p.data.id === 'access-control')!.data;
	const ndaPolicy = content.policies.find((p) => p.data.classification === 'nda')!;

	it('lists every policy with version, owner, last reviewed and next review', async () => {
		await go('/policies/');
		const table = page.getByRole('table', { name: 'Policy library' });
		expect(await table.getByRole('row').count()).toBe(content.policies.length + 1);
		const row = table
			.getByRole('row')
			.filter({ has: page.getByRole('link', { name: publicPolicy.title }) });
		await expect(row.textContent()).resolves.toContain(publicPolicy.version);
		await expect(row.textContent()).resolves.toContain(publicPolicy.owner);
		// A policy's full text is NDA-only, so the intro says where to read it.
		await expect(page.locator('main p').first().innerText()).resolves.toBe(
			'Every policy has an owner, an approver and a review cycle. Policies marked Under NDA show their summary here; the full text is in the NDA edition of our security whitepaper, which you can request.',
		);
	});

	it('marks "Review overdue" next to each next-review date that has passed at the build time', async () => {
		const now = new Date(inject('exampleBuildTime'));
		const overdue = content.policies.filter((p) => isReviewOverdue(p.data, now));
		expect(overdue.map((p) => p.data.id)).toContain('clean-desk');
		await go('/policies/');
		const marked = page
			.getByRole('table', { name: 'Policy library' })
			.getByRole('row')
			.filter({ hasText: 'Review overdue' });
		await expect(marked.getByRole('link').allTextContents()).resolves.toEqual(
			expect.arrayContaining(overdue.map((p) => p.data.title)),
		);
		expect(await marked.count()).toBe(overdue.length);
		await go('/policies/clean-desk/');
		await expect(page.locator('main dl dd').nth(6).textContent()).resolves.toMatch(
			/^\s*1 September 2026\s+Review overdue\s*$/,
		);
		await go(`/policies/${content.policies.find((p) => !isReviewOverdue(p.data, now))!.data.id}/`);
		expect(await page.getByText('Review overdue').count()).toBe(0);
	});

	it('shows a public policy in full', async () => {
		await go(`/policies/${publicPolicy.id}/`);
		await expect(page.locator('main').textContent()).resolves.toContain('quorum');
	});

	it('shows only the summary of an nda policy, never its text', async () => {
		await go(`/policies/${ndaPolicy.data.id}/`);
		const html = await page.content();
		expect(html).toContain(ndaPolicy.data.summary.slice(0, 40));
		expect(html).toContain('The full text of this policy is shared under NDA');
		const body = (await import('node:fs'))
			.readFileSync(`${inject('exampleSite')}/${ndaPolicy.file}`, 'utf8')
			.split('---')
			.slice(2)
			.join('---');
		const sentence = body
			.split('\n')
			.find((line) => line.trim().length > 60 && !line.startsWith('#'))!
			.trim()
			.slice(0, 50);
		expect(html).not.toContain(sentence);
	});
});

describe('the subprocessor list', () => {
	it('lists every subprocessor, with descriptors in place of NDA-only names', async () => {
		await go('/subprocessors/');
		const rows = page.getByRole('table', { name: 'Subprocessors' }).locator('tbody tr');
		expect(await rows.count()).toBe(content.subprocessors.length);
		const hidden = content.subprocessors.find((s) => s.data.publicDescriptor)!.data;
		const html = await page.content();
		expect(html).toContain(hidden.publicDescriptor);
		expect(html).not.toContain(hidden.name);
		await expect(page.locator('main p').first().innerText()).resolves.toMatch(
			/ Entries marked "Named under NDA" are described generically here; their names are in the NDA edition of our security whitepaper\.$/,
		);
	});

	it('filters by region and by purpose without JavaScript, keeping global providers under every region', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const noJs = await context.newPage();
		await noJs.goto(`${server.url}/subprocessors/`);
		const visible = () => noJs.locator('tbody tr:visible').count();
		// A provider operating globally (the CDN) processes data in the US too.
		const inUs = content.subprocessors.filter(
			(s) => s.data.locations.includes('us') || s.data.locations.includes('global'),
		);
		expect(inUs.some((s) => s.data.locations.includes('global'))).toBe(true);
		await noJs.getByRole('combobox', { name: 'Region' }).selectOption('us');
		expect(await visible()).toBe(inUs.length);
		expect(inUs.length).toBeLessThan(content.subprocessors.length);
		const global = content.subprocessors.find((s) => s.data.locations.includes('global'))!.data;
		for (const region of ['eu', 'uk', 'ca']) {
			await noJs.getByRole('combobox', { name: 'Region' }).selectOption(region);
			expect(
				await noJs.locator(`tbody tr:visible`).filter({ hasText: global.name }).count(),
				region,
			).toBe(1);
		}
		await noJs.getByRole('combobox', { name: 'Region' }).selectOption('us');
		const purpose = content.subprocessors.find((s) => s.data.locations.includes('us'))!.data
			.purpose;
		await noJs.getByRole('combobox', { name: 'Purpose' }).selectOption({ label: purpose });
		expect(await visible()).toBe(inUs.filter((s) => s.data.purpose === purpose).length);
		await context.close();
	});
});

describe('documents', () => {
	it('offers public files for download and "Request access" for NDA ones', async () => {
		await go('/documents/');
		const nda = content.documents.find((d) => d.data.access === 'nda')!.data;
		const pub = content.documents.find((d) => d.data.access === 'public')!.data;
		const request = page.getByRole('link', { name: `Request access to ${nda.title}` });
		await expect(request.getAttribute('href')).resolves.toBe(`/access/?documents=${nda.id}`);
		const download = page.getByRole('link', { name: `Download ${pub.title}` });
		const href = (await download.getAttribute('href'))!;
		const response = await page.request.get(server.url + href);
		expect(response.status()).toBe(200);
		expect((await response.body()).subarray(0, 5).toString()).toBe('%PDF-');
	});
});

describe('updates, FAQ and architecture docs', () => {
	it('lists updates newest first and shows each one', async () => {
		await go('/updates/');
		const newest = content.updates
			.filter((u) => u.data.visibility !== 'nda')
			.sort((a, b) => b.data.date.getTime() - a.data.date.getTime())[0]!;
		await expect(
			page.getByRole('listitem').getByRole('heading', { level: 2 }).first().textContent(),
		).resolves.toBe(newest.data.title);
		await page.getByRole('link', { name: newest.data.title }).click();
		await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
			newest.data.title,
		);
	});

	it('lists the subprocessors a notice announces, each linking to its row in the list', async () => {
		await go('/updates/2026-02-27-email-delivery-provider-change/');
		const list = page
			.getByRole('list')
			.filter({ has: page.getByRole('link', { name: 'Postwright Mail Ltd' }) });
		expect(
			await page.getByRole('heading', { level: 2, name: 'Subprocessors in this notice' }).count(),
		).toBe(1);
		expect(await list.innerText()).toBe(
			'Postwright Mail Ltd · Email delivery · Active\nBellcourt Mail Inc. · Email delivery · Removed',
		);
		await list.getByRole('link', { name: 'Bellcourt Mail Inc.' }).click();
		await page.waitForURL((u) => u.pathname === '/subprocessors/');
		expect(new URL(page.url()).hash).toBe('#sp-bellcourt-mail');
		expect(await page.locator('#sp-bellcourt-mail').count()).toBe(1);
		// An update that announces none has no such list.
		await go('/updates/2026-03-27-iso-27001-recertification/');
		expect(await page.getByRole('heading', { name: 'Subprocessors in this notice' }).count()).toBe(
			0,
		);
	});

	it('shows every FAQ question, grouped by category', async () => {
		await go('/faq/');
		const [publicFaq, ndaFaq] = [
			content.faq.filter((f) => f.data.visibility !== 'nda'),
			content.faq.filter((f) => f.data.visibility === 'nda'),
		];
		expect(ndaFaq.length).toBeGreaterThan(0);
		for (const faq of publicFaq)
			expect(
				await page.getByRole('heading', { level: 3, name: faq.data.question, exact: true }).count(),
			).toBe(1);
		for (const faq of ndaFaq)
			expect(
				await page.getByRole('heading', { level: 3, name: faq.data.question, exact: true }).count(),
			).toBe(0);
		for (const category of new Set(publicFaq.map((f) => f.data.category)))
			expect(await page.getByRole('heading', { level: 2, name: category }).count()).toBe(1);
	});

	it('shows an architecture page with the sidebar and its tables', async () => {
		await go('/security/encryption/');
		await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Encryption');
		expect(await page.getByRole('table', { name: 'Encryption by surface' }).count()).toBe(1);
		const nav = page.getByRole('navigation', { name: 'Main' });
		expect(await nav.getByRole('link', { name: 'Incident response' }).count()).toBeGreaterThan(0);
		expect(await nav.getByRole('link', { name: 'Subprocessors', exact: true }).count()).toBe(1);
	});
});

describe('other routes', () => {
	it('answers an unknown URL with the 404 page, which asks not to be indexed and names no canonical address', async () => {
		expect(await go('/no-such-page/')).toBe(404);
		await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('404');
		await expect(page.locator('head meta[name="robots"]').getAttribute('content')).resolves.toBe(
			'noindex',
		);
		expect(
			await page.locator('head link[rel="canonical"], head meta[property="og:url"]').count(),
		).toBe(0);
		await go('/');
		expect(await page.locator('head meta[name="robots"]').count()).toBe(0);
		await expect(page.locator('head link[rel="canonical"]').getAttribute('href')).resolves.toBe(
			new URL('/', content.site.url).href,
		);
	});

	it('announces the Atom and JSON feeds on the overview as on the updates page', async () => {
		for (const path of ['/', '/updates/']) {
			await go(path);
			const feeds = await page
				.locator('head link[rel="alternate"]')
				.evaluateAll((links) =>
					links.map((l) => `${l.getAttribute('type')} ${l.getAttribute('href')}`),
				);
			expect(feeds, path).toEqual([
				'application/atom+xml /updates.xml',
				'application/feed+json /updates.json',
			]);
		}
	});

	it('publishes security.txt with contact and a future Expires', async () => {
		const text = await (await page.request.get(`${server.url}/.well-known/security.txt`)).text();
		expect(text).toContain(`Contact: ${content.site.securityTxt.contact[0]}`);
		const expires = new Date(/^Expires: (.+)$/m.exec(text)![1]!);
		expect(expires.getTime()).toBeGreaterThan(Date.now());
	});

	it('publishes robots.txt pointing at the sitemap', async () => {
		const text = await (await page.request.get(`${server.url}/robots.txt`)).text();
		expect(text).toContain(`Sitemap: ${new URL('/sitemap-index.xml', content.site.url).href}`);
	});
});
