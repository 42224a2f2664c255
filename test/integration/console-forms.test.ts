// The console's decision forms and lists refuse bad input with a 400 that names the field, what was
// expected and how to fix it, never a 500: forms posted by a browser (text fields) or by a script (JSON,
// where a field can be any value), and list pages whose page position or date range is no real time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffCookie } from '../../scripts/lib/console-session.ts';
import { formTokenOf, startConsole, type TestConsole } from '../helpers/console.ts';
import { createRequest } from '../../src/gate/services/requests.ts';
import { requestFor } from '../helpers/gate.ts';

let app: TestConsole;
let admin: string;
/** A request (its form is checked before whether it waits), and a grant id of the right shape. */
let waiting: string;
const grant = 'grant_0000000000000000';

beforeAll(async () => {
	app = await startConsole();
	admin = await staffCookie(app.gate.gate, 'ada.admin@kestrelledger.example');
	const gate = app.gate.gate;
	const meta = { ip: '203.0.113.7', userAgent: 'test' };
	waiting = (await createRequest(gate, requestFor(gate, 'rae.moss@gmail.com'), meta)).id;
});
afterAll(async () => {
	await app?.stop();
});

/** Posts `body` as JSON with a good form token; returns the status and the refusal's code and fields. */
async function postJson(path: string, body: Record<string, unknown>) {
	const { csrf, cookie } = await formTokenOf(app.url, '/admin/', admin);
	const res = await fetch(`${app.url}${path}`, {
		method: 'POST',
		headers: {
			cookie: `${admin}; ${cookie}`,
			origin: app.url,
			'content-type': 'application/json',
		},
		body: JSON.stringify({ ...body, csrf }),
		redirect: 'manual',
	});
	const answer = (await res.json()) as { error: string; fields?: unknown };
	return [res.status, answer.error, answer.fields];
}

describe('the decision forms', () => {
	it('refuse each bad field with a 400 naming it', async () => {
		const approve = `/admin/requests/${waiting}/approve`;
		const deny = `/admin/requests/${waiting}/deny`;
		const revoke = `/admin/grants/${grant}/revoke`;
		const cases: Record<string, [string, Record<string, unknown>]> = {
			'approve, 0 days': [approve, { days: '0', documents: ['whitepaper'] }],
			'approve, days as words': [approve, { days: 'thirty', documents: ['whitepaper'] }],
			'approve, days an object': [approve, { days: { valueOf: 1 }, documents: ['whitepaper'] }],
			'approve, documents not a list': [approve, { days: 30, documents: { toString: 1 } }],
			'deny, too short': [deny, { reason: 'no' }],
			'deny, an object': [deny, { reason: { toString: 1, valueOf: 1 } }],
			'deny, a control character': [deny, { reason: 'Not now\u0007' }],
			'revoke, missing': [revoke, {}],
			'revoke, 501 characters': [revoke, { reason: 'x'.repeat(501) }],
			'invite, unknown role': [
				'/admin/staff/invite',
				{ email: 'vera.viewer@kestrelledger.example', role: 'owner' },
			],
			'invite, address a list': ['/admin/staff/invite', { email: ['a@b.example'] }],
		};
		const answers: Record<string, unknown> = {};
		for (const [name, [path, body]] of Object.entries(cases))
			answers[name] = await postJson(path, body);
		expect(answers).toMatchInlineSnapshot(`
			{
			  "approve, 0 days": [
			    400,
			    "invalid-request",
			    [
			      {
			        "field": "days",
			        "message": "expected a whole number of days from 1 to 730, received number 0",
			      },
			    ],
			  ],
			  "approve, days an object": [
			    400,
			    "invalid-request",
			    [
			      {
			        "field": "days",
			        "message": "expected a whole number of days from 1 to 730, received an object",
			      },
			    ],
			  ],
			  "approve, days as words": [
			    400,
			    "invalid-request",
			    [
			      {
			        "field": "days",
			        "message": "expected a whole number of days from 1 to 730, received "thirty"",
			      },
			    ],
			  ],
			  "approve, documents not a list": [
			    400,
			    "invalid-request",
			    [
			      {
			        "field": "documents",
			        "message": "expected the ids of documents the request waits for, received an object",
			      },
			    ],
			  ],
			  "deny, a control character": [
			    400,
			    "invalid-request",
			    [
			      {
			        "field": "reason",
			        "message": "contains invisible or control characters; retype it without them",
			      },
			    ],
			  ],
			  "deny, an object": [
			    400,
			    "invalid-request",
			    [
			      {
			        "field": "reason",
			        "message": "expected text, received an object",
			      },
			    ],
			  ],
			  "deny, too short": [
			    400,
			    "invalid-request",
			    [
			      {
			        "field": "reason",
			        "message": "expected a reason of 3 to 500 characters; the requester reads it",
			      },
			    ],
			  ],
			  "invite, address a list": [
			    400,
			    "invalid-request",
			    [
			      {
			        "field": "email",
			        "message": "expected text, received a list",
			      },
			    ],
			  ],
			  "invite, unknown role": [
			    400,
			    "invalid-request",
			    [
			      {
			        "field": "role",
			        "message": "expected one of viewer, approver, admin (or nothing for the role staff.yaml gives), received "owner"",
			      },
			    ],
			  ],
			  "revoke, 501 characters": [
			    400,
			    "invalid-request",
			    [
			      {
			        "field": "reason",
			        "message": "is too long: at most 500 characters",
			      },
			    ],
			  ],
			  "revoke, missing": [
			    400,
			    "invalid-request",
			    [
			      {
			        "field": "reason",
			        "message": "expected a reason of 3 to 500 characters",
			      },
			    ],
			  ],
			}
		`);
		// Nothing was decided.
		const { rows } = await app.gate.gate.db.query(
			'SELECT status FROM access_requests WHERE id = $1',
			[waiting],
		);
		expect(rows).toEqual([{ status: 'unverified' }]);
	});

	it('show a browser the page that names the field', async () => {
		const { csrf, cookie } = await formTokenOf(app.url, '/admin/', admin);
		const res = await fetch(`${app.url}/admin/requests/${waiting}/deny`, {
			method: 'POST',
			headers: {
				cookie: `${admin}; ${cookie}`,
				origin: app.url,
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'text/html',
			},
			body: new URLSearchParams({ csrf, reason: 'no' }),
		});
		expect(res.status).toBe(400);
		const page = await res.text();
		expect(page).toContain('Fix this field of the denial and send it again.');
		expect(page).toContain('expected a reason of 3 to 500 characters; the requester reads it');
	});
});

describe('the notice after a decision', () => {
	it('says the mail is in the outbox, not sent, when the gate has no SMTP_URL', async () => {
		const page = await (
			await fetch(`${app.url}/admin/requests/?denied=req_0000000000000000`, {
				headers: { cookie: admin },
			})
		).text();
		expect(page.replace(/\s+/g, ' ')).toContain(
			'Request req_0000000000000000 is denied. The mail with the reason is in the gate&#39;s outbox folder, not sent: the gate has no SMTP_URL.',
		);
	});
});

describe('the lists', () => {
	it('answer a page position or a date that is no real time with a 400 or the first page, never a 500', async () => {
		const status = async (path: string) =>
			(await fetch(`${app.url}${path}`, { headers: { cookie: admin }, redirect: 'manual' })).status;
		const bad = '2026-13-45T00:00:00.000Z~req_0000000000000000';
		// A real time of a year PostgreSQL has no timestamp for.
		const yearZero = '0000-01-01T00:00:00.000Z~req_0000000000000000';
		expect({
			queue: await status(`/admin/requests/?after=${bad}`),
			grants: await status(`/admin/grants/?before=${bad}`),
			history: await status(`/admin/requests/history/?before=${bad}`),
			downloads: await status(`/admin/downloads/?before=${bad}`),
			'queue after year 0': await status(`/admin/requests/?after=${yearZero}`),
			'grants before year 0': await status(`/admin/grants/?before=${yearZero}`),
			'history before year 0': await status(`/admin/requests/history/?before=${yearZero}`),
			'downloads before year 0': await status(`/admin/downloads/?before=${yearZero}`),
			'audit before entry 2^31': await status('/admin/audit/?before=2147483648'),
			'audit before entry 2^31 - 1': await status('/admin/audit/?before=2147483647'),
			'history from year 0': await status('/admin/requests/history/?from=0000-01-01'),
			'history to year 9999': await status('/admin/requests/history/?to=9999-12-31'),
			'downloads to year 9999': await status('/admin/downloads/?to=9999-12-31'),
		}).toEqual({
			queue: 200,
			grants: 200,
			history: 400,
			downloads: 400,
			'queue after year 0': 200,
			'grants before year 0': 200,
			'history before year 0': 400,
			'downloads before year 0': 400,
			'audit before entry 2^31': 400,
			'audit before entry 2^31 - 1': 200,
			'history from year 0': 400,
			'history to year 9999': 400,
			'downloads to year 9999': 400,
		});
		const page = await (
			await fetch(`${app.url}/admin/requests/history/?from=0000-01-01`, {
				headers: { cookie: admin },
			})
		).text();
		expect(page).toContain(
			'expected a date from 1970-01-01 to 9998-12-31, received &quot;0000-01-01&quot;; leave the field empty for no limit',
		);
	});
});
