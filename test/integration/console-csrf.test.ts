// Every POST of the console over HTTP, signed in as an admin: without the page's form token, or from
// another origin with a good token, each is refused with the 403 page that says which and how to fix
// it, and writes nothing (the audit log, the staff's sessions and the signing keys stay as they were).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffCookie } from '../../scripts/lib/console-session.ts';
import { formTokenOf, startConsole, type TestConsole } from '../helpers/console.ts';

let app: TestConsole;
let admin: string;

beforeAll(async () => {
	app = await startConsole();
	admin = await staffCookie(app.gate.gate, 'ada.admin@kestrelledger.example');
});
afterAll(async () => {
	await app?.stop();
});

/** Every POST route of the console, with ids of the right shape where the path has one. */
const POSTS = [
	'/admin/audit/verify',
	'/admin/audit/export',
	'/admin/downloads/export.csv',
	'/admin/grants/grant_0000000000000000/revoke',
	'/admin/grants/grant_0000000000000000/resend',
	'/admin/keys/rotate',
	'/admin/keys/2026-01/retire',
	'/admin/requests/req_0000000000000000/approve',
	'/admin/requests/req_0000000000000000/deny',
	'/admin/staff/invite',
	'/admin/staff/invites/inv_0000000000000000/cancel',
	'/admin/staff/sessions/ses_0000000000000000/end',
	'/admin/staff/passkeys/pk_0000000000000000/remove',
	'/admin/subscribers/sub_0000000000000000/remove',
	'/admin/trace/',
	'/admin/signout',
	'/admin/signout/everywhere',
	'/admin/signin/passkey/options',
	'/admin/signin/passkey',
	'/admin/enrol/options',
	'/admin/enrol/',
];

/** A POST as a form sends it: the trace's upload form as multipart, with a small PDF, the others urlencoded. */
function post(path: string, cookie: string, origin: string, fields: Record<string, string>) {
	let body: FormData | URLSearchParams = new URLSearchParams(fields);
	if (path === '/admin/trace/') {
		body = new FormData();
		for (const [name, value] of Object.entries(fields)) body.set(name, value);
		body.set('pdf', new Blob(['%PDF-1.7\n%%EOF\n'], { type: 'application/pdf' }), 'copy.pdf');
	}
	return fetch(`${app.url}${path}`, {
		method: 'POST',
		headers: { cookie, origin, accept: 'text/html' },
		body,
		redirect: 'manual',
	});
}

/** What a refused POST must leave as it was. */
const state = async () => {
	const db = app.gate.gate.db;
	const count = async (table: string) =>
		(await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
	return {
		audit: (await app.audit()).length,
		sessions: (
			await db.query<{ n: number }>(
				'SELECT count(*)::int AS n FROM staff_sessions WHERE ended_at IS NULL',
			)
		).rows[0]!.n,
		keys: app.gate.gate.keyring.keys.map((k) => k.kid),
		invites: await count('staff_invites'),
		signins: await count('staff_signins'),
	};
};

describe('the console refuses a forged POST', () => {
	it('without the form token: 403, saying to reload the page, and nothing written', async () => {
		const before = await state();
		for (const path of POSTS) {
			const res = await post(path, admin, app.url, {});
			expect([path, res.status]).toEqual([path, 403]);
			expect(await res.text(), path).toContain(
				'form token is missing or has expired (console pages stay valid for two hours, and need cookies). Reload the page and try again.',
			);
		}
		expect(await state()).toEqual(before);
	});

	it('from another origin, even with a good token: 403, saying to use the console itself, and nothing written', async () => {
		const { csrf, cookie } = await formTokenOf(app.url, '/admin/', admin);
		const before = await state();
		for (const path of POSTS) {
			const res = await post(path, `${admin}; ${cookie}`, 'https://evil.example', { csrf });
			expect([path, res.status]).toEqual([path, 403]);
			expect(await res.text(), path).toContain(
				'This action can only be sent from the console itself. Open /admin/ and try again from there.',
			);
		}
		expect(await state()).toEqual(before);
	});
});
