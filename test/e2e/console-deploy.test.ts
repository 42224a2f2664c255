// The console as it is deployed: two replicas on one PostgreSQL share sessions (a sign-out on one is
// refused on the other at once) and signing keys (a key rotated on one verifies on the other at once,
// one retired there is refused within the refresh period), and with ADMIN_PORT the console has its own port, which the public
// port does not serve; its responses are never stored, indexed or framed.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeCommand, parseCommand } from '../../src/gate/cli/commands.ts';
import { signLink } from '../../src/gate/lib/signed-link.ts';
import { launchChromium } from '../helpers/browser.ts';
import {
	consoleContext,
	consoleDist,
	sessionCookie,
	signInWithIdp,
	startConsole,
	STAFF_YAML,
	type TestConsole,
} from '../helpers/console.ts';
import { startTestGate } from '../helpers/gate.ts';
import { startPostgres, type PgCluster } from '../helpers/postgres.ts';

let browser: Browser;
let cluster: PgCluster;
let one: TestConsole;
let two: TestConsole;

beforeAll(async () => {
	[browser, cluster] = await Promise.all([launchChromium(), startPostgres()]);
	// No GATE_SIGNING_KEYS: the replicas share the keys the first one made in the database.
	const env = { DATABASE_URL: cluster.url };
	one = await startConsole({ env, keyRefreshMs: 500 });
	two = await startConsole({ env, idp: one.idp, keyRefreshMs: 500 });
});
afterAll(async () => {
	await browser?.close();
	await two?.stop();
	await one?.stop();
	cluster?.stop();
});

describe('two replicas on PostgreSQL', () => {
	it('share a session, and a sign-out on one is refused on the other at once', async () => {
		const page = await (await consoleContext(browser)).newPage();
		await signInWithIdp(page, one.url, 'aino');
		const token = (await sessionCookie(page.context()))!.value;
		const onTwo = () =>
			fetch(`${two.url}/admin/`, { headers: { cookie: `tc_staff=${token}` }, redirect: 'manual' });

		const shared = await onTwo();
		expect(shared.status).toBe(200);
		expect(await shared.text()).toContain('Signed in as <strong>Aino Approver</strong>');

		await page.getByRole('main').getByRole('button', { name: 'Sign out', exact: true }).click();
		expect(await page.getByRole('status').first().textContent()).toBe('You are signed out.');
		const refused = await onTwo();
		expect(refused.status).toBe(303);
		expect(refused.headers.get('location')).toBe('/admin/signin/?ended=signed-out');
	});
});

describe('signing keys on two replicas', () => {
	/** A download link for a grant that does not exist, signed by `kid` on replica one: only its key is judged first. */
	function link(kid: string): string {
		const now = Math.floor(Date.now() / 1000);
		return signLink(
			{ grant: 'grant_0000000000000000', doc: 'whitepaper', link: 'l1', iat: now, exp: now + 600 },
			one.gate.gate.keyring.keys.filter((k) => k.kid === kid),
		);
	}
	/** The refusal replica two answers a link with. */
	const onTwo = async (query: string) =>
		(
			(await (
				await fetch(`${two.url}/download/?${query}`, { headers: { accept: 'application/json' } })
			).json()) as { error: string }
		).error;
	const cli = (...argv: string[]) => {
		const parsed = parseCommand(argv, () => Buffer.alloc(0));
		if (!parsed.ok) throw new Error(parsed.error);
		return executeCommand(one.gate.gate, parsed.command, 'cli:replica-test');
	};

	it('verify a key rotated on one at once on the other, which signs with it soon, and refuse a key retired on one', async () => {
		const old = one.gate.gate.keyring.keys[0]!.kid;
		expect(two.gate.gate.keyring.keys.map((k) => k.kid)).toEqual([old]);
		expect((await cli('keys', 'rotate')).code).toBe(0);
		const kid = one.gate.gate.keyring.keys[0]!.kid;
		// Its signature passes on two; the grant it names does not exist.
		expect(await onTwo(link(kid))).toBe('grant-unknown');
		await expect
			.poll(() => two.gate.gate.keyring.keys[0]!.kid, { timeout: 30_000, interval: 50 })
			.toBe(kid);

		const oldLink = link(old);
		expect(await onTwo(oldLink)).toBe('grant-unknown');
		// Right after the rotation, what it signed still works: retiring it at once needs --now.
		expect((await cli('keys', 'retire', old)).code).toBe(1);
		expect((await cli('keys', 'retire', old, '--now')).code).toBe(0);
		await expect.poll(() => onTwo(oldLink), { timeout: 30_000, interval: 100 }).toBe('link-forged');
	});
});

describe('the console on its own port', () => {
	it('is served on ADMIN_PORT only, never stored, indexed or framed', async () => {
		const dist = consoleDist();
		const gate = await startTestGate(
			dist,
			{ ADMIN_PORT: '0', ADMIN_HOST: '127.0.0.1' },
			{ content: { 'staff.yaml': STAFF_YAML } },
		);
		try {
			expect(gate.adminUrl).not.toBe(gate.url);
			const publicAdmin = await fetch(`${gate.url}/admin/signin/`);
			expect(publicAdmin.status).toBe(404);
			expect(await publicAdmin.text()).not.toContain('Sign in to the console');

			const signin = await fetch(`${gate.adminUrl}/admin/signin/`);
			expect(signin.status).toBe(200);
			expect(await signin.text()).toContain('Sign in to the console');
			expect(signin.headers.get('cache-control')).toBe('no-store');
			expect(signin.headers.get('x-robots-tag')).toBe('noindex, nofollow');
			expect(signin.headers.get('x-frame-options')).toBe('DENY');
			expect(signin.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
			expect(signin.headers.get('content-security-policy')).toMatch(/script-src 'self'[ ;]/);

			const home = await fetch(`${gate.adminUrl}/admin/`, { redirect: 'manual' });
			expect(home.status).toBe(303);
			expect(home.headers.get('location')).toBe('/admin/signin/');

			const site = await fetch(`${gate.adminUrl}/`);
			expect(site.status).toBe(404);
			expect(await site.text()).toContain('This address serves only the console. Open /admin/.');
		} finally {
			await gate.stop();
		}
	});
});
