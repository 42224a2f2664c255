// The console's lists in Chromium, signed in through the identity provider as a viewer, on one gate with
// real PGlite: the request history with its filters (a bookmarkable GET form whose paging keeps them),
// downloads by company and by document with the CSV export, and the trace of an uploaded PDF. Requests,
// grants and downloads are made through the gate's own services, on a clock the test moves.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '../../src/gate/mail/mailer.ts';
import { checkLink, download } from '../../src/gate/services/downloads.ts';
import { checkGrantKey, grantPage } from '../../src/gate/services/grants.ts';
import { confirmEmail, createRequest } from '../../src/gate/services/requests.ts';
import { launchChromium } from '../helpers/browser.ts';
import {
	consoleContext,
	signInWithIdp,
	startConsole,
	type TestConsole,
} from '../helpers/console.ts';
import { lastLink, requestFor } from '../helpers/gate.ts';

let browser: Browser;
let app: TestConsole;
/** Vera, the viewer, signed in. */
let page: Page;
const meta = { ip: '203.0.113.8', userAgent: 'console-lists test' };
const DAY = 86_400_000;
const day = (offsetDays: number) =>
	new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

/** Makes a request from `email` at `company`, `daysAgo` days ago; confirms it unless `unverified`. */
async function request(
	email: string,
	company: string,
	options: { daysAgo?: number; unverified?: boolean } = {},
): Promise<string> {
	const gate = app.gate.gate;
	app.clock.offset = -(options.daysAgo ?? 0) * DAY;
	try {
		const { id } = await createRequest(gate, { ...requestFor(gate, email), company }, meta);
		if (!options.unverified) {
			const outbox = readOutbox(`${app.gate.dataDir}/outbox`).filter((m) => m.includes(email));
			const token = new URL(lastLink(outbox, '/access/confirm/')).searchParams.get('token')!;
			await confirmEmail(gate, token, meta);
		}
		return id;
	} finally {
		app.clock.offset = 0;
	}
}

/** Downloads the whitepaper through the grant mailed to `email`; returns the served copy. */
async function downloadAs(email: string) {
	const gate = app.gate.gate;
	const outbox = readOutbox(`${app.gate.dataDir}/outbox`).filter((m) => m.includes(email));
	const grant = new URL(lastLink(outbox, '/access/grant/'));
	const grantId = grant.pathname.split('/')[3]!;
	await checkGrantKey(gate, grantId, grant.searchParams.get('key')!);
	const view = await grantPage(gate, grantId);
	const link = new URL(view.links[0]!.href, app.url).searchParams;
	return { grantId, copy: await download(gate, checkLink(gate, link), meta) };
}

beforeAll(async () => {
	[browser, app] = await Promise.all([launchChromium(), startConsole()]);
	await request('ada.quinn@fabrikam.example', 'Fabrikam');
	await downloadAs('ada.quinn@fabrikam.example');
	await request('pat.old@gmail.com', 'Old Timers Ltd', { daysAgo: 60 });
	await request('eve.x@contoso.example', '=HYPERLINK("http://evil.example")');
	await downloadAs('eve.x@contoso.example');
	// More than a page of one domain, for paging with a filter.
	for (let i = 0; i < 26; i++)
		await request(`p${i}@paging.example`, `Paging Co ${i}`, { unverified: true, daysAgo: 1 });
	page = await (await consoleContext(browser)).newPage();
	await signInWithIdp(page, app.url, 'vera');
});
afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

/** The body rows of the page's table, as text. */
const rows = () => page.locator('tbody tr').allInnerTexts();

describe('the request history', () => {
	it('lists every request newest first for a viewer, and its filters narrow it and combine', async () => {
		await page.getByRole('link', { name: 'Request history' }).click();
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Request history');
		expect((await rows())[0]).toContain('eve.x@contoso.example');

		// The form is a GET form: filling it makes a URL that can be bookmarked.
		await page.getByLabel('Company contains').fill('fabri');
		await page.getByLabel('Status').selectOption('approved');
		await page.getByRole('button', { name: 'Filter' }).click();
		expect(new URL(page.url()).search).toBe('?status=approved&company=fabri&domain=&from=&to=');
		expect(await rows()).toEqual([expect.stringContaining('ada.quinn@fabrikam.example')]);
		expect(await page.getByLabel('Company contains').inputValue()).toBe('fabri');

		await page.goto(`${app.url}/admin/requests/history/?domain=@GMAIL.com`);
		expect(await rows()).toEqual([expect.stringContaining('pat.old@gmail.com')]);
		await page.goto(`${app.url}/admin/requests/history/?domain=gmail.com&from=${day(-30)}`);
		expect(await page.locator('main').innerText()).toContain('No requests match these filters.');
		await page.goto(
			`${app.url}/admin/requests/history/?from=${day(-61)}&to=${day(-59)}&status=pending`,
		);
		expect(await rows()).toEqual([expect.stringContaining('Old Timers Ltd')]);
	});

	it('pages a filtered history, and the next page keeps the filters', async () => {
		await page.goto(`${app.url}/admin/requests/history/?domain=paging.example&status=unverified`);
		expect(await rows()).toHaveLength(25);
		await page.getByRole('link', { name: 'Older requests' }).click();
		const next = new URL(page.url()).searchParams;
		expect([next.get('status'), next.get('domain')]).toEqual(['unverified', 'paging.example']);
		expect(await rows()).toEqual([expect.stringContaining('Paging Co 0')]);
		expect(await page.getByRole('link', { name: 'Older requests' }).count()).toBe(0);
	});

	it('answers a bad filter with a 400 page that names the field and says how to fix it', async () => {
		const response = await page.goto(
			`${app.url}/admin/requests/history/?from=30/11/2026&to=2026-02-30&status=lost`,
		);
		expect(response?.status()).toBe(400);
		expect(await page.locator('main p').first().textContent()).toBe(
			'Fix these 3 fields of the filters and send it again.',
		);
		expect(await page.locator('main li').allInnerTexts()).toMatchInlineSnapshot(`
			[
			  "status: expected one of unverified, pending, partial, approved, denied (or nothing for every state), received "lost"",
			  "from: expected a date as YYYY-MM-DD, like 2026-11-30, received "30/11/2026". Pick it in the date field or type it in that form",
			  "to: expected a date as YYYY-MM-DD, like 2026-11-30, received "2026-02-30". Pick it in the date field or type it in that form",
			]
		`);
		await page.goto(`${app.url}/admin/requests/history/?from=2026-11-30&to=2026-11-01`);
		expect(await page.locator('main li').allInnerTexts()).toMatchInlineSnapshot(`
			[
			  "to: is before the “from” date; pick a “to” date on or after it, or swap the two",
			]
		`);
		await page.goto(`${app.url}/admin/requests/history/?domain=fabrikam&before=yesterday`);
		expect(await page.locator('main li').allInnerTexts()).toMatchInlineSnapshot(`
			[
			  "domain: expected an e-mail domain like fabrikam.com (the part after the @), received "fabrikam"",
			  "before: expected the position of a page as the console’s “Older” links write it; start again from the first page",
			]
		`);
	});
});
