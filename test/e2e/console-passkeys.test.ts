// Passkeys for the console in Chromium, with the DevTools protocol's virtual authenticator and the
// console's script under the gate's CSP: an invitation from the CLI, enrolment, sign-in, approving a
// request once signed in, a used or expired invitation refused, an admin removing a passkey. (axe on
// every console page: test/audit/console-axe.test.ts.)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffCookie } from '../../scripts/lib/console-session.ts';
import { executeCommand, parseCommand, readArgumentFile } from '../../src/gate/cli/commands.ts';
import { launchChromium } from '../helpers/browser.ts';
import {
	consoleContext,
	sessionCookie,
	startConsole,
	type TestConsole,
} from '../helpers/console.ts';
import { lastLink, requestFor } from '../helpers/gate.ts';
import { confirmEmail, createRequest } from '../../src/gate/services/requests.ts';

let browser: Browser;
let app: TestConsole;

beforeAll(async () => {
	[browser, app] = await Promise.all([launchChromium(), startConsole()]);
});
afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
const main = (page: Page) => page.locator('main').innerText();

/** Runs `npm run gate -- <args>` against the test gate as cli:tester. */
async function cli(...args: string[]) {
	const parsed = parseCommand(args, readArgumentFile);
	if (!parsed.ok) throw new Error(parsed.error);
	return executeCommand(app.gate.gate, parsed.command, 'cli:tester');
}

/** Runs `npm run gate -- staff invite …` against the test gate; returns what it printed. */
async function invite(...args: string[]): Promise<string> {
	const result = await cli('staff', 'invite', ...args);
	expect(result.stderr).toBe('');
	return result.stdout;
}

/** The mails the gate wrote to its outbox, quoted-printable decoded. */
const outbox = () => {
	const dir = join(app.gate.dataDir, 'outbox');
	return readdirSync(dir).map((f) =>
		readFileSync(join(dir, f), 'utf8')
			.replace(/=\r?\n/g, '')
			.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
	);
};

/** A page whose browser has a platform authenticator with user verification (a virtual one). */
async function pageWithAuthenticator(): Promise<{ page: Page; context: BrowserContext }> {
	const context = await consoleContext(browser);
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await cdp.send('WebAuthn.enable', { enableUI: false });
	await cdp.send('WebAuthn.addVirtualAuthenticator', {
		options: {
			protocol: 'ctap2',
			transport: 'internal',
			hasResidentKey: true,
			hasUserVerification: true,
			isUserVerified: true,
			automaticPresenceSimulation: true,
		},
	});
	const violations: string[] = [];
	page.on('console', (m) => {
		if (/Content Security Policy/.test(m.text())) violations.push(m.text());
	});
	page.on('close', () => expect(violations).toEqual([]));
	return { page, context };
}

/** Enrols a passkey in `page` with the invitation link `link`; lands on the console. */
async function enrol(page: Page, link: string): Promise<void> {
	await page.goto(link);
	expect(await heading(page)).toBe('Register your passkey');
	// The token left the address bar (and so the history and any Referer) on the first request, and
	// the page does not hold it either: a cookie of the enrolment page does.
	const token = new URL(link).searchParams.get('token')!;
	expect(page.url()).toBe(new URL('/admin/enrol/', link).href);
	expect(await page.content()).not.toContain(token);
	await page.getByRole('button', { name: 'Register a passkey' }).click();
	await page.waitForURL((u) => u.pathname === '/admin/');
	expect(await heading(page)).toBe('Console');
}

async function lastEntry(type: string) {
	return (await app.audit()).filter((e) => e.type === type).at(-1);
}

describe('passkeys', () => {
	let ada: Page;
	let adaLink: string;

	it('invites from the CLI: prints the one-time link and writes its mail to the outbox', async () => {
		const printed = await invite('ada.admin@kestrelledger.example', '--role', 'admin');
		expect(printed).toMatch(
			/^Invited ada\.admin@kestrelledger\.example as admin\. The enrolment link works once, until \d{4}-\d\d-\d\d \d\d:\d\d UTC\. The mail was written to \S+\.eml, not e-mailed: the gate runs without SMTP_URL\.\nGive them the link yourself:\nhttp:\/\/localhost:\d+\/admin\/enrol\/\?token=[A-Za-z0-9_-]{43}\n$/,
		);
		adaLink = printed.trim().split('\n').at(-1)!;
		expect(lastLink(outbox(), '/admin/enrol/')).toBe(adaLink);
		expect(await lastEntry('staff.invited')).toMatchObject({
			actor: 'cli:tester',
			data: { email: 'ada.admin@kestrelledger.example', role: 'admin' },
		});
	});

	it('trades the invitation link for a cookie of the enrolment page alone, and asks for the link again without it', async () => {
		const link = (await invite('aino.approver@kestrelledger.example')).trim().split('\n').at(-1)!;
		const first = await fetch(link, { redirect: 'manual' });
		expect(first.status).toBe(303);
		expect(first.headers.get('location')).toBe('/admin/enrol/');
		const token = new URL(link).searchParams.get('token')!;
		expect(first.headers.get('set-cookie')).toBe(
			`tc_invite=${token}; Max-Age=3600; Path=/admin/enrol/; HttpOnly; SameSite=Lax`,
		);
		const cookie = `tc_invite=${token}`;
		const page = await fetch(new URL('/admin/enrol/', link), { headers: { cookie } });
		expect(page.status).toBe(200);
		expect(await page.text()).not.toContain(token);
		const closed = await fetch(new URL('/admin/enrol/', link));
		expect(closed.status).toBe(404);
		expect(await closed.text()).toContain(
			'This enrolment page was opened without its invitation link, or more than 60 minutes ago. Open the link from the invitation e-mail again.',
		);
		// A token of the wrong shape names no cookie.
		const cut = await fetch(link.slice(0, -1), { redirect: 'manual' });
		expect([cut.status, cut.headers.get('set-cookie')]).toEqual([404, null]);
	});

	it('refuses an invitation the staff file does not allow, naming the fix', async () => {
		const result = await cli(
			'staff',
			'invite',
			'vera.viewer@kestrelledger.example',
			'--role',
			'admin',
		);
		expect(result.code).not.toBe(0);
		expect(result.stderr).toContain(
			'content/staff.yaml gives vera.viewer@kestrelledger.example the role viewer; an invitation cannot give more.',
		);
	});

	it('registers a passkey with the invitation and signs in with it afterwards', async () => {
		({ page: ada } = await pageWithAuthenticator());
		await enrol(ada, adaLink);
		const text = await main(ada);
		expect(text).toContain('Signed in as Ada Admin (ada.admin@kestrelledger.example).');
		expect(text).toMatch(/Signed in with\s+a passkey \(pk_[0-9a-f]{16}\)/);
		const enrolled = await lastEntry('staff.passkey.enrolled');
		expect(enrolled).toMatchObject({
			actor: 'signin:ada.admin@kestrelledger.example',
			data: { email: 'ada.admin@kestrelledger.example', role: 'admin' },
		});
		expect((await lastEntry('staff.signed-in'))?.data['staff']).toMatchObject({
			method: 'passkey',
			subject: enrolled?.subject,
			role: 'admin',
		});

		await ada.getByRole('main').getByRole('button', { name: 'Sign out', exact: true }).click();
		expect(await heading(ada)).toBe('Sign in to the console');
		await ada.getByRole('button', { name: 'Sign in with a passkey' }).click();
		await ada.waitForURL((u) => u.pathname === '/admin/');
		expect(await heading(ada)).toBe('Console');
		expect(await sessionCookie(ada.context())).toBeDefined();
	});

	it('approves a waiting request once signed in with the passkey, as the approver named in the audit log', async () => {
		const gate = app.gate.gate;
		const meta = { ip: '203.0.113.7', userAgent: 'test' };
		const { id } = await createRequest(gate, requestFor(gate, 'kim.lee@gmail.com'), meta);
		const token = new URL(lastLink(outbox(), '/access/confirm/')).searchParams.get('token')!;
		await confirmEmail(gate, token, meta);
		await ada.goto(`${app.url}/admin/requests/`);
		await ada.getByRole('button', { name: `Approve request ${id}` }).click();
		await ada.waitForURL(`${app.url}/admin/requests/?approved=${id}`);
		expect(await ada.getByRole('status').first().innerText()).toMatch(
			new RegExp(
				`^Request ${id} is approved: Kestrel Ledger Security Whitepaper \\(NDA edition\\) for 30 days,`,
			),
		);
		expect(await lastEntry('request.approved')).toMatchObject({
			actor: 'staff:ada.admin@kestrelledger.example',
			subject: id,
			data: { staff: { method: 'passkey', role: 'admin' } },
		});
	});

	it('shows viewers and approvers the passkeys and open invitations without the forms, and refuses their POSTs with 403 and an audit entry', async () => {
		for (const [email, role] of [
			['vera.viewer@kestrelledger.example', 'viewer'],
			['aino.approver@kestrelledger.example', 'approver'],
		] as const) {
			const context = await consoleContext(browser);
			await context.addCookies([
				{
					name: 'tc_staff',
					value: (await staffCookie(app.gate.gate, email)).split('=')[1]!,
					url: app.url,
				},
			]);
			const page = await context.newPage();
			await page.goto(`${app.url}/admin/`);
			await page
				.getByRole('navigation', { name: 'Console' })
				.getByRole('link', { name: 'Staff and passkeys' })
				.click();
			expect(await heading(page), role).toBe('Staff and passkeys');
			const passkeys = page.getByRole('table', { name: 'Registered passkeys' });
			expect(await passkeys.getByRole('row').nth(1).innerText(), role).toMatch(
				/^ada\.admin@kestrelledger\.example\s+admin\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+\d{4}-/,
			);
			const invitations = page.getByRole('table', { name: 'Invitations waiting to be used' });
			expect(await invitations.getByRole('row').nth(1).innerText(), role).toMatch(
				/^aino\.approver@kestrelledger\.example\s+approver\s+cli:tester\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
			);
			expect(await main(page), role).toContain(
				'Your role can read this page; admins invite people, cancel invitations and remove passkeys.',
			);
			expect(
				await page.getByRole('button', { name: /Remove|Send the invitation|Cancel|End/ }).count(),
				role,
			).toBe(0);
			// Who is signed in, and from where, is for admins.
			expect(await page.getByRole('heading', { name: 'Signed in now' }).count(), role).toBe(0);
			expect(await page.getByRole('heading', { name: 'Invite someone' }).count(), role).toBe(0);

			const csrf = await page.locator('input[name="csrf"]').first().inputValue();
			const passkey = (await lastEntry('staff.passkey.enrolled'))!.subject;
			const invitation = (await lastEntry('staff.invited'))!.subject;
			for (const [path, action] of [
				['/admin/staff/invite', 'invite staff'],
				[`/admin/staff/passkeys/${passkey}/remove`, 'remove a passkey'],
				[`/admin/staff/invites/${invitation}/cancel`, 'cancel an invitation'],
				['/admin/staff/sessions/ses_0000000000000000/end', 'end a session'],
			]) {
				const response = await page.request.post(`${app.url}${path}`, {
					form: { csrf, email: 'aino.approver@kestrelledger.example' },
					headers: { origin: app.url, accept: 'text/html' },
				});
				expect(response.status(), `${role} ${path}`).toBe(403);
				expect(await response.text()).toContain(
					`To ${action} you need the admin role; you are signed in as ${role}`,
				);
				expect(await lastEntry('console.refused')).toMatchObject({
					actor: `staff:${email}`,
					subject: action,
					data: { needed: 'admin', staff: { role } },
				});
			}
			await context.close();
		}
		expect(
			(await app.audit()).filter(
				(e) =>
					['staff.passkey.removed', 'staff.invite.cancelled'].includes(e.type) ||
					e.data['reason'] === 'ended-by-admin',
			),
		).toEqual([]);
	});

	it('refuses a used invitation, with a page and an audit entry', async () => {
		const page = await (await consoleContext(browser)).newPage();
		const response = await page.goto(adaLink);
		expect(response?.status()).toBe(410);
		expect(await heading(page)).toBe('Invitation already used');
		expect(await main(page)).toMatch(
			/This enrolment link was used on .* UTC to register a passkey, and works only once\. To register another passkey \(or replace a lost one\), ask a console admin for a new invitation\./,
		);
		expect((await lastEntry('staff.signin.refused'))?.data).toMatchObject({
			method: 'passkey',
			reason: 'invite-used',
			email: 'ada.admin@kestrelledger.example',
		});
	});

	it('refuses an invitation after 24 hours', async () => {
		const link = (await invite('vera.viewer@kestrelledger.example')).trim().split('\n').at(-1)!;
		app.clock.offset += 24 * 3_600_000 + 60_000;
		const page = await (await consoleContext(browser)).newPage();
		const response = await page.goto(link);
		expect(response?.status()).toBe(410);
		expect(await heading(page)).toBe('Invitation expired');
		expect(await main(page)).toContain(
			'24 hours after it was sent. Ask a console admin for a new invitation.',
		);
		expect((await lastEntry('staff.signin.refused'))?.data['reason']).toBe('invite-expired');
	});

	it('lets an admin remove a passkey: its session ends at once and it signs in no more', async () => {
		// The clock moved a day: Ada signs in again.
		await ada.goto(`${app.url}/admin/signin/`);
		await ada.getByRole('button', { name: 'Sign in with a passkey' }).click();
		await ada.waitForURL((u) => u.pathname === '/admin/');

		const { page: aino } = await pageWithAuthenticator();
		const link = (await invite('aino.approver@kestrelledger.example')).trim().split('\n').at(-1)!;
		await enrol(aino, link);
		const passkey = (await lastEntry('staff.passkey.enrolled'))!.subject;

		await ada.goto(`${app.url}/admin/staff/`);
		expect(await heading(ada)).toBe('Staff and passkeys');
		await ada
			.getByRole('button', { name: `Remove the passkey of aino.approver@kestrelledger.example` })
			.click();
		await ada.waitForURL(`${app.url}/admin/staff/`);
		expect(await main(ada)).not.toContain('aino.approver@kestrelledger.example');
		expect(await lastEntry('staff.passkey.removed')).toMatchObject({
			actor: 'staff:ada.admin@kestrelledger.example',
			subject: passkey,
			data: { email: 'aino.approver@kestrelledger.example', staff: { role: 'admin' } },
		});

		await aino.goto(`${app.url}/admin/`);
		expect(await heading(aino)).toBe('Sign in to the console');
		expect(await aino.getByRole('status').first().textContent()).toBe(
			'An admin removed the passkey you signed in with, which ended your session.',
		);
		await aino.getByRole('button', { name: 'Sign in with a passkey' }).click();
		await expect
			.poll(() => aino.locator('[data-passkey] [role="status"]').textContent())
			.toBe(
				'This passkey is not registered with this console, or an admin removed it. Ask a console admin for a new invitation.',
			);
		expect((await lastEntry('staff.signin.refused'))?.data['reason']).toBe('unknown-passkey');
	});

	it('lets an admin cancel an invitation, in the console or the CLI: its link opens nothing, and trying is an audit entry', async () => {
		const link = (await invite('vera.viewer@kestrelledger.example')).trim().split('\n').at(-1)!;
		const invitation = (await lastEntry('staff.invited'))!.subject;
		await ada.goto(`${app.url}/admin/staff/`);
		await ada
			.getByRole('button', {
				name: `Cancel the invitation of vera.viewer@kestrelledger.example (${invitation})`,
			})
			.click();
		await ada.waitForURL(`${app.url}/admin/staff/`);
		expect(await main(ada)).not.toContain('vera.viewer@kestrelledger.example');
		expect(await lastEntry('staff.invite.cancelled')).toMatchObject({
			actor: 'staff:ada.admin@kestrelledger.example',
			subject: invitation,
			data: { email: 'vera.viewer@kestrelledger.example', role: 'viewer' },
		});

		const page = await (await consoleContext(browser)).newPage();
		const response = await page.goto(link);
		expect(response?.status()).toBe(410);
		expect(await heading(page)).toBe('Invitation cancelled');
		expect(await main(page)).toMatch(
			/A console admin cancelled this enrolment link on \d{4}-\d\d-\d\d \d\d:\d\d UTC\. If you still need to register a passkey, ask a console admin for a new invitation\./,
		);
		expect((await lastEntry('staff.signin.refused'))?.data).toMatchObject({
			method: 'passkey',
			reason: 'invite-cancelled',
			email: 'vera.viewer@kestrelledger.example',
		});

		await invite('vera.viewer@kestrelledger.example');
		await invite('vera.viewer@kestrelledger.example');
		const cancel = () => cli('staff', 'cancel-invite', 'Vera.Viewer@kestrelledger.example');
		expect(await cancel()).toMatchObject({
			code: 0,
			stdout:
				'Cancelled 2 open invitation(s) of vera.viewer@kestrelledger.example: their links open nothing more.\n',
		});
		expect(await cancel()).toMatchObject({ code: 1, stdout: '', stderr: expect.any(String) });
		expect((await cancel()).stderr).toMatchInlineSnapshot(`
			"vera.viewer@kestrelledger.example has no open invitation: it was used, expired or cancelled already, or none was sent.
			"
		`);
	});

	it('shows an admin who is signed in and from where, and ends a session at once', async () => {
		const cookie = await staffCookie(app.gate.gate, 'aino.approver@kestrelledger.example');
		const session = (await lastEntry('staff.signed-in'))!.subject;
		await ada.goto(`${app.url}/admin/staff/`);
		const open = ada.getByRole('table', { name: 'Open sessions, most recently active first' });
		expect(await open.getByRole('row').nth(1).innerText()).toMatch(
			/^Ada Admin\s+ada\.admin@kestrelledger\.example\s+\(this session\)\s+passkey\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+127\.0\.0\.1\s+End\s+the session of ada\.admin@kestrelledger\.example \(ses_[0-9a-f]{16}\)$/,
		);
		expect(await open.innerText()).toContain('aino.approver@kestrelledger.example');
		await ada
			.getByRole('button', {
				name: `End the session of aino.approver@kestrelledger.example (${session})`,
			})
			.click();
		await ada.waitForURL(`${app.url}/admin/staff/`);
		expect(await open.innerText()).not.toContain('aino.approver@kestrelledger.example');
		expect(await lastEntry('staff.session.ended')).toMatchObject({
			actor: 'staff:ada.admin@kestrelledger.example',
			subject: session,
			data: { email: 'aino.approver@kestrelledger.example', reason: 'ended-by-admin' },
		});
		// Aino's next page is the sign-in page, which says why.
		const next = await fetch(`${app.url}/admin/`, { headers: { cookie }, redirect: 'manual' });
		expect(next.status).toBe(303);
		const signin = new URL(next.headers.get('location')!, app.url);
		expect(signin.searchParams.get('ended')).toBe('ended-by-admin');
		const page = await (await consoleContext(browser)).newPage();
		await page.goto(signin.href);
		expect(await page.getByRole('status').first().textContent()).toBe(
			'A console admin ended your session. Sign in again if you still need the console.',
		);
		// A session that is no longer open cannot be ended again.
		const again = await ada.request.post(`${app.url}/admin/staff/sessions/${session}/end`, {
			form: { csrf: await ada.locator('input[name="csrf"]').first().inputValue() },
			headers: { origin: app.url, accept: 'text/html' },
		});
		expect(again.status()).toBe(404);
		expect(await again.text()).toContain(
			'This session has ended already, or does not exist. Reload the staff page.',
		);

		// From a shell: every open session of a person at once.
		await staffCookie(app.gate.gate, 'vera.viewer@kestrelledger.example');
		await staffCookie(app.gate.gate, 'vera.viewer@kestrelledger.example');
		// Who is signed in, as the staff page shows an admin, most recently active first.
		const listed = await cli('staff', 'sessions');
		expect(listed.code).toBe(0);
		const lines = listed.stdout.trim().split('\n');
		const vera = lines.filter((l) => l.startsWith('vera.viewer@kestrelledger.example'));
		expect(vera).toHaveLength(2);
		for (const line of vera)
			expect(line).toMatch(
				/^vera\.viewer@kestrelledger\.example( \([^)]+\))? {2}(passkey|identity provider) {2}since \d{4}-\d\d-\d\d \d\d:\d\d UTC {2}last active \d{4}-\d\d-\d\d \d\d:\d\d UTC {2}from \S+ {2}session \S+$/,
			);
		expect(lines.at(-1)).toBe(
			`${lines.length - 2} open console session(s), most recently active first. End a person's: npm run gate -- staff end-sessions <email>`,
		);
		const endAll = () => cli('staff', 'end-sessions', 'Vera.Viewer@kestrelledger.example');
		expect(await endAll()).toEqual({
			code: 0,
			stdout:
				'Ended 2 console session(s) of vera.viewer@kestrelledger.example: their browsers are signed out. To keep them out, also remove them from content/staff.yaml.\n',
			stderr: '',
		});
		expect(
			(await app.audit()).filter(
				(e) => e.type === 'staff.session.ended' && e.actor === 'cli:tester',
			),
		).toHaveLength(2);
		expect((await cli('staff', 'sessions')).stdout).not.toContain('vera.viewer@');
		expect(await endAll()).toMatchObject({
			code: 1,
			stderr: expect.stringContaining(
				'vera.viewer@kestrelledger.example has no open console session.',
			),
		});
	});
});
