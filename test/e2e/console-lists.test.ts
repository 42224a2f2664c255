// The console's lists in Chromium, signed in through the identity provider as a viewer, on one gate with
// real PGlite: the request history with its filters (a bookmarkable GET form whose paging keeps them),
// downloads by company and by document with the CSV export, and the trace of an uploaded PDF. Requests,
// grants and downloads are made through the gate's own services, on a clock the test moves.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { PDFDocument } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '../../src/gate/mail/mailer.ts';
import { TRACE_PDF_MAX_BYTES } from '../../src/schemas/gate-command.ts';
import { checkLink, download } from '../../src/gate/services/downloads.ts';
import { checkGrantKey, grantPage } from '../../src/gate/services/grants.ts';
import { report } from '../../src/gate/services/reports.ts';
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

let fabrikam: Awaited<ReturnType<typeof downloadAs>>;
let contoso: Awaited<ReturnType<typeof downloadAs>>;

beforeAll(async () => {
	[browser, app] = await Promise.all([launchChromium(), startConsole()]);
	await request('ada.quinn@fabrikam.example', 'Fabrikam');
	fabrikam = await downloadAs('ada.quinn@fabrikam.example');
	await request('pat.old@gmail.com', 'Old Timers Ltd', { daysAgo: 60 });
	await request('eve.x@contoso.example', '=HYPERLINK("http://evil.example")');
	contoso = await downloadAs('eve.x@contoso.example');
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

describe('downloads', () => {
	it('lists every download for a viewer, counts them by company and by document, and filters them', async () => {
		await page.getByRole('link', { name: 'Downloads' }).click();
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Downloads');
		const all = await rows();
		expect(all).toHaveLength(2);
		expect(all[1]).toContain('ada.quinn@fabrikam.example');
		expect(all[1]).toContain(fabrikam.grantId);

		await page.getByRole('link', { name: 'By company' }).click();
		expect(await rows()).toEqual([
			expect.stringMatching(/^=HYPERLINK\("http:\/\/evil\.example"\)\t1\t1\t/),
			expect.stringMatching(/^Fabrikam\t1\t1\t/),
		]);
		// The CLI's report counts the same downloads per company.
		const cli = Map.groupBy(await report(app.gate.gate), (r) => r.company);
		expect(
			[...cli].map(([company, list]) => [company, list.reduce((n, r) => n + r.downloads, 0)]),
		).toEqual([
			['=HYPERLINK("http://evil.example")', 1],
			['Fabrikam', 1],
		]);
		await page.getByRole('link', { name: 'By document' }).click();
		expect(await rows()).toEqual([
			expect.stringMatching(/^Kestrel Ledger Security Whitepaper.*\t2\t2\t/),
		]);

		await page.goto(`${app.url}/admin/downloads/?company=FABRI`);
		expect(await rows()).toEqual([expect.stringContaining('ada.quinn@fabrikam.example')]);
		const response = await page.goto(`${app.url}/admin/downloads/?document=nda&view=chart`);
		expect(response?.status()).toBe(400);
		expect(await page.locator('main li').allInnerTexts()).toMatchInlineSnapshot(`
			[
			  "view: expected one of list, company, document, received "chart"",
			  "document: expected one of the documents the gate serves (whitepaper, cyber-insurance-certificate, iso-27001-soa, soc2-type2-report), received "nda"",
			]
		`);
	});

	it('exports the filtered downloads as CSV, with a formula in a cell kept as text', async () => {
		await page.goto(`${app.url}/admin/downloads/?domain=contoso.example`);
		const [response, download] = await Promise.all([
			page.waitForResponse((r) => r.url().endsWith('/admin/downloads/export.csv')),
			page.waitForEvent('download'),
			page.getByRole('button', { name: 'Export these downloads as CSV' }).click(),
		]);
		expect(response.request().method()).toBe('POST');
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
		expect(response.headers()['content-disposition']).toMatch(
			/^attachment; filename="downloads-\d{4}-\d\d-\d\d\.csv"$/,
		);
		expect(download.suggestedFilename()).toMatch(/^downloads-\d{4}-\d\d-\d\d\.csv$/);
		const lines = readFileSync(await download.path(), 'utf8').split('\r\n');
		// The BOM tells Excel the file is UTF-8.
		expect(lines[0]).toBe('\uFEFFdownload,served_at,company,name,email,document,grant,ip,sha256');
		expect(lines[1]).toMatch(
			/^dl_[0-9a-f]{16},[^,]+Z,"'=HYPERLINK\(""http:\/\/evil\.example""\)",Ada Quinn,eve\.x@contoso\.example,whitepaper,grant_[0-9a-f]{16},203\.0\.113\.8,[0-9a-f]{64}$/,
		);
		expect(lines.slice(2)).toEqual(['']);
		expect((await app.audit()).at(-1)).toMatchObject({
			type: 'downloads.exported',
			actor: 'staff:vera.viewer@kestrelledger.example',
			data: { filter: { domain: 'contoso.example' }, staff: { role: 'viewer' } },
		});
	});

	it('exports only through its form: a GET or a post without the form token writes no audit entry', async () => {
		const entries = (await app.audit()).length;
		const get = await page.request.get(`${app.url}/admin/downloads/export.csv`);
		expect(get.status()).toBe(404);
		const forged = await page.request.post(`${app.url}/admin/downloads/export.csv`, {
			form: { domain: 'contoso.example' },
			headers: { origin: app.url },
		});
		expect(forged.status()).toBe(403);
		expect(await forged.text()).toContain(
			'form token is missing or has expired (console pages stay valid for two hours, and need cookies). Reload the page and try again.',
		);
		const crossSite = await page.request.post(`${app.url}/admin/downloads/export.csv`, {
			form: { domain: 'contoso.example' },
			headers: { origin: 'https://evil.example' },
		});
		expect(crossSite.status()).toBe(403);
		expect(await crossSite.text()).toContain(
			'This action can only be sent from the console itself. Open /admin/ and try again from there.',
		);
		expect((await app.audit()).length).toBe(entries);
	});
});

describe('trace', () => {
	const upload = async (name: string, mimeType: string, buffer: Buffer) => {
		await page.goto(`${app.url}/admin/`);
		await page.getByRole('link', { name: 'Trace' }).click();
		await page.getByLabel('The leaked PDF').setInputFiles({ name, mimeType, buffer });
		const [response] = await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST'),
			page.getByRole('button', { name: 'Trace this copy' }).click(),
		]);
		return response.status();
	};

	it('names the grant and recipient of a copy this gate issued, and records the trace', async () => {
		expect(await upload('leak.pdf', 'application/pdf', Buffer.from(fabrikam.copy.bytes))).toBe(200);
		const found = await page.getByRole('status').innerText();
		expect(found).toContain(
			'This copy was issued to Ada Quinn (ada.quinn@fabrikam.example) at Fabrikam.',
		);
		expect(found).toContain('It is an exact copy');
		expect(found).toMatch(new RegExp(`Grant\\s+${fabrikam.grantId}`));
		expect(found).toContain(`download ${fabrikam.copy.id}`);
		expect((await app.audit()).at(-1)).toMatchObject({
			type: 'download.traced',
			actor: 'staff:vera.viewer@kestrelledger.example',
			subject: fabrikam.copy.id,
			data: {
				match: 'exact',
				downloads: [fabrikam.copy.id],
				grants: [fabrikam.grantId],
				staff: { role: 'viewer' },
			},
		});
	});

	it('names both recipients of a file made of pages of two copies, each named by its fingerprint', async () => {
		const mixed = await PDFDocument.create();
		const eve = await PDFDocument.load(contoso.copy.bytes);
		const ada = await PDFDocument.load(fabrikam.copy.bytes);
		const pages = [
			...(await mixed.copyPages(eve, [0])),
			...(await mixed.copyPages(ada, ada.getPageIndices().slice(1))),
		];
		for (const p of pages) mixed.addPage(p);
		expect(await upload('mixed.pdf', 'application/pdf', Buffer.from(await mixed.save()))).toBe(200);
		const status = page.getByRole('status');
		expect(await status.innerText()).toContain('This file holds pages of 2 copies.');
		const copies = await status.getByRole('heading', { level: 3 }).allInnerTexts();
		expect(copies).toEqual([
			expect.stringMatching(/^Copy 1: .+ at =HYPERLINK\("http:\/\/evil\.example"\)$/),
			'Copy 2: Ada Quinn at Fabrikam',
		]);
		expect(await status.innerText()).toContain(`download ${contoso.copy.id}`);
		expect((await app.audit()).at(-1)).toMatchObject({
			type: 'download.traced',
			subject: contoso.copy.id,
			data: { match: 'fingerprint', downloads: [contoso.copy.id, fabrikam.copy.id] },
		});
	});

	it('says that it cannot identify a foreign PDF, not that this gate did not issue it', async () => {
		const foreign = await PDFDocument.create();
		foreign.addPage().drawText('Another company whitepaper');
		await upload('foreign.pdf', 'application/pdf', Buffer.from(await foreign.save()));
		expect(await page.getByRole('status').innerText()).toContain(
			'This gate could not identify this copy.',
		);
		expect((await app.audit()).at(-1)).toMatchObject({
			type: 'download.traced',
			subject: 'none',
			data: { match: 'none' },
		});
	});

	it('refuses a file that is not a PDF with a 400 naming the field', async () => {
		expect(await upload('leak.png', 'image/png', Buffer.from('\x89PNG\r\n\x1a\n not a pdf'))).toBe(
			400,
		);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Please fix the form');
		expect(await page.locator('main li').allInnerTexts()).toMatchInlineSnapshot(`
			[
			  "pdf: expected a PDF file (one that starts with %PDF-), but this file is something else; choose the PDF itself, not a screenshot or a ZIP of it",
			]
		`);
	});

	it('refuses an upload over the size cap with a 413 page, before reading it', async () => {
		const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
		const { status, body } = await new Promise<{ status: number; body: string }>(
			(resolve, reject) => {
				const req = httpRequest(`${app.url}/admin/trace/`, {
					method: 'POST',
					headers: {
						cookie,
						origin: app.url,
						accept: 'text/html',
						'content-type': 'multipart/form-data; boundary=x',
						'content-length': String(TRACE_PDF_MAX_BYTES + 1),
					},
				});
				req.on('response', (res) => {
					let text = '';
					res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
					res.on('end', () => {
						resolve({ status: res.statusCode!, body: text });
						req.destroy();
					});
				});
				req.on('error', reject);
				req.flushHeaders();
			},
		);
		expect(status).toBe(413);
		expect(body).toContain('<h1>File too large</h1>');
		expect(body).toContain(
			`The PDF to trace may be at most 48 MB (${TRACE_PDF_MAX_BYTES} bytes), and this upload is ${TRACE_PDF_MAX_BYTES + 1} bytes. A copy the gate served is far smaller: check that you chose the right file.`,
		);
	});
});
