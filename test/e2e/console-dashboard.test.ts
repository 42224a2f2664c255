// The console's dashboard in Chromium: this month's counts and the top companies after a real request,
// grant and download, nothing to act on at first; then, with the gate's clock moved on, each warning
// (an overdue request, a signing key past its rotation period, a document past its validUntil) with
// its link.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '../../src/gate/mail/mailer.ts';
import { checkLink, download } from '../../src/gate/services/downloads.ts';
import { grantPage } from '../../src/gate/services/grants.ts';
import { approve, confirmEmail, createRequest } from '../../src/gate/services/requests.ts';
import { launchChromium } from '../helpers/browser.ts';
import {
	consoleContext,
	signInWithIdp,
	startConsole,
	type TestConsole,
} from '../helpers/console.ts';
import { keyFingerprint } from '../../src/gate/services/keys.ts';
import { lastLink, requestFor } from '../helpers/gate.ts';

let browser: Browser;
let app: TestConsole;
const meta = { ip: '203.0.113.7', userAgent: 'test' };
/** Monday 23 November 2026, 10:00 UTC: the key "2025-06" is 540 days old. */
const START = Date.parse('2026-11-23T10:00:00Z');

beforeAll(async () => {
	[browser, app] = await Promise.all([
		launchChromium(),
		startConsole({
			env: {
				GATE_SIGNING_KEYS: `2025-06:${Buffer.alloc(32, 7).toString('base64')}`,
				GATE_KEY_ROTATION_DAYS: '600',
			},
		}),
	]);
	app.clock.offset = START - Date.now();
});
afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

/** A confirmed request from a free-mail address, which the rules send to review. */
async function waitingRequest(email: string): Promise<string> {
	const gate = app.gate.gate;
	const { id } = await createRequest(gate, requestFor(gate, email), meta);
	const outbox = join(app.gate.dataDir, 'outbox');
	const token = new URL(lastLink(readOutbox(outbox), '/access/confirm/')).searchParams.get(
		'token',
	)!;
	await confirmEmail(gate, token, meta);
	return id;
}

async function openDashboard(login: string): Promise<Page> {
	const page = await (await consoleContext(browser)).newPage();
	await signInWithIdp(page, app.url, login);
	await page.getByRole('link', { name: 'Overview' }).click();
	return page;
}

const text = async (page: Page, name: string) =>
	(await page.getByRole('region', { name }).innerText()).replace(/\s+/g, ' ').trim();

describe('the dashboard', () => {
	it('counts what waits, this month’s grants and downloads, and the top companies', async () => {
		const gate = app.gate.gate;
		const granted = await waitingRequest('pat.quinn@gmail.com');
		await approve(gate, granted, 'cli:test', 30);
		const grantId = (
			await gate.db.query<{ id: string }>('SELECT id FROM grants WHERE request_id = $1', [granted])
		).rows[0]!.id;
		const view = await grantPage(gate, grantId);
		const href = new URL(view.links[0]!.href, 'http://gate.test').searchParams;
		await download(gate, checkLink(gate, href), meta);
		await waitingRequest('lee.park@outlook.com');

		const page = await openDashboard('vera');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Console');
		expect(await page.getByRole('status').first().textContent()).toBe('Nothing needs action.');
		expect(await text(page, 'This month')).toBe(
			'This month Waiting for review 1 request Grants this month 1 Downloads this month 1',
		);
		expect(await text(page, 'Top companies, last 30 days')).toBe(
			'Top companies, last 30 days Companies by downloads in the last 30 days Company Downloads Fabrikam 1',
		);
	});

	it('counts a request as waiting from when its address was confirmed, not from when it was made', async () => {
		// Made on Friday 5 February 2027 at 10:00, confirmed on Saturday at 09:00: it waits from Monday
		// 00:00, so on Tuesday at 12:00 it has not waited two business days (it would have, counted from
		// Friday); the request from the first test has.
		app.clock.offset = Date.parse('2027-02-05T10:00:00Z') - Date.now();
		const gate = app.gate.gate;
		await createRequest(gate, requestFor(gate, 'sam.lee@gmail.com'), meta);
		const token = new URL(
			lastLink(readOutbox(join(app.gate.dataDir, 'outbox')), '/access/confirm/'),
		).searchParams.get('token')!;
		app.clock.offset = Date.parse('2027-02-06T09:00:00Z') - Date.now();
		await confirmEmail(gate, token, meta);
		app.clock.offset = Date.parse('2027-02-09T12:00:00Z') - Date.now();
		const page = await openDashboard('vera');
		const warnings = page.getByRole('region', { name: 'Needs action' }).getByRole('listitem');
		expect((await warnings.first().innerText()).replace(/\s+/g, ' ').trim()).toBe(
			'1 request has waited more than 2 business days for a decision (the oldest since 2026-11-23). Open the review queue',
		);
		expect(await text(page, 'This month')).toBe(
			'This month Waiting for review 2 requests Grants this month 0 Downloads this month 0',
		);
	});

	it('warns of an overdue request, an old signing key and an expired document, each with its link', async () => {
		// Wednesday 10 February 2027: the first request has waited 56 business days and the second (from
		// Monday 00:00) more than two, the key is 619 days old, and information-security-policy-pdf was
		// valid until 2 February.
		app.clock.offset = Date.parse('2027-02-10T12:00:00Z') - Date.now();
		const page = await openDashboard('vera');
		const warnings = page.getByRole('region', { name: 'Needs action' }).getByRole('listitem');
		expect((await warnings.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
			'2 requests have waited more than 2 business days for a decision (the oldest since 2026-11-23). Open the review queue',
			'The signing key “2025-06” is 619 days old, older than its rotation period of 600 days (GATE_KEY_ROTATION_DAYS). Put a new key first in GATE_SIGNING_KEYS and keep this one after it until the links it signed have expired. See the signing keys',
			'“Information Security Policy (v4.0, PDF)” was valid until 2027-02-02. Security team: publish its successor and update validUntil in content/documents/information-security-policy-pdf.yaml. See it on the documents page',
		]);
		expect(await text(page, 'This month')).toBe(
			'This month Waiting for review 2 requests Grants this month 0 Downloads this month 0',
		);
		expect(
			await warnings
				.last()
				.getByRole('link', { name: 'See it on the documents page' })
				.getAttribute('href'),
		).toBe(`${app.url}/documents/`);
		await warnings.first().getByRole('link', { name: 'Open the review queue' }).click();
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Review queue');
	});

	it('links the key warning to the keys page, which shows GATE_SIGNING_KEYS read-only even to an admin', async () => {
		const page = await openDashboard('ada');
		await page
			.getByRole('region', { name: 'Needs action' })
			.getByRole('link', { name: 'See the signing keys' })
			.click();
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Signing keys');
		const table = page.getByRole('table', { name: 'Signing keys, the one that signs first' });
		expect(
			(await table.getByRole('row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()),
		).toEqual([
			'Key Made Age State',
			`2025-06 fingerprint ${keyFingerprint(Buffer.alloc(32, 7))} 2025-06-01 00:00 UTC from GATE_SIGNING_KEYS 619 days due for rotation (older than 600 days, GATE_KEY_ROTATION_DAYS) signs new links`,
		]);
		expect(await page.getByRole('main').innerText()).toContain(
			'These keys come from GATE_SIGNING_KEYS and cannot be changed here.',
		);
		expect(await page.getByRole('button', { name: 'Rotate now' }).count()).toBe(0);
	});
});
