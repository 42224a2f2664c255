// The review queue in Chromium, with mail through a real SMTP server: an approver signed in through the
// identity provider approves a waiting request with the keyboard alone, the requester's mail arrives
// and its document downloads; a viewer sees the queue without its forms, and a forged approval from a
// viewer is a 403 page and an audit entry; a denial e-mails its reason.
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQuotedPrintable } from '../../src/gate/mail/mailer.ts';
import { confirmEmail, createRequest } from '../../src/gate/services/requests.ts';
import { launchChromium } from '../helpers/browser.ts';
import {
	consoleContext,
	signInWithIdp,
	startConsole,
	type TestConsole,
} from '../helpers/console.ts';
import { lastLink, requestFor } from '../helpers/gate.ts';

const mails: string[] = [];
let smtp: SMTPServer;
let browser: Browser;
let app: TestConsole;
/** The grant page of the request approved in the first test. */
let grantLink: string;
const meta = { ip: '203.0.113.7', userAgent: 'test' };

beforeAll(async () => {
	smtp = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		onData(stream, _session, done) {
			let raw = '';
			stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
			stream.on('end', () => {
				mails.push(decodeQuotedPrintable(raw));
				done();
			});
		},
	});
	await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
	const { port } = smtp.server.address() as { port: number };
	[browser, app] = await Promise.all([
		launchChromium(),
		startConsole({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } }),
	]);
});
afterAll(async () => {
	await browser?.close();
	await app?.stop();
	await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

/** Waits for the `count`th mail to `to` and returns it. */
async function mailTo(to: string, count: number): Promise<string> {
	await expect
		.poll(() => mails.filter((m) => m.includes(`To: ${to}`)).length, { timeout: 10_000 })
		.toBeGreaterThanOrEqual(count);
	return mails.filter((m) => m.includes(`To: ${to}`)).at(count - 1)!;
}

/** A confirmed request from a free-mail address, which the rules send to review. */
async function waitingRequest(
	email: string,
	reason: string,
	documents?: string[],
): Promise<string> {
	const gate = app.gate.gate;
	const { id } = await createRequest(gate, { ...requestFor(gate, email, documents), reason }, meta);
	const token = new URL(lastLink([await mailTo(email, 1)], '/access/confirm/')).searchParams.get(
		'token',
	)!;
	await confirmEmail(gate, token, meta);
	return id;
}

/**
 * Presses Tab until the focused element is the link or button named `name`, or the field labelled
 * `name`; fails when 80 presses do not reach it (the page cannot be worked with the keyboard).
 */
async function tabTo(page: Page, name: string): Promise<void> {
	for (let i = 0; i < 80; i++) {
		await page.keyboard.press('Tab');
		const focused = await page.evaluate(() => {
			const el = document.activeElement as HTMLInputElement | null;
			const label = el?.labels?.[0]?.textContent ?? el?.textContent ?? '';
			return label.replace(/\s+/g, ' ').trim();
		});
		if (focused === name) return;
	}
	throw new Error(`Tab never reached "${name}"`);
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
/** The page's first status notice, its white space collapsed. */
const notice = async (page: Page) =>
	(await page.getByRole('status').first().innerText()).replace(/\s+/g, ' ').trim();

async function lastEntry(type: string) {
	return (await app.audit()).filter((e) => e.type === type).at(-1);
}

describe('the review queue', () => {
	it('lets an approver approve with the keyboard alone; the requester is mailed and downloads', async () => {
		const id = await waitingRequest(
			'pat.quinn@gmail.com',
			'Vendor review <b>for</b> the "finance" platform',
		);
		const context = await consoleContext(browser, { acceptDownloads: true });
		const page = await context.newPage();
		await signInWithIdp(page, app.url, 'aino');
		// From here on, the keyboard alone: Tab to the queue's link in the navigation, Enter.
		await tabTo(page, 'Review queue');
		await page.keyboard.press('Enter');
		await page.waitForURL(`${app.url}/admin/requests/`);
		expect(await heading(page)).toBe('Review queue');
		const card = page.getByRole('article', { name: 'Fabrikam: Ada Quinn' });
		const text = await card.innerText();
		expect(text).toContain('pat.quinn@gmail.com');
		expect(text).toContain('free-mail domain');
		expect(text).toMatch(/NDA\s+accepted, version 3\.2/);
		// The requester's own words, escaped.
		expect(text).toContain('Vendor review <b>for</b> the "finance" platform');

		// The days field is typed into, then Tab to the approve button, Enter.
		await tabTo(page, `Days`);
		await page.keyboard.press('ControlOrMeta+A');
		await page.keyboard.type('14');
		await tabTo(page, `Approve request ${id}`);
		await page.keyboard.press('Enter');
		await page.waitForURL(`${app.url}/admin/requests/?approved=${id}`);
		expect(await notice(page)).toMatch(
			new RegExp(
				`^Request ${id} is approved: Kestrel Ledger Security Whitepaper \\(NDA edition\\) for 14 days, until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\. The requester was e-mailed their download link\\.$`,
			),
		);
		expect(await page.getByRole('article').count()).toBe(0);
		expect(await lastEntry('request.approved')).toMatchObject({
			actor: 'staff:aino.approver@kestrelledger.example',
			subject: id,
			data: { documents: ['whitepaper'], days: 14, staff: { role: 'approver', subject: 'aino' } },
		});

		const granted = await mailTo('pat.quinn@gmail.com', 2);
		const grantPage = await context.newPage();
		grantLink = lastLink([granted], '/access/grant/');
		await grantPage.goto(grantLink);
		expect(await heading(grantPage)).toBe('Your documents');
		const [download] = await Promise.all([
			grantPage.waitForEvent('download'),
			grantPage.getByRole('link', { name: /Download Kestrel Ledger Security Whitepaper/ }).click(),
		]);
		expect(download.suggestedFilename()).toMatch(/^whitepaper-dl_[0-9a-f]{16}\.pdf$/);
	});

	it('shows a viewer the queue without forms, and refuses a forged approval with 403 and an audit entry', async () => {
		const id = await waitingRequest('lee.park@outlook.com', 'Annual review');
		const page = await (await consoleContext(browser)).newPage();
		await signInWithIdp(page, app.url, 'vera');
		await page.goto(`${app.url}/admin/requests/`);
		expect(await page.getByRole('article', { name: 'Fabrikam: Ada Quinn' }).count()).toBe(1);
		expect(await page.getByRole('button', { name: /Approve/ }).count()).toBe(0);
		const csrf = await page.locator('input[name="csrf"]').first().inputValue();
		const response = await page.request.post(`${app.url}/admin/requests/${id}/approve`, {
			form: { csrf, days: '30', documents: 'whitepaper' },
			headers: { origin: app.url, accept: 'text/html' },
		});
		expect(response.status()).toBe(403);
		expect(await response.text()).toContain(
			'To approve a request you need the approver role; you are signed in as viewer',
		);
		expect(await lastEntry('console.refused')).toMatchObject({
			actor: 'staff:vera.viewer@kestrelledger.example',
			subject: 'approve a request',
			data: { needed: 'approver', staff: { role: 'viewer' } },
		});
		expect(
			(await app.gate.gate.db.query('SELECT status FROM access_requests WHERE id = $1', [id])).rows,
		).toEqual([{ status: 'pending' }]);
	});

	it('denies with a reason the requester is mailed', async () => {
		const id = await waitingRequest('kim.lund@yahoo.com', 'Curious');
		const page = await (await consoleContext(browser)).newPage();
		await signInWithIdp(page, app.url, 'aino');
		await page.goto(`${app.url}/admin/requests/`);
		await page
			.getByLabel('Reason (sent to the requester)')
			.last()
			.fill('We only share with customers under contract.');
		await page.getByRole('button', { name: `Deny request ${id}` }).click();
		expect(await notice(page)).toBe(
			`Request ${id} is denied. The requester was e-mailed the reason.`,
		);
		expect(await mailTo('kim.lund@yahoo.com', 2)).toContain(
			'We only share with customers under contract.',
		);
		expect((await lastEntry('request.denied'))?.actor).toBe(
			'staff:aino.approver@kestrelledger.example',
		);
	});

	it('lets an approver revoke a grant with a reason, which stops its page at once', async () => {
		const page = await (await consoleContext(browser)).newPage();
		await signInWithIdp(page, app.url, 'aino');
		await page.getByRole('link', { name: 'Grants' }).click();
		expect(await heading(page)).toBe('Grants');
		const grant = (await lastEntry('grant.created'))!.subject;
		await page.getByLabel('Reason').first().fill('Contract ended');
		await page.getByRole('button', { name: `Revoke grant ${grant}` }).click();
		expect(await page.getByRole('status').first().textContent()).toContain(
			`Grant ${grant} is revoked: its page and every link issued for it stopped working.`,
		);
		expect(await page.locator('table').innerText()).toMatch(
			/revoked .* UTC by staff:aino\.approver@kestrelledger\.example: .?Contract ended/,
		);
		expect(await lastEntry('grant.revoked')).toMatchObject({
			subject: grant,
			actor: 'staff:aino.approver@kestrelledger.example',
			data: { reason: 'Contract ended' },
		});
		const refused = await fetch(grantLink);
		expect(refused.status).toBe(410);
	});

	it('approves part of a request, for no longer than a document’s maxDays, and says what it granted', async () => {
		const id = await waitingRequest('noor.ali@gmail.com', 'Audit evidence', [
			'whitepaper',
			'soc2-type2-report',
		]);
		const page = await (await consoleContext(browser)).newPage();
		await signInWithIdp(page, app.url, 'aino');
		await page.goto(`${app.url}/admin/requests/`);
		const card = page.getByRole('article').filter({ hasText: 'noor.ali@gmail.com' });
		// The form says the cap before the approver types (soc2-type2-report: maxDays 90).
		expect(await card.innerText()).toContain(
			'At most 90 days for these documents (maxDays); a longer grant is shortened.',
		);
		// None chosen: refused, naming the documents the request waits for; nothing changes.
		await card.getByLabel(/^Kestrel Ledger Security Whitepaper/).uncheck();
		await card.getByLabel(/^SOC 2 Type II report/).uncheck();
		await card.getByRole('button', { name: `Approve request ${id}` }).click();
		expect(await heading(page)).toBe('Choose the documents');
		expect(await page.locator('main').innerText()).toContain(
			`Choose at least one of the documents request ${id} waits for (whitepaper, soc2-type2-report), or deny it.`,
		);
		expect(
			(await app.gate.gate.db.query('SELECT status FROM access_requests WHERE id = $1', [id])).rows,
		).toEqual([{ status: 'pending' }]);

		// The report alone, asked for 200 days: granted for 90, and the queue says so.
		await page.goto(`${app.url}/admin/requests/`);
		await card.getByLabel(/^Kestrel Ledger Security Whitepaper/).uncheck();
		await card.getByLabel('Days').fill('200');
		await card.getByRole('button', { name: `Approve request ${id}` }).click();
		await page.waitForURL(`${app.url}/admin/requests/?approved=${id}`);
		expect(await notice(page)).toMatch(
			new RegExp(
				`^Request ${id} is approved: SOC 2 Type II report \\(Oct 2025 – Sep 2026\\) for 90 days, until `,
			),
		);
		expect(await lastEntry('request.approved')).toMatchObject({
			subject: id,
			data: { documents: ['soc2-type2-report'], days: 90, declined: ['whitepaper'] },
		});
		const mail = await mailTo('noor.ali@gmail.com', 2);
		expect(mail).toContain('SOC 2 Type II report');
		expect(mail).not.toContain('Security Whitepaper');

		// An address for a request that has no grant shows no notice.
		const other = await waitingRequest('jo.berg@gmail.com', 'Later');
		await page.goto(`${app.url}/admin/requests/?approved=${other}`);
		expect(await page.getByRole('status').count()).toBe(0);
	});
});
