// Signing in to the console with a real OpenID provider on loopback, in Chromium: staff by e-mail and
// by group land on the console; strangers, unverified addresses and tampered answers are refused with
// a page and an audit entry; idle sessions end; sign-out and sign-out everywhere take effect at once.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import {
	consoleContext,
	sessionCookie,
	signInWithIdp,
	startConsole,
	type TestConsole,
} from '../helpers/console.ts';
import { loginAtIdp } from '../helpers/oidc.ts';

let browser: Browser;
let app: TestConsole;

beforeAll(async () => {
	[browser, app] = await Promise.all([launchChromium(), startConsole()]);
});
afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

async function newPage(): Promise<Page> {
	return (await consoleContext(browser)).newPage();
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
const main = (page: Page) => page.locator('main').innerText();

/**
 * Changes one parameter of the authorization request the console sends the browser off with, as an
 * attacker splicing two sign-ins would: the provider then answers with that state, or signs that nonce.
 * (Playwright cannot intercept the redirects that follow, so the console's own 302 is rewritten.)
 */
async function tamperAuthorizationRequest(page: Page, param: 'state' | 'nonce', value: string) {
	await page.route(
		(url) => url.pathname === '/admin/signin/oidc',
		async (route) => {
			const response = await route.fetch({ maxRedirects: 0 });
			const location = new URL(response.headers()['location']!);
			expect(location.searchParams.get(param)).toMatch(/^[A-Za-z0-9_-]{43}$/);
			location.searchParams.set(param, value);
			await route.fulfill({
				response,
				headers: { ...response.headers(), location: location.href },
			});
		},
	);
}

/** The last audit entry of `type`. */
async function lastEntry(type: string) {
	return (await app.audit()).filter((e) => e.type === type).at(-1);
}

describe('signing in with the identity provider', () => {
	it('signs an approver in and lands on the console, with a __Host-style session cookie kept server-side', async () => {
		const page = await newPage();
		await page.goto(`${app.url}/admin/`);
		expect(await heading(page)).toBe('Sign in to the console');
		await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
		expect(new URL(page.url()).origin).toBe(app.idp.issuer);
		await loginAtIdp(page, 'aino');
		await page.waitForURL(`${app.url}/admin/`);
		expect(await heading(page)).toBe('Console');
		const text = await main(page);
		expect(text).toContain('Signed in as Aino Approver (aino.approver@kestrelledger.example).');
		expect(text).toContain('approver, from their own entry in content/staff.yaml');
		expect(text).toContain(`single sign-on at ${app.idp.issuer}`);

		const cookie = await sessionCookie(page.context());
		expect(cookie).toMatchObject({ name: 'tc_staff', httpOnly: true, sameSite: 'Lax', path: '/' });
		const { rows } = await app.gate.gate.db.query<{ email: string; method: string }>(
			'SELECT email, method FROM staff_sessions WHERE ended_at IS NULL',
		);
		expect(rows).toContainEqual({ email: 'aino.approver@kestrelledger.example', method: 'oidc' });

		const entry = await lastEntry('staff.signed-in');
		expect(entry?.actor).toBe('staff:aino.approver@kestrelledger.example');
		expect(entry?.data['staff']).toMatchObject({
			method: 'oidc',
			issuer: app.idp.issuer,
			subject: 'aino',
			email: 'aino.approver@kestrelledger.example',
			role: 'approver',
		});
	});

	it('gives a person the role of their identity provider group', async () => {
		const page = await newPage();
		await signInWithIdp(page, app.url, 'gus');
		expect(await main(page)).toContain(
			'approver, from group "trust-approvers" in content/staff.yaml',
		);
		expect((await lastEntry('staff.signed-in'))?.data['groups']).toEqual([
			'trust-approvers',
			'engineering',
		]);
	});

	it('refuses a person the staff file does not name, with a page and an audit entry', async () => {
		const page = await newPage();
		await page.goto(`${app.url}/admin/signin/`);
		await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
		const response = page.waitForResponse((r) => r.url().includes('/admin/signin/oidc/callback'));
		await loginAtIdp(page, 'sam');
		expect((await response).status()).toBe(403);
		expect(await heading(page)).toBe('Not on the staff list');
		expect(await main(page)).toContain(
			'sam.stranger@fabrikam.example is not on the console’s staff list. If you should have access, ask a console admin to add you to it.',
		);
		expect(await sessionCookie(page.context())).toBeUndefined();
		const entry = await lastEntry('staff.signin.refused');
		expect(entry).toMatchObject({
			actor: 'signin:sam.stranger@fabrikam.example',
			data: { method: 'oidc', reason: 'not-staff', issuer: app.idp.issuer, subject: 'sam' },
		});
	});

	it('signs in a person as Microsoft Entra ID sends them: no email_verified, and xms_edov: true', async () => {
		const page = await newPage();
		await signInWithIdp(page, app.url, 'erin');
		expect(await heading(page)).toBe('Console');
		expect((await lastEntry('staff.signed-in'))?.data['staff']).toMatchObject({
			subject: 'erin',
			email: 'vera.viewer@kestrelledger.example',
			role: 'viewer',
		});
	});

	it('refuses an address the provider has not verified, even one the staff file names', async () => {
		const page = await newPage();
		await page.goto(`${app.url}/admin/signin/`);
		await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
		await loginAtIdp(page, 'mallory');
		expect(await heading(page)).toBe('E-mail address not verified');
		expect(await main(page)).toContain(
			'Your identity provider does not say that ada.admin@kestrelledger.example is verified, so the console cannot rely on it.',
		);
		expect(await sessionCookie(page.context())).toBeUndefined();
		expect((await lastEntry('staff.signin.refused'))?.data).toMatchObject({
			reason: 'email-not-verified',
			email: 'ada.admin@kestrelledger.example',
			subject: 'mallory',
		});
	});

	it('refuses an answer whose state is not the one this sign-in sent', async () => {
		const page = await newPage();
		await tamperAuthorizationRequest(page, 'state', 'forged-state-from-another-sign-in');
		await page.goto(`${app.url}/admin/signin/`);
		await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
		await loginAtIdp(page, 'aino');
		await page.waitForURL(/callback/);
		expect(await heading(page)).toBe('Sign-in not accepted');
		expect(await main(page)).toContain(
			'The identity provider’s answer does not belong to the sign-in this browser started (its state differs). Nothing was signed in.',
		);
		expect(await sessionCookie(page.context())).toBeUndefined();
		expect((await lastEntry('staff.signin.refused'))?.data).toMatchObject({
			method: 'oidc',
			reason: 'state-mismatch',
		});
	});

	it('refuses an ID token whose nonce is not the one this sign-in sent', async () => {
		const page = await newPage();
		await tamperAuthorizationRequest(page, 'nonce', 'a-nonce-this-sign-in-never-sent');
		await page.goto(`${app.url}/admin/signin/`);
		await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
		await loginAtIdp(page, 'aino');
		await page.waitForURL(/callback/);
		expect(await heading(page)).toBe('Sign-in not accepted');
		expect(await main(page)).toContain('(its nonce differs), so it may be replayed.');
		expect(await sessionCookie(page.context())).toBeUndefined();
		expect((await lastEntry('staff.signin.refused'))?.data).toMatchObject({
			reason: 'nonce-mismatch',
		});
	});

	it('refuses a callback no sign-in in this browser started', async () => {
		const page = await newPage();
		const response = await page.goto(
			`${app.url}/admin/signin/oidc/callback?code=stolen&state=whatever`,
		);
		expect(response?.status()).toBe(403);
		expect(await main(page)).toContain('This sign-in was not started in this browser');
		expect((await lastEntry('staff.signin.refused'))?.data['reason']).toBe('no-signin');
	});
});

describe('the sign-in limit', () => {
	it('counts each sign-in once, so people behind one address can all sign in, and counts a callback no sign-in started', async () => {
		const limited = await startConsole({ env: { GATE_LIMIT_SIGNINS_PER_IP: '3' } });
		try {
			for (const login of ['aino', 'vera', 'aino']) {
				const page = await newPage();
				await signInWithIdp(page, limited.url, login);
				expect(await heading(page)).toBe('Console');
				await page.context().close();
			}
			const page = await newPage();
			// The limit is used up: a forged callback is counted too, and refused with the 429 page.
			const forged = await page.goto(
				`${limited.url}/admin/signin/oidc/callback?code=stolen&state=whatever`,
			);
			expect(forged?.status()).toBe(429);
			expect(await main(page)).toContain('Too many requests from you in a short time.');
			const start = await page.goto(`${limited.url}/admin/signin/oidc`);
			expect(start?.status()).toBe(429);
			expect(start?.headers()['retry-after']).toMatch(/^\d+$/);
		} finally {
			await limited.stop();
		}
	});
});

describe('without JavaScript', () => {
	it('signs in with single sign-on and out everywhere with plain links and forms', async () => {
		const page = await (await consoleContext(browser, { javaScriptEnabled: false })).newPage();
		await signInWithIdp(page, app.url, 'aino');
		expect(await heading(page)).toBe('Console');
		await page.getByRole('button', { name: 'Sign out everywhere' }).click();
		expect(await page.getByRole('status').first().textContent()).toBe(
			'You are signed out on every device and browser.',
		);
		// The passkey button needs the script: without it the page says so instead.
		expect(await main(page)).toContain(
			'Signing in with a passkey needs JavaScript, which is off or blocked in this browser.',
		);
	});
});

describe('roles', () => {
	it('answers a viewer who opens an admin page with 403 and records the attempt', async () => {
		const page = await newPage();
		await signInWithIdp(page, app.url, 'vera');
		const kid = app.gate.gate.keyring.keys[0]!.kid;
		const response = await page.goto(`${app.url}/admin/keys/${kid}/retire`);
		expect(response?.status()).toBe(403);
		expect(await heading(page)).toBe('Not allowed for your role');
		expect(await main(page)).toContain(
			'To retire a signing key you need the admin role; you are signed in as viewer (from their own entry in content/staff.yaml).',
		);
		const entry = await lastEntry('console.refused');
		expect(entry).toMatchObject({
			actor: 'staff:vera.viewer@kestrelledger.example',
			subject: 'retire a signing key',
			data: { needed: 'admin', staff: { role: 'viewer', subject: 'vera' } },
		});
		// Every section is in a viewer's navigation: a viewer reads everything.
		expect(
			await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents(),
		).toEqual([
			'Overview',
			'Review queue',
			'Grants',
			'Subscribers',
			'Audit log',
			'Request history',
			'Downloads',
			'Trace',
			'Signing keys',
			'Staff and passkeys',
		]);
	});
});

describe('sessions', () => {
	it('ends a session after 30 idle minutes, and says so on the sign-in page', async () => {
		const page = await newPage();
		await signInWithIdp(page, app.url, 'aino');
		app.clock.offset += 29 * 60_000;
		await page.goto(`${app.url}/admin/`);
		expect(await heading(page)).toBe('Console');
		app.clock.offset += 31 * 60_000;
		await page.goto(`${app.url}/admin/`);
		expect(await heading(page)).toBe('Sign in to the console');
		expect(await page.getByRole('status').first().textContent()).toBe(
			'Your session ended after 30 minutes without activity. Sign in again to continue.',
		);
		expect(await sessionCookie(page.context())).toBeUndefined();
		expect((await lastEntry('staff.session.ended'))?.data).toMatchObject({
			email: 'aino.approver@kestrelledger.example',
			reason: 'idle',
		});
	});

	it('takes the idle and absolute limits from the settings, and ends an active session at the absolute one', async () => {
		const short = await startConsole({
			env: { GATE_SESSION_IDLE_MINUTES: '10', GATE_SESSION_MAX_HOURS: '1' },
		});
		try {
			const page = await newPage();
			await signInWithIdp(page, short.url, 'aino');
			// Active every 9 minutes: never idle for 10, but past the hour at the seventh step.
			for (let step = 1; step <= 6; step++) {
				short.clock.offset += 9 * 60_000;
				await page.goto(`${short.url}/admin/`);
				expect(await heading(page)).toBe('Console');
			}
			short.clock.offset += 9 * 60_000;
			await page.goto(`${short.url}/admin/`);
			expect(await heading(page)).toBe('Sign in to the console');
			expect(await page.getByRole('status').first().textContent()).toBe(
				'Your session reached its limit of 1 hour. Sign in again to continue.',
			);
			const ended = (await short.audit()).filter((e) => e.type === 'staff.session.ended').at(-1);
			expect(ended?.data).toMatchObject({ reason: 'expired' });

			// A new browser: the provider's own session would skip its login page in this one.
			const again = await newPage();
			await signInWithIdp(again, short.url, 'aino');
			short.clock.offset += 11 * 60_000;
			await again.goto(`${short.url}/admin/`);
			expect(await again.getByRole('status').first().textContent()).toBe(
				'Your session ended after 10 minutes without activity. Sign in again to continue.',
			);
		} finally {
			await short.stop();
		}
	});

	it('signs out: the session stops working at once', async () => {
		const page = await newPage();
		await signInWithIdp(page, app.url, 'aino');
		const token = (await sessionCookie(page.context()))!.value;
		await page.getByRole('main').getByRole('button', { name: 'Sign out', exact: true }).click();
		expect(await page.getByRole('status').first().textContent()).toBe('You are signed out.');
		// The old cookie, replayed, opens nothing.
		const replay = await fetch(`${app.url}/admin/`, {
			headers: { cookie: `tc_staff=${token}` },
			redirect: 'manual',
		});
		expect(replay.status).toBe(303);
		expect(replay.headers.get('location')).toBe('/admin/signin/?ended=signed-out');
		expect((await lastEntry('staff.signed-out'))?.actor).toBe(
			'staff:aino.approver@kestrelledger.example',
		);
	});

	it('signs out everywhere: every other browser of the same person is signed out too', async () => {
		const [first, second, other] = [await newPage(), await newPage(), await newPage()];
		await signInWithIdp(first, app.url, 'ada');
		await signInWithIdp(second, app.url, 'ada');
		await signInWithIdp(other, app.url, 'aino');
		await first.getByRole('button', { name: 'Sign out everywhere' }).click();
		expect(await first.getByRole('status').first().textContent()).toBe(
			'You are signed out on every device and browser.',
		);
		await second.goto(`${app.url}/admin/`);
		expect(await heading(second)).toBe('Sign in to the console');
		expect(await second.getByRole('status').first().textContent()).toBe(
			'You are signed out on every device and browser.',
		);
		await other.goto(`${app.url}/admin/`);
		expect(await heading(other)).toBe('Console');
		const entry = await lastEntry('staff.signed-out-everywhere');
		expect(entry?.data['sessions']).toHaveLength(2);
	});
});
