// axe on every console page, light and dark: every section in the console's navigation (so a page added
// to NAV is audited without touching this file) and the pages it does not list: the sign-in and
// enrolment pages, filled-in filters and second pages, the downloads' counts, a queue with a waiting
// request's forms, a key's retirement confirmation, the answers to verifying the audit log, to a trace
// and to an invitation, to a decision and a new link whose mail the mail server refused and to a link
// sent again, a sign-in refused, an unknown invitation, the 400, 403 and 404 refusals. Each
// page is audited with data on it, as an admin signed in through the identity provider sees it (a viewer
// for the 403, and for the staff page without its forms).
import { PDFDocument } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffCookie } from '../../scripts/lib/console-session.ts';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink.ts';
import { addActiveSubscribers } from '../../scripts/lib/subscription-fixture.ts';
import { executeCommand, parseCommand, readArgumentFile } from '../../src/gate/cli/commands.ts';
import { decodeQuotedPrintable } from '../../src/gate/mail/mailer.ts';
import { NAV } from '../../src/gate/routes/console/pages.ts';
import { rotateKey } from '../../src/gate/services/keys.ts';
import { approve, confirmEmail, createRequest } from '../../src/gate/services/requests.ts';
import { axeViolations } from '../helpers/axe.ts';
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
/** The mail server, which refuses the mails to addresses in `refused`. */
let sink: SmtpSink;
const refused = new Set<string>();

/** A confirmed request from a free-mail address, which the rules send to review. */
async function waitingRequest(email: string): Promise<string> {
	const gate = app.gate.gate;
	const meta = { ip: '203.0.113.9', userAgent: 'test' };
	const { id } = await createRequest(gate, { ...requestFor(gate, email), reason: 'Review' }, meta);
	const mails = sink.mails.filter((m) => m.to === email).map((m) => decodeQuotedPrintable(m.raw));
	const confirm = new URL(lastLink(mails, '/access/confirm/'));
	await confirmEmail(gate, confirm.searchParams.get('token')!, meta);
	return id;
}

beforeAll(async () => {
	sink = await startSmtpSink();
	sink.reply((to) => (refused.has(to) ? '451 4.3.2 System not accepting network messages' : 250));
	[browser, app] = await Promise.all([
		launchChromium(),
		startConsole({ env: { SMTP_URL: sink.url } }),
	]);
	const gate = app.gate.gate;
	// Something on every page: a grant, a waiting request, subscribers and their deliveries, two keys.
	await rotateKey(gate, 'cli:tester');
	await approve(gate, await waitingRequest('axe.granted@gmail.com'), 'cli:tester', 30);
	await waitingRequest('axe.waiting@gmail.com');
	await addActiveSubscribers(gate.db, 60);
	await gate.db.query(
		`INSERT INTO notify_items (id, topic, payload, published_at, first_seen, baseline)
		VALUES ('update:axe', 'all', '{"title":"An update"}', now(), now(), false)`,
	);
	await gate.db.query(
		`INSERT INTO mail_outbox (subscriber_id, item_id, state, queued_at, due_at, attempts, sent_at, reply)
		SELECT id, 'update:axe', 'sent', now(), now(), 1, now(), '250 2.0.0 OK' FROM subscribers`,
	);
});
afterAll(async () => {
	await browser?.close();
	await app?.stop();
	await sink?.close();
});

/** The enrolment link of a fresh invitation, from the CLI. */
async function invitation(): Promise<string> {
	const parsed = parseCommand(
		['staff', 'invite', 'vera.viewer@kestrelledger.example'],
		readArgumentFile,
	);
	if (!parsed.ok) throw new Error(parsed.error);
	const result = await executeCommand(app.gate.gate, parsed.command, 'cli:tester');
	return result.stdout.trim().split('\n').at(-1)!;
}

/** Every "next page" or "older" link on the page, as paths. */
const pagingLinks = (page: Page) =>
	page
		.locator('main a[href*="after="], main a[href*="before="]')
		.evaluateAll((links) =>
			links.map((a) => (a as HTMLAnchorElement).pathname + (a as HTMLAnchorElement).search),
		);

describe('axe on the console', () => {
	for (const theme of ['light', 'dark'] as const)
		it(`finds no violations on any console page in the ${theme} theme`, async () => {
			const contexts: BrowserContext[] = [];
			const context = async () => {
				// axe is injected as an inline script, which the console's CSP rightly blocks.
				const made = await consoleContext(browser, { colorScheme: theme, bypassCSP: true });
				contexts.push(made);
				return made.newPage();
			};
			const failures: string[] = [];
			const audited: string[] = [];
			const check = async (page: Page, path: string, status = 200) => {
				const response = await page.goto(`${app.url}${path}`);
				expect(response?.status(), path).toBe(status);
				audited.push(path);
				failures.push(...(await axeViolations(page)).map((v) => `${path}: ${v}`));
			};

			const signedOut = await context();
			await check(signedOut, '/admin/signin/');
			await check(signedOut, '/admin/signin/?ended=idle');
			const enrol = new URL(await invitation());
			await check(signedOut, enrol.pathname + enrol.search);
			// The refusals a person meets before signing in.
			await check(signedOut, '/admin/signin/?ended=expired');
			await check(signedOut, `/admin/enrol/?token=${'x'.repeat(43)}`, 404);
			await check(signedOut, '/admin/signin/oidc/callback?code=stolen&state=whatever', 403);

			const admin = await context();
			await signInWithIdp(admin, app.url, 'ada');
			for (const { href } of NAV) {
				await check(admin, href);
				for (const next of await pagingLinks(admin)) await check(admin, next);
			}
			// Pages and states the navigation does not list.
			for (const path of [
				'/admin/grants/?state=expired',
				'/admin/grants/?state=revoked',
				'/admin/subscribers/?state=active&q=sub1',
				'/admin/subscribers/deliveries/',
				'/admin/subscribers/deliveries/?state=failed',
				`/admin/keys/${app.gate.gate.keyring.keys[1]!.kid}/retire`,
			])
				await check(admin, path);
			await check(admin, '/admin/subscribers/?state=nope', 400);
			await check(admin, '/admin/no-such-page/', 404);
			// Filtered lists and the counts, and the answers to the console's forms.
			for (const path of [
				'/admin/requests/history/?status=approved&domain=gmail.com',
				'/admin/downloads/?view=company',
				'/admin/downloads/?view=document&company=Fabrikam',
			])
				await check(admin, path);
			const answered = async (label: string, act: () => Promise<unknown>, heading: string) => {
				await act();
				await admin.waitForLoadState();
				expect(await admin.getByRole('heading', { level: 1 }).textContent(), label).toBe(heading);
				audited.push(label);
				failures.push(...(await axeViolations(admin)).map((v) => `${label}: ${v}`));
			};
			await admin.goto(`${app.url}/admin/audit/`);
			await answered(
				'the audit log verified',
				() => admin.getByRole('button', { name: 'Verify the whole chain' }).click(),
				'Audit log verification',
			);
			const foreign = await PDFDocument.create();
			foreign.addPage().drawText('Another company whitepaper');
			await admin.goto(`${app.url}/admin/trace/`);
			await admin.getByLabel('The leaked PDF').setInputFiles({
				name: 'foreign.pdf',
				mimeType: 'application/pdf',
				buffer: Buffer.from(await foreign.save()),
			});
			await answered(
				'a trace answered',
				() => admin.getByRole('button', { name: 'Trace this copy' }).click(),
				'Trace a leaked copy',
			);
			await admin.goto(`${app.url}/admin/staff/`);
			await answered(
				'an invitation sent',
				async () => {
					await admin.getByLabel('E-mail address').fill('aino.approver@kestrelledger.example');
					await admin.getByRole('button', { name: 'Send the invitation' }).click();
				},
				'Staff and passkeys',
			);
			// A decision whose mail the mail server refuses, a new link refused too, then one sent.
			const approving = `axe.approve.${theme}@gmail.com`;
			const denying = `axe.deny.${theme}@gmail.com`;
			const [approved, denied] = [await waitingRequest(approving), await waitingRequest(denying)];
			refused.add(approving).add(denying);
			await admin.goto(`${app.url}/admin/requests/`);
			await answered(
				'an approval whose mail failed',
				() => admin.getByRole('button', { name: `Approve request ${approved}` }).click(),
				'Approved; the e-mail was not sent',
			);
			await answered(
				'a new link whose mail failed',
				() => admin.getByRole('button', { name: /^Send the link again/ }).click(),
				'New link made; the e-mail was not sent',
			);
			refused.delete(approving);
			await answered(
				'a link sent again',
				() => admin.getByRole('button', { name: /^Send the link again/ }).click(),
				'Grants',
			);
			await admin.goto(`${app.url}/admin/requests/`);
			await answered(
				'a denial whose mail failed',
				async () => {
					await admin.getByLabel('Reason (sent to the requester)').last().fill('Not a customer.');
					await admin.getByRole('button', { name: `Deny request ${denied}` }).click();
				},
				'Denied; the e-mail was not sent',
			);

			const viewer = await context();
			await viewer.context().addCookies([
				{
					name: 'tc_staff',
					value: (await staffCookie(app.gate.gate, 'vera.viewer@kestrelledger.example')).split(
						'=',
					)[1]!,
					url: app.url,
				},
			]);
			await check(viewer, '/admin/staff/');
			await check(viewer, `/admin/keys/${app.gate.gate.keyring.keys[1]!.kid}/retire`, 403);

			await Promise.all(contexts.map((c) => c.close()));
			expect(audited).toEqual(expect.arrayContaining(NAV.map((n) => n.href)));
			expect(failures).toEqual([]);
		});

	it('fits every page of its navigation on a phone: tables scroll in their own box, hidden labels included', async () => {
		const context = await consoleContext(browser, { viewport: { width: 360, height: 780 } });
		const page = await context.newPage();
		await signInWithIdp(page, app.url, 'ada');
		const wide: string[] = [];
		for (const { href } of NAV) {
			await page.goto(`${app.url}${href}`);
			const width = await page.evaluate(() => document.documentElement.scrollWidth);
			if (width > 360) wide.push(`${href}: ${width}px`);
		}
		await context.close();
		expect(wide).toEqual([]);
	});
});
