// The console's tests share this set-up: a staff file, the identity provider's test users, a gate with
// its console on a known localhost port (passkeys need a host name, not an IP address) and a clock the
// test can move, and ways to read the audit log and to sign in.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { AuditEntry } from '../../src/gate/lib/audit-chain.ts';
import { readAudit } from '../../src/gate/services/audit.ts';
import { startTestGate } from './gate.ts';
import { loginAtIdp, startIdp, type TestIdp, type TestUser } from './oidc.ts';
import { onFreePort } from './postgres.ts';

/** Who may sign in to the console in these tests. */
export const STAFF_YAML = `people:
  - { email: aino.approver@kestrelledger.example, role: approver, name: Aino Approver }
  - { email: vera.viewer@kestrelledger.example, role: viewer, name: Vera Viewer }
  - { email: ada.admin@kestrelledger.example, role: admin, name: Ada Admin }
groups:
  - { group: trust-approvers, role: approver }
`;

/** The identity provider's people: staff by e-mail, by group, as Entra ID sends them, a stranger, and one whose address is not verified. */
export const USERS: TestUser[] = [
	{
		login: 'aino',
		email: 'aino.approver@kestrelledger.example',
		emailVerified: true,
		name: 'Aino A.',
	},
	{
		login: 'vera',
		email: 'vera.viewer@kestrelledger.example',
		emailVerified: true,
		name: 'Vera V.',
	},
	{ login: 'ada', email: 'ada.admin@kestrelledger.example', emailVerified: true, name: 'Ada A.' },
	{
		login: 'gus',
		email: 'gus.grouped@partner.example',
		emailVerified: true,
		name: 'Gus Grouped',
		groups: ['trust-approvers', 'engineering'],
	},
	{ login: 'sam', email: 'sam.stranger@fabrikam.example', emailVerified: true, name: 'Sam S.' },
	// As Microsoft Entra ID signs people in: no email_verified, and its optional claim xms_edov instead.
	{
		login: 'erin',
		email: 'vera.viewer@kestrelledger.example',
		emailVerified: undefined,
		domainVerified: true,
		name: 'Vera (Entra)',
	},
	// Claims an admin's address, but the provider has not verified it.
	{ login: 'mallory', email: 'ada.admin@kestrelledger.example', emailVerified: false, name: 'M.' },
];

/** A built site is not needed for the console: one page stands in for dist/. */
export function consoleDist(): string {
	const dist = mkdtempSync(join(tmpdir(), 'console-dist-'));
	writeFileSync(
		join(dist, 'index.html'),
		'<!doctype html><html lang="en"><head><title>Trust center</title></head><body><main><h1>Trust center</h1></main></body></html>',
	);
	return dist;
}

/** A console under test: its gate, its URL on localhost, its identity provider and clock. */
export interface TestConsole {
	gate: Awaited<ReturnType<typeof startTestGate>>;
	/** http://localhost:<port>, the console's origin. */
	url: string;
	idp: TestIdp;
	/** Milliseconds added to the gate's clock. */
	clock: { offset: number };
	/** The audit log, in order. */
	audit(): Promise<AuditEntry[]>;
	stop(): Promise<void>;
}

/**
 * Starts an identity provider and a gate whose console it signs in to. `env` adds settings (a
 * DATABASE_URL for PostgreSQL, ADMIN_PORT…); `idp` shares one provider between several gates;
 * `keyRefreshMs` is how often a replica re-reads the database's signing keys.
 */
export async function startConsole(
	options: {
		env?: Record<string, string>;
		idp?: TestIdp;
		staff?: string;
		keyRefreshMs?: number;
	} = {},
): Promise<TestConsole> {
	const clock = { offset: 0 };
	const dist = consoleDist();
	// The identity provider is told the console's callback before the gate listens, so the port is found
	// first; another process may take it meanwhile, and then the next free port is tried.
	return onFreePort(
		async (port) => {
			const url = `http://localhost:${port}`;
			const idp = options.idp ?? (await startIdp([`${url}/admin/signin/oidc/callback`], USERS));
			let gate;
			try {
				gate = await startTestGate(
					dist,
					{
						PORT: String(port),
						GATE_LIMIT_SIGNINS_PER_IP: '1000',
						...idp.env,
						...options.env,
					},
					{
						content: { 'staff.yaml': options.staff ?? STAFF_YAML },
						now: () => new Date(Date.now() + clock.offset),
						...(options.keyRefreshMs ? { keyRefreshMs: options.keyRefreshMs } : {}),
					},
				);
			} catch (error) {
				if (!options.idp) await idp.close();
				throw error;
			}
			return {
				gate,
				url,
				idp,
				clock,
				audit: () => readAudit(gate.gate.db),
				stop: async () => {
					await gate.stop();
					if (!options.idp) await idp.close();
					rmSync(dist, { recursive: true, force: true });
				},
			};
		},
		(error) => error instanceof Error && error.message.includes('EADDRINUSE'),
	).catch((error: unknown) => {
		rmSync(dist, { recursive: true, force: true });
		throw error;
	});
}

/** Signs `login` in through the identity provider from the console's sign-in page, in `page`. */
export async function signInWithIdp(page: Page, url: string, login: string): Promise<void> {
	await page.goto(`${url}/admin/`);
	await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
	await loginAtIdp(page, login);
	await page.waitForURL((u) => u.pathname.startsWith('/admin/'));
}

/**
 * A browser context for the console. Requests that leave this machine are refused: the identity
 * provider's development login page asks for a web font, which would hold every page load here.
 */
export async function consoleContext(
	browser: Browser,
	options: BrowserContextOptions = {},
): Promise<BrowserContext> {
	const context = await browser.newContext(options);
	await context.route(
		(url) => !['localhost', '127.0.0.1'].includes(url.hostname),
		(route) => route.abort(),
	);
	return context;
}

/** The console's session cookie in a browser context, if any. */
export async function sessionCookie(context: BrowserContext) {
	return (await context.cookies()).find((c) => c.name.endsWith('tc_staff'));
}

/** A page's text without tags, entities decoded and spaces folded, for assertions a reader would make. */
export function pageText(html: string): string {
	return html
		.replace(/<[^>]+>/g, ' ')
		.replace(
			/&(#39|quot|lt|gt|amp);/g,
			(_, e: string) => ({ '#39': "'", quot: '"', lt: '<', gt: '>', amp: '&' })[e]!,
		)
		.replace(/\s+/g, ' ');
}

/** A console GET at `url` with the session `cookie` (a Cookie header), redirects not followed. */
export function consoleGet(url: string, path: string, cookie: string): Promise<Response> {
	return fetch(`${url}${path}`, { headers: { cookie }, redirect: 'manual' });
}

/** The form token of the console page `formPage` (opened with the session `cookie`) and its cookie pair. */
export async function formTokenOf(
	url: string,
	formPage: string,
	cookie: string,
): Promise<{ csrf: string; cookie: string }> {
	const page = await consoleGet(url, formPage, cookie);
	const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
	const csrfCookie = page.headers.getSetCookie().find((c) => c.startsWith('tc_console_csrf='))!;
	return { csrf, cookie: csrfCookie.split(';')[0]! };
}

/**
 * A console POST at `url` as the browser sends it, with the session `cookie` and the form token of
 * `formPage` (opened with `formCookie`, by default the same session: another lets a test forge a POST).
 */
export async function consolePost(
	url: string,
	path: string,
	cookie: string,
	formPage: string,
	formCookie = cookie,
): Promise<Response> {
	const token = await formTokenOf(url, formPage, formCookie);
	return fetch(`${url}${path}`, {
		method: 'POST',
		headers: {
			cookie: `${cookie}; ${token.cookie}`,
			origin: url,
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
		},
		body: new URLSearchParams({ csrf: token.csrf }),
		redirect: 'manual',
	});
}
