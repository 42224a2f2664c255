// The console's subscribers pages over HTTP: counts by state and topic, the subscribers and the delivery
// log a page at a time (keyset-paged, searchable), an admin's removal through the CLI's service with an
// audit entry naming them, a viewer's forged removal refused with 403 and an audit entry, and a wrong
// query parameter answered with a 400 that names it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffCookie } from '../../scripts/lib/console-session.ts';
import { addActiveSubscribers } from '../../scripts/lib/subscription-fixture.ts';
import {
	consoleGet,
	consolePost,
	pageText,
	startConsole,
	type TestConsole,
} from '../helpers/console.ts';

let app: TestConsole;
let admin: string;
let viewer: string;

beforeAll(async () => {
	app = await startConsole();
	const gate = app.gate.gate;
	// 30 active subscribers to "all", one pending to incidents, one bouncing; two items mailed to the 30.
	await addActiveSubscribers(gate.db, 30);
	await gate.db.query(
		`INSERT INTO subscribers (id, email, topics, state, created_at, created_ip, created_user_agent, bounces, last_bounce)
		VALUES ('sub_00000000000000a1', 'pending_one@wait.example', ARRAY['incident'], 'pending', now(), '127.0.0.1', 'test', 0, NULL),
			('sub_00000000000000a2', 'bounced@gone.example', ARRAY['all', 'incident'], 'bouncing', now(), '127.0.0.1', 'test', 3, '550 5.1.1 no such user')`,
	);
	await gate.db.query(
		`INSERT INTO notify_items (id, topic, payload, published_at, first_seen, baseline)
		VALUES ('update:first', 'all', '{"title":"First update"}', now(), now(), false),
			('update:second', 'all', '{"title":"Second update"}', now(), now(), false)`,
	);
	await gate.db.query(
		`INSERT INTO mail_outbox (subscriber_id, item_id, state, queued_at, due_at, attempts, sent_at, reply)
		SELECT s.id, i.id, 'sent', now(), now(), 1, now(), '250 2.0.0 OK ' || s.email
		FROM notify_items i, subscribers s WHERE s.state = 'active' ORDER BY i.id, s.email`,
	);
	[admin, viewer] = await Promise.all([
		staffCookie(gate, 'ada.admin@kestrelledger.example'),
		staffCookie(gate, 'vera.viewer@kestrelledger.example'),
	]);
});
afterAll(async () => {
	await app?.stop();
});

const get = (path: string, cookie: string) => consoleGet(app.url, path, cookie);
const textOf = pageText;
/** The addresses listed in the subscribers table, in order. */
const listed = (html: string) =>
	[...html.matchAll(/<tr>\s*<td>([^<]+@[^<]+)<\/td>/g)].map((m) => m[1]);
async function lastEntry(type: string) {
	return (await app.audit()).filter((e) => e.type === type).at(-1);
}

/** A console POST with the page's form token, as the browser sends it. */
const post = (path: string, cookie: string, formPage: string) =>
	consolePost(app.url, path, cookie, formPage);

describe('the subscribers page', () => {
	it('counts subscribers by state and active ones by topic, and lists them a page at a time', async () => {
		const res = await get('/admin/subscribers/', viewer);
		expect(res.status).toBe(200);
		const html = await res.text();
		const text = textOf(html);
		expect(text).toContain(
			'Subscribers by state pending 1 active 30 unsubscribed 0 bouncing 1 removed (suppressed) 0',
		);
		expect(text).toContain(
			'Active subscribers by topic All updates 30 Subprocessor changes 0 Incidents 0 Certifications 0 Policy changes 0',
		);
		expect(html).toContain('<a href="/admin/subscribers/">Subscribers</a>');
		const first = listed(html);
		expect(first).toHaveLength(25);
		expect(first[0]).toBe('bounced@gone.example');
		expect(text).toContain('bouncing 3 failure(s): 550 5.1.1 no such user');
		// A viewer reads; only admins remove.
		expect(html).not.toContain('/remove');

		const next = /href="(\/admin\/subscribers\/\?after=[^"]+)">Next 25 subscribers/.exec(html)![1]!;
		const second = listed(await (await get(next.replace(/&amp;/g, '&'), viewer)).text());
		expect(second).toHaveLength(7);
		expect(new Set([...first, ...second]).size).toBe(32);
		expect(second.at(-1)).toBe('sub9@load.example');
	});

	it('finds addresses by any part of them, and filters by state', async () => {
		const found = listed(await (await get('/admin/subscribers/?q=SUB2', viewer)).text());
		// In code-point order, as the page lists them: "0" comes before "@".
		expect(found.sort()).toEqual([
			'sub20@load.example',
			'sub21@load.example',
			'sub22@load.example',
			'sub23@load.example',
			'sub24@load.example',
			'sub25@load.example',
			'sub26@load.example',
			'sub27@load.example',
			'sub28@load.example',
			'sub29@load.example',
			'sub2@load.example',
		]);
		// LIKE's wildcards are searched for as themselves.
		expect(listed(await (await get('/admin/subscribers/?q=_', viewer)).text())).toEqual([
			'pending_one@wait.example',
		]);
		expect(
			listed(await (await get('/admin/subscribers/?state=pending&q=wait', viewer)).text()),
		).toEqual(['pending_one@wait.example']);
		const none = textOf(await (await get('/admin/subscribers/?state=unsubscribed', viewer)).text());
		expect(none).toContain('No subscribers match.');
	});

	it('shows the delivery log newest first with item, recipient, state, attempts and reply, a page at a time', async () => {
		const html = await (await get('/admin/subscribers/deliveries/', viewer)).text();
		const rows = [...html.matchAll(/<tr>\s*<td>([^<]+)<br/g)].map((m) => m[1]);
		expect(rows).toHaveLength(50);
		expect(rows[0]).toBe('Second update');
		const text = textOf(html);
		expect(text).toMatch(
			/Second update update:second sub9@load\.example sent sent \d{4}-\d\d-\d\d \d\d:\d\d UTC 1 250 2\.0\.0 OK sub9@load\.example/,
		);
		const older = /href="(\/admin\/subscribers\/deliveries\/\?before=\d+)">Older deliveries/.exec(
			html,
		)![1]!;
		const rest = await (await get(older, viewer)).text();
		expect([...rest.matchAll(/<tr>\s*<td>([^<]+)<br/g)]).toHaveLength(10);
		expect(rest).not.toContain('Older deliveries');
		expect(
			textOf(await (await get('/admin/subscribers/deliveries/?state=failed', viewer)).text()),
		).toContain('No deliveries failed.');
	});

	it('answers a wrong query parameter with a 400 naming it', async () => {
		const bad = await get(
			`/admin/subscribers/?state=gone&q=${'x'.repeat(300)}&after=a%00b`,
			viewer,
		);
		expect(bad.status).toBe(400);
		const text = textOf(await bad.text());
		expect(text).toContain(
			'Please fix the form Fix these 3 fields of the filters and send it again.',
		);
		expect(text).toContain(
			'state : expected one of "pending", "active", "unsubscribed", "bouncing", received "gone"',
		);
		const json = await fetch(bad.url, { headers: { cookie: viewer, accept: 'application/json' } });
		expect((await json.json()).fields).toMatchInlineSnapshot(`
			[
			  {
			    "field": "state",
			    "message": "expected one of "pending", "active", "unsubscribed", "bouncing", received "gone"",
			  },
			  {
			    "field": "q",
			    "message": "expected text of at most 254 characters, without control characters, received "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."",
			  },
			  {
			    "field": "after",
			    "message": "expected text of at most 254 characters, without control characters, received "a\\u0000b"",
			  },
			]
		`);
		const log = await fetch(`${app.url}/admin/subscribers/deliveries/?before=12abc`, {
			headers: { cookie: viewer, accept: 'application/json' },
		});
		expect(log.status).toBe(400);
		expect(await log.json()).toMatchObject({
			error: 'invalid-request',
			fields: [
				{
					field: 'before',
					message: 'expected a delivery number (a whole number), received "12abc"',
				},
			],
		});
	});
});

describe('removing a subscriber', () => {
	it("refuses a viewer's forged removal with the 403 page and an audit entry", async () => {
		const res = await post('/admin/subscribers/sub_0000000000000001/remove', viewer, '/admin/');
		expect(res.status).toBe(403);
		expect(textOf(await res.text())).toContain(
			'To remove a subscriber you need the admin role; you are signed in as viewer',
		);
		expect(await lastEntry('console.refused')).toMatchObject({
			actor: 'staff:vera.viewer@kestrelledger.example',
			subject: 'remove a subscriber',
			data: { needed: 'admin', staff: { role: 'viewer' } },
		});
		const { rows } = await app.gate.gate.db.query(
			"SELECT email FROM subscribers WHERE id = 'sub_0000000000000001'",
		);
		expect(rows).toEqual([{ email: 'sub1@load.example' }]);
	});

	it('lets an admin remove one: their data is deleted, a hash stays, and the audit entry names the admin', async () => {
		const db = app.gate.gate.db;
		const page = await (await get('/admin/subscribers/?q=sub1%40', admin)).text();
		expect(page).toContain('Remove<span class="tc-visually-hidden"> sub1@load.example</span>');
		const res = await post(
			'/admin/subscribers/sub_0000000000000001/remove',
			admin,
			'/admin/subscribers/',
		);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/admin/subscribers/?removed=sub_0000000000000001');
		const after = textOf(await (await get(res.headers.get('location')!, admin)).text());
		expect(after).toContain(
			'Subscriber sub_0000000000000001 is removed: their subscription and delivery records are deleted',
		);
		expect(after).toContain('removed (suppressed) 1');
		expect(
			(await db.query("SELECT 1 FROM subscribers WHERE email = 'sub1@load.example'")).rows,
		).toEqual([]);
		expect(
			(await db.query("SELECT 1 FROM mail_outbox WHERE subscriber_id = 'sub_0000000000000001'"))
				.rows,
		).toEqual([]);
		expect((await db.query('SELECT actor FROM subscription_suppressions')).rows).toEqual([
			{ actor: 'staff:ada.admin@kestrelledger.example' },
		]);
		const entry = await lastEntry('subscriber.removed');
		expect(entry).toMatchObject({
			actor: 'staff:ada.admin@kestrelledger.example',
			subject: 'sub_0000000000000001',
			data: {
				hadSubscription: true,
				staff: { role: 'admin', email: 'ada.admin@kestrelledger.example', method: 'oidc' },
			},
		});
		expect(JSON.stringify(entry)).not.toContain('sub1@load.example');

		const again = await post(
			'/admin/subscribers/sub_0000000000000001/remove',
			admin,
			'/admin/subscribers/',
		);
		expect(again.status).toBe(404);
		expect(textOf(await again.text())).toContain(
			'There is no subscriber sub_0000000000000001 (any more): someone may have removed it already.',
		);
	});
});
