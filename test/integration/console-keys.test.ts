// The console's signing keys over HTTP, on one gate with PGlite and its keys in the database: every role
// reads them (never a secret), an admin rotates and retires after a confirmation page, each with an
// audit entry naming them; a viewer's or approver's forged POST is the 403 page and an audit entry; the
// signer cannot be retired; a retired key's links are refused; the CLI does the same through the admin
// socket; and the dashboard warns of an old key with a link to the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffCookie } from '../../scripts/lib/console-session.ts';
import { sendToGate } from '../../src/gate/cli/admin-socket.ts';
import { signLink } from '../../src/gate/lib/signed-link.ts';
import { keyFingerprint } from '../../src/gate/services/keys.ts';
import {
	consoleGet,
	consolePost,
	pageText,
	startConsole,
	type TestConsole,
} from '../helpers/console.ts';

let app: TestConsole;
let admin: string;
let approver: string;
let viewer: string;

beforeAll(async () => {
	app = await startConsole();
	const gate = app.gate.gate;
	[admin, approver, viewer] = await Promise.all([
		staffCookie(gate, 'ada.admin@kestrelledger.example'),
		staffCookie(gate, 'aino.approver@kestrelledger.example'),
		staffCookie(gate, 'vera.viewer@kestrelledger.example'),
	]);
});
afterAll(async () => {
	await app?.stop();
});

const get = (path: string, cookie: string) => consoleGet(app.url, path, cookie);
const textOf = pageText;
/** The rows of the keys table as text, in order. */
const rows = (html: string) =>
	[...html.matchAll(/<tr>\s*<td>([\s\S]*?)<\/tr>/g)].map((m) => textOf(`<td>${m[1]}`).trim());
/** A console POST with a form token from `formPage`, opened by an admin (so others' POSTs are forged). */
const post = (path: string, cookie: string, formPage = '/admin/keys/') =>
	consolePost(app.url, path, cookie, formPage, admin);

const lastEntry = async (type: string) => (await app.audit()).filter((e) => e.type === type).at(-1);
/** A download link for a grant that does not exist, signed with `kid`'s secret: only its key is judged first. */
function linkOf(kid: string): string {
	const key = app.gate.gate.keyring.keys.find((k) => k.kid === kid)!;
	const now = Math.floor(Date.now() / 1000);
	const query = signLink(
		{ grant: 'grant_0000000000000000', doc: 'whitepaper', link: 'l1', iat: now, exp: now + 600 },
		[key],
	);
	return `${app.url}/download/?${query}`;
}
const refusalCode = async (url: string) =>
	(
		(await (await fetch(url, { headers: { accept: 'application/json' } })).json()) as {
			error: string;
		}
	).error;

describe('the signing keys page', () => {
	it('shows a viewer the database key with its fingerprint and age, and no way to change it', async () => {
		const res = await get('/admin/keys/', viewer);
		expect(res.status).toBe(200);
		const html = await res.text();
		const [key] = app.gate.gate.keyring.keys;
		expect(rows(html)).toEqual([
			`${key!.kid} fingerprint ${keyFingerprint(key!.secret)} ${key!.createdAt!.toISOString().slice(0, 16).replace('T', ' ')} UTC by gate 0 days signs new links`,
		]);
		expect(textOf(html)).toContain(
			'The keys are kept in the gate’s database and shared by every replica.',
		);
		expect(html).toContain('<a href="/admin/keys/">Signing keys</a>');
		expect(html).not.toContain('Rotate now');
		expect(html).not.toContain(key!.secret.toString('base64'));
	});

	it('lets an admin rotate: the new key signs here at once, the old one verifies, and the audit entry names them', async () => {
		const old = app.gate.gate.keyring.keys[0]!.kid;
		// Its signature passes; the grant it names does not exist.
		expect(await refusalCode(linkOf(old))).toBe('grant-unknown');
		const res = await post('/admin/keys/rotate', admin);
		expect(res.status).toBe(303);
		const kid = app.gate.gate.keyring.keys[0]!.kid;
		expect(kid).not.toBe(old);
		expect(res.headers.get('location')).toBe(`/admin/keys/?rotated=${kid}`);
		const html = await (await get(res.headers.get('location')!, admin)).text();
		expect(textOf(html)).toContain(
			`Key ${kid} signs new links from now on; the older keys keep verifying. Other replicas sign with it within 10 seconds.`,
		);
		const [first, second] = rows(html);
		expect(first).toMatch(
			new RegExp(
				`^${kid} fingerprint [0-9a-f]{8} .* by staff:ada\\.admin@kestrelledger\\.example 0 days signs new links$`,
			),
		);
		expect(second).toMatch(
			new RegExp(
				`^${old} fingerprint [0-9a-f]{8} .* by gate 0 days verifies only Retire key ${old}$`,
			),
		);
		expect(await refusalCode(linkOf(old))).toBe('grant-unknown');
		const entry = await lastEntry('key.rotated');
		expect(entry).toMatchObject({
			actor: 'staff:ada.admin@kestrelledger.example',
			subject: kid,
			data: {
				previous: old,
				fingerprint: keyFingerprint(app.gate.gate.keyring.keys[0]!.secret),
				staff: { email: 'ada.admin@kestrelledger.example', role: 'admin' },
			},
		});
	});

	it('asks before retiring, refuses to retire the signer, and then stops the old key verifying', async () => {
		const [signer, old] = app.gate.gate.keyring.keys.map((k) => k.kid);
		const refused = await get(`/admin/keys/${signer}/retire`, admin);
		expect(refused.status).toBe(409);
		expect(textOf(await refused.text())).toContain(
			`The key "${signer}" signs new links and form tokens, so it cannot be retired. Rotate first (a new key then signs), and retire "${signer}" once the links it signed have expired.`,
		);
		const confirm = await get(`/admin/keys/${old}/retire`, admin);
		expect(confirm.status).toBe(200);
		expect(textOf(await confirm.text())).toContain(
			'Once retired it verifies nothing: download links, grant pages and form tokens it signed in the last two hours stop working, here at once and on other replicas within 10 seconds. Retiring cannot be undone.',
		);

		const res = await post(`/admin/keys/${old}/retire`, admin, `/admin/keys/${old}/retire`);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe(`/admin/keys/?retired=${old}`);
		const html = await (await get(res.headers.get('location')!, viewer)).text();
		expect(textOf(html)).toContain(`Key ${old} is retired: what it signed no longer works.`);
		expect(rows(html).at(-1)).toMatch(
			/retired \d{4}-\d\d-\d\d \d\d:\d\d UTC by staff:ada\.admin@kestrelledger\.example$/,
		);
		expect(await lastEntry('key.retired')).toMatchObject({
			actor: 'staff:ada.admin@kestrelledger.example',
			subject: old,
			data: { staff: { role: 'admin' } },
		});
		expect(await refusalCode(linkOf(signer!).replace(`kid=${signer}`, `kid=${old}`))).toBe(
			'link-forged',
		);
		const again = await post(`/admin/keys/${old}/retire`, admin);
		expect(again.status).toBe(409);
		expect(textOf(await again.text())).toMatch(
			new RegExp(
				`The key "${old}" was retired already, on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\.`,
			),
		);
	});

	it('answers a viewer’s or approver’s rotation or retirement with the 403 page and an audit entry', async () => {
		const keys = app.gate.gate.keyring.keys.map((k) => k.kid);
		for (const [cookie, role, path, action] of [
			[viewer, 'viewer', '/admin/keys/rotate', 'rotate the signing keys'],
			[approver, 'approver', `/admin/keys/${keys[0]}/retire`, 'retire a signing key'],
		] as const) {
			const res = await post(path, cookie);
			expect(res.status).toBe(403);
			expect(textOf(await res.text())).toContain(
				`To ${action} you need the admin role; you are signed in as ${role}`,
			);
			expect(await lastEntry('console.refused')).toMatchObject({
				subject: action,
				data: { needed: 'admin', staff: { role } },
			});
		}
		expect(app.gate.gate.keyring.keys.map((k) => k.kid)).toEqual(keys);
	});

	it('answers a key id that cannot exist with a 404 page', async () => {
		const res = await post('/admin/keys/no%20such/retire', admin);
		expect(res.status).toBe(404);
		expect(textOf(await res.text())).toContain(
			'There is no such signing key. Go back to the keys page.',
		);
		const unknown = await get('/admin/keys/gone/retire', admin);
		expect(unknown.status).toBe(404);
		expect(textOf(await unknown.text())).toContain(
			'There is no signing key "gone". List the keys on the keys page or with: npm run gate -- keys list',
		);
	});
});

describe('the keys CLI through the admin socket', () => {
	it('rotates with an audit entry naming the operator', async () => {
		const result = await sendToGate(app.gate.dataDir, { name: 'keys-rotate' });
		const kid = app.gate.gate.keyring.keys[0]!.kid;
		expect(result?.stdout).toMatch(
			new RegExp(`^Rotated: key ${kid} \\(fingerprint [0-9a-f]{8}\\)`),
		);
		expect(await lastEntry('key.rotated')).toMatchObject({
			actor: expect.stringMatching(/^cli:/),
			subject: kid,
		});
		const list = await sendToGate(app.gate.dataDir, { name: 'keys-list' });
		expect(list?.stdout.split('\n')[0]).toMatch(
			new RegExp(`^${kid}  [0-9a-f]{8}  signs new links`),
		);
	});
});

describe('the dashboard', () => {
	it('warns of a database key older than its rotation period, with a link to the keys page', async () => {
		app.clock.offset = 400 * 86_400_000;
		try {
			// A session from 400 days ago has ended: sign in again on the moved clock.
			const later = await staffCookie(app.gate.gate, 'vera.viewer@kestrelledger.example');
			const text = textOf(await (await get('/admin/', later)).text());
			const kid = app.gate.gate.keyring.keys[0]!.kid;
			expect(text).toContain(
				`The signing key “${kid}” is 400 days old, older than its rotation period of 365 days (GATE_KEY_ROTATION_DAYS). An admin can rotate it: a new key then signs, and this one keeps verifying. See the signing keys`,
			);
			const page = await (await get('/admin/keys/', later)).text();
			expect(textOf(page)).toContain(
				'400 days due for rotation (older than 365 days, GATE_KEY_ROTATION_DAYS) signs new links',
			);
		} finally {
			app.clock.offset = 0;
		}
	});
});
