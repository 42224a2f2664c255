// Subscriptions through the real gate and a real SMTP server: subscribe, the double opt-in, a publish
// picked up from dist/, one mail per confirmed subscriber for their topics only, one-click unsubscribe
// without cookies, temporary and permanent SMTP failures, and the 400s for bad input.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkCommand, executeCommand, parseCommand } from '../../src/gate/cli/commands.ts';
import { describeDiscovery, discover } from '../../src/gate/services/notify.ts';
import { NO_LONGER_WANTED } from '../../src/gate/services/outbox.ts';
import { gateRoot, makeGate, startTestGate } from '../helpers/gate.ts';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink.ts';
import {
	addActiveSubscribers,
	outboxDrained,
	publishUpdate,
	smallDist,
} from '../../scripts/lib/subscription-fixture.ts';
import { linkSignature, subscriberLinks } from '../../src/gate/lib/subscription-links.ts';
import {
	emailHash,
	subscriptionSecrets,
	updateSubscription,
} from '../../src/gate/services/subscribers.ts';
import { ROOT } from '../../scripts/lib/site-copy.ts';
import { EXAMPLE_DIR } from '../../src/lib/content/dir.ts';
import { FILES } from '../../src/lib/routing/urls.ts';

let smtp: SmtpSink;
let dist: string;
let gate: Awaited<ReturnType<typeof startTestGate>>;

beforeAll(async () => {
	smtp = await startSmtpSink();
	dist = smallDist(join(inject('exampleSite'), 'dist'));
	gate = await startTestGate(dist, {
		SMTP_URL: smtp.url,
		MAIL_FROM: 'Kestrel Ledger Trust <trust@kestrel.example>',
		GATE_MAIL_RETRY_SECONDS: '1',
		GATE_MAIL_BOUNCE_LIMIT: '1',
		GATE_LIMIT_REQUESTS_PER_IP: '1000',
		GATE_LIMIT_REQUESTS_PER_EMAIL: '1000',
	});
});
afterAll(async () => {
	await gate?.stop();
	await smtp?.close();
	rmSync(dist, { recursive: true, force: true });
});

/** The notices (not confirmation or "already subscribed" mails) that reached `to`: the outbox's, with a List-Id. */
const notices = (to: string) => smtp.mails.filter((m) => m.to === to && /^List-Id:/im.test(m.raw));

/**
 * A mail as a reader sees it: headers unfolded, and quoted-printable decoded in the body only (a header
 * is not quoted-printable: the List-Unsubscribe URL's "sig=3F…" must stay as it is).
 */
const decoded = (raw: string) => {
	const end = raw.indexOf('\r\n\r\n');
	const body = Buffer.concat(
		raw
			.slice(end)
			.replace(/=\r?\n/g, '')
			.split(/(=[0-9A-F]{2})/)
			.map((part) =>
				/^=[0-9A-F]{2}$/.test(part)
					? Buffer.from([parseInt(part.slice(1), 16)])
					: Buffer.from(part, 'utf8'),
			),
	).toString('utf8');
	return raw.slice(0, end).replace(/\r\n(?=[ \t])/g, '') + body;
};

async function subscribeForm(): Promise<{ token: string; cookie: string }> {
	const res = await fetch(`${gate.url}/subscribe/`);
	const html = await res.text();
	const token = /value="([^"]+)" data-gate-csrf/.exec(html)?.[1];
	const cookie = res.headers.get('set-cookie')?.split(';')[0];
	if (!token || !cookie) throw new Error('the subscribe page has no token');
	return { token, cookie };
}

function post(path: string, fields: Array<[string, string]>, headers: Record<string, string> = {}) {
	return fetch(`${gate.url}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: new URLSearchParams(fields).toString(),
		redirect: 'manual',
	});
}

/**
 * Opens a mailed link as a browser does: the first answer trades the link's secret for a cookie and
 * redirects to the bare page, which the cookie then opens. Returns both answers and the page's cookies.
 */
async function openMailed(link: string) {
	const first = await fetch(link, { redirect: 'manual' });
	expect(first.status, await first.clone().text()).toBe(303);
	const secretCookie = first.headers.get('set-cookie')!.split(';')[0]!;
	const page = await fetch(new URL(first.headers.get('location')!, gate.url), {
		headers: { cookie: secretCookie },
		redirect: 'manual',
	});
	const html = await page.text();
	expect(page.status, html).toBe(200);
	const csrfCookie = page.headers.get('set-cookie')?.split(';')[0] ?? '';
	return { first, secretCookie, page, html, csrfCookie };
}

/** Subscribes `email` to `topics` through the form, and confirms unless told not to. */
async function subscribe(email: string, topics: string[], confirm = true): Promise<void> {
	const { token, cookie } = await subscribeForm();
	const before = smtp.mails.length;
	const res = await post(
		'/subscribe/',
		[['email', email], ...topics.map((t): [string, string] => ['topics', t]), ['csrf', token]],
		{ cookie, origin: gate.url },
	);
	expect(res.status, await res.clone().text()).toBe(202);
	expect(await res.text()).toContain('Check your email');
	await smtp.waitFor(before + 1);
	if (!confirm) return;
	const link = /https?:\/\/\S+\/subscribe\/confirm\/\?token=[A-Za-z0-9_-]{43}/.exec(
		decoded(smtp.mails.filter((m) => m.to === email).at(-1)!.raw),
	)?.[0];
	expect(link).toBeDefined();
	// Opening the link changes nothing: a mail scanner following it subscribes no one.
	const { html, csrfCookie } = await openMailed(link!);
	expect(html).toContain('Confirm my subscription');
	expect(await state(email)).toBe('pending');
	const pageToken = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
	const done = await post(
		'/subscribe/confirm/',
		[
			['token', new URL(link!).searchParams.get('token')!],
			['csrf', pageToken],
		],
		{ cookie: csrfCookie, origin: gate.url },
	);
	expect(done.status).toBe(200);
	expect(await done.text()).toContain('You are subscribed');
}

/** Resolves once the gate found item `id` in the build and queued its mails. */
async function queued(id: string): Promise<void> {
	for (let i = 0; i < 300; i++) {
		const { rows } = await gate.gate.db.query('SELECT 1 FROM notify_items WHERE id = $1', [id]);
		if (rows.length > 0) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`${id} was never found in the build`);
}

const state = async (email: string) =>
	(
		await gate.gate.db.query<{ state: string }>('SELECT state FROM subscribers WHERE email = $1', [
			email,
		])
	).rows[0]?.state;

describe('the whole path', () => {
	it('mails each confirmed subscriber one notice per published item of their topics, and no one else', async () => {
		await subscribe('all@fabrikam.example', ['all']);
		await subscribe('incidents@fabrikam.example', ['incident']);
		await subscribe('certs@fabrikam.example', ['certification']);
		await subscribe('leaver@fabrikam.example', ['all']);
		await subscribe('pending@fabrikam.example', ['all'], false);
		expect(await state('pending@fabrikam.example')).toBe('pending');
		// The example's own history, recorded at start, is never mailed.
		expect(smtp.mails.filter((m) => /^List-Unsubscribe-Post:/m.test(m.raw))).toEqual([]);

		publishUpdate(dist, '2026-12-01-incident', 'incident', 'Degraded exports on 30 November');
		await smtp.waitFor(smtp.mails.length + 3);
		await outboxDrained(gate.gate.db);
		expect(notices('all@fabrikam.example')).toHaveLength(1);
		expect(notices('incidents@fabrikam.example')).toHaveLength(1);
		expect(notices('leaver@fabrikam.example')).toHaveLength(1);
		expect(notices('certs@fabrikam.example')).toHaveLength(0);
		expect(notices('pending@fabrikam.example')).toHaveLength(0);
		const mail = decoded(notices('all@fabrikam.example')[0]!.raw);
		expect(mail).toContain('Subject: Incident: Degraded exports on 30 November');
		expect(mail).toMatch(/^List-Unsubscribe: <http:\/\/[^>]+\/subscribe\/unsubscribe\/\?id=sub_/m);
		expect(mail).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
		expect(mail).toContain('Content-Type: text/plain');
		expect(mail).toContain('Content-Type: text/html');
		expect(mail).not.toMatch(/<img/i);

		// RFC 8058: the mail client POSTs to the List-Unsubscribe URL, with no cookie and no token.
		const leaver = decoded(notices('leaver@fabrikam.example')[0]!.raw);
		const oneClick = /^List-Unsubscribe: <([^>]+)>/m.exec(leaver)![1]!;
		const res = await post('/subscribe/unsubscribe/' + new URL(oneClick).search, [
			['List-Unsubscribe', 'One-Click'],
		]);
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('You are unsubscribed');
		expect(await state('leaver@fabrikam.example')).toBe('unsubscribed');

		publishUpdate(dist, '2026-12-02-soc2', 'certification', 'SOC 2 Type II report for 2026');
		await smtp.waitFor(smtp.mails.length + 2);
		await outboxDrained(gate.gate.db);
		expect(notices('all@fabrikam.example')).toHaveLength(2);
		expect(notices('certs@fabrikam.example')).toHaveLength(1);
		expect(notices('incidents@fabrikam.example')).toHaveLength(1);
		expect(notices('leaver@fabrikam.example')).toHaveLength(1);
		expect(notices('pending@fabrikam.example')).toHaveLength(0);

		// The same build looked at again queues nothing.
		expect((await discover(gate.gate, 'test')).found).toEqual([]);
		const audit = (
			await gate.gate.db.query<{ type: string }>(
				"SELECT type FROM audit_log WHERE type LIKE 'subscriber.%' ORDER BY seq",
			)
		).rows.map((r) => r.type);
		expect(audit.filter((t) => t === 'subscriber.subscribed')).toHaveLength(5);
		expect(audit.filter((t) => t === 'subscriber.confirmed')).toHaveLength(4);
		expect(audit.filter((t) => t === 'subscriber.unsubscribed')).toHaveLength(1);
		// Kept for ever, so no address, IP or browser: the subscriber's id says who.
		const { rows: left } = await gate.gate.db.query<{ data: unknown }>(
			"SELECT data FROM audit_log WHERE type = 'subscriber.unsubscribed'",
		);
		expect(left.map((r) => r.data)).toEqual([{ via: 'one-click' }]);
		// Nor does the rate-limit table name an address: its per-address counts are under a hash.
		const { rows: limits } = await gate.gate.db.query<{ key: string }>(
			"SELECT key FROM rate_limits WHERE key LIKE 'subscribe-email:%'",
		);
		// The salted hash the address is known by, so a guessed address cannot be checked against it.
		const secrets = await subscriptionSecrets(gate.gate);
		expect(limits.map((r) => r.key).sort()).toEqual(
			['all', 'incidents', 'certs', 'leaver', 'pending']
				.map((who) => `subscribe-email:${emailHash(secrets, `${who}@fabrikam.example`)}`)
				.sort(),
		);
	});
});

describe('mailed links', () => {
	const cookieOf = (name: string, value: string, path: string) =>
		`${name}=${value}; Max-Age=3600; Path=${path}; HttpOnly; SameSite=Lax`;

	it('trades a confirmation link for a cookie scoped to its page, and keeps a signed link in one', async () => {
		await subscribe('links@fabrikam.example', ['all'], false);
		const link = /https?:\/\/\S+\/subscribe\/confirm\/\?token=([A-Za-z0-9_-]{43})/.exec(
			decoded(smtp.mails.filter((m) => m.to === 'links@fabrikam.example').at(-1)!.raw),
		)!;
		const token = link[1]!;
		const confirm = await openMailed(link[0]);
		expect(confirm.first.headers.get('location')).toBe('/subscribe/confirm/');
		expect(confirm.first.headers.get('set-cookie')).toBe(
			cookieOf('tc_subscribe_confirm', token, '/subscribe/confirm/'),
		);
		expect(confirm.html).toContain(`<input type="hidden" name="token" value="${token}">`);
		expect(confirm.html).toContain('Confirm my subscription');
		for (const res of [confirm.first, confirm.page])
			expect(res.headers.get('referrer-policy')).toBe('strict-origin');
		// A scanner that follows the link and its redirect subscribes no one; without the cookie the
		// bare page says where it opens from.
		expect(await state('links@fabrikam.example')).toBe('pending');
		const bare = await fetch(`${gate.url}/subscribe/confirm/`, {
			headers: { accept: 'application/json' },
		});
		expect([bare.status, ((await bare.json()) as { error: string }).error]).toEqual([
			404,
			'subscription-confirm-unknown',
		]);

		const done = await post(
			'/subscribe/confirm/',
			[
				['token', token],
				['csrf', /name="csrf" value="([^"]+)"/.exec(confirm.html)![1]!],
			],
			{ cookie: `${confirm.csrfCookie}; ${confirm.secretCookie}`, origin: gate.url },
		);
		const confirmed = await done.text();
		expect(confirmed).toContain('You are subscribed');
		expect(done.headers.get('set-cookie')).toContain('tc_subscribe_confirm=; Max-Age=0;');

		const manageLink = /href="([^"]*\/subscribe\/manage\/\?[^"]+)"/
			.exec(confirmed)![1]!
			.replaceAll('&amp;', '&');
		const id = new URL(manageLink).searchParams.get('id')!;
		const sig = new URL(manageLink).searchParams.get('sig')!;
		// A signed link answers its page at once, and keeps the link in a cookie for the bare page.
		const manage = await fetch(manageLink, { redirect: 'manual' });
		expect(manage.status).toBe(200);
		expect(manage.headers.get('cache-control')).toBe('no-store');
		expect(manage.headers.get('referrer-policy')).toBe('strict-origin');
		const kept = cookieOf('tc_subscriber', `${id}.${sig}`, '/subscribe/manage/');
		expect(manage.headers.get('set-cookie')).toBe(kept);
		expect(await manage.text()).toContain('Save topics');
		const reloaded = await fetch(`${gate.url}/subscribe/manage/`, {
			headers: { cookie: kept.split(';')[0]! },
		});
		expect(reloaded.status).toBe(200);
		expect(await reloaded.text()).toContain('Save topics');
		const closed = await fetch(`${gate.url}/subscribe/manage/`, {
			headers: { accept: 'application/json' },
		});
		expect([closed.status, ((await closed.json()) as { error: string }).error]).toEqual([
			403,
			'subscription-page-closed',
		]);
		// A forged signature names no cookie.
		const forged = await fetch(
			manageLink.replace(sig, `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`),
			{
				redirect: 'manual',
			},
		);
		expect(forged.status).toBe(404);
		expect(forged.headers.get('set-cookie')).toBeNull();
	});

	it('opens the management and unsubscribe links in a browser without cookies, and their forms work', async () => {
		await subscribe('cookieless@fabrikam.example', ['incident']);
		const id = (
			await gate.gate.db.query<{ id: string }>(
				`SELECT id FROM subscribers WHERE email = 'cookieless@fabrikam.example'`,
			)
		).rows[0]!.id;
		const links = subscriberLinks(gate.url, (await subscriptionSecrets(gate.gate)).linkSecret, id);
		/** Opens `link` with no cookie jar and sends its form as the button `button` does. */
		const pressOn = async (
			link: string,
			button: Array<[string, string]>,
			ticked: Array<[string, string]> = [],
		) => {
			const page = await fetch(link, { redirect: 'manual' });
			const html = await page.text();
			expect(page.status, html).toBe(200);
			const hidden = [...html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map(
				(m): [string, string] => [m[1]!, m[2]!],
			);
			return post('/subscribe/manage/', [...hidden, ...ticked, ...button]);
		};

		const saved = await pressOn(
			links.manage,
			[['action', 'save']],
			[
				['topics', 'certification'],
				['topics', 'incident'],
			],
		);
		expect(saved.status).toBe(200);
		expect(await saved.text()).toContain('Your topics are saved.');
		const { rows } = await gate.gate.db.query<{ topics: string[] }>(
			'SELECT topics FROM subscribers WHERE id = $1',
			[id],
		);
		expect(rows[0]!.topics).toEqual(['certification', 'incident']);

		const left = await pressOn(links.unsubscribe, []);
		expect(left.status).toBe(200);
		expect(await left.text()).toContain('You are unsubscribed');
		expect(await state('cookieless@fabrikam.example')).toBe('unsubscribed');
	});
});

describe('SMTP failures', () => {
	it('sends a mail refused with 421 once it is accepted, and marks a 550 address as bouncing', async () => {
		await subscribe('flaky@fabrikam.example', ['all']);
		await subscribe('gone@fabrikam.example', ['all']);
		let flakyAttempts = 0;
		smtp.reply((to) => {
			if (to === 'gone@fabrikam.example') return 550;
			if (to === 'flaky@fabrikam.example' && ++flakyAttempts === 1) return 421;
			return 250;
		});
		publishUpdate(dist, '2026-12-03-policy', 'policy-change', 'Access control policy revised');
		await queued('update:/updates/2026-12-03-policy/');
		await outboxDrained(gate.gate.db);
		smtp.reply(() => 250);
		expect(flakyAttempts).toBe(2);
		expect(notices('flaky@fabrikam.example')).toHaveLength(1);
		expect(notices('gone@fabrikam.example')).toHaveLength(0);
		expect(await state('gone@fabrikam.example')).toBe('bouncing');
		const rows = (
			await gate.gate.db.query<{ email: string; state: string; attempts: number; reply: string }>(
				`SELECT s.email, o.state, o.attempts, o.reply FROM mail_outbox o JOIN subscribers s ON s.id = o.subscriber_id
				WHERE s.email IN ('flaky@fabrikam.example', 'gone@fabrikam.example') ORDER BY s.email`,
			)
		).rows;
		expect(rows.map((r) => [r.email, r.state, r.attempts])).toEqual([
			['flaky@fabrikam.example', 'sent', 2],
			['gone@fabrikam.example', 'failed', 1],
		]);
		expect(rows[1]!.reply).toMatch(/^550 /);
		// The audit log is kept for ever: the server's reply is there without the address it quoted.
		const { rows: audit } = await gate.gate.db.query<{ data: { reply: string } }>(
			"SELECT data FROM audit_log WHERE type = 'subscriber.bouncing'",
		);
		expect(audit).toHaveLength(1);
		expect(audit[0]!.data.reply).toMatch(/^550 <<address>>: No such user here$/);
		// Nor do the logs keep the address the reply quoted.
		const refusedLines = gate.logs.filter((l) => l.includes('a subscription mail was refused'));
		expect(refusedLines).toHaveLength(1);
		expect(refusedLines[0]).toContain('<<address>>: No such user here');
		expect(refusedLines[0]).not.toContain('@');
	});

	it('retries a 5xx to the recipient that is about the gate (relaying refused, 5.7.1), and counts no bounce', async () => {
		await subscribe('relay-a@fabrikam.example', ['all']);
		await subscribe('relay-b@fabrikam.example', ['all']);
		// As a relay answers a replica whose address it does not allow: every recipient, the first time.
		const refused = new Set<string>();
		smtp.reply((to) => {
			if (!to.startsWith('relay-') || refused.has(to)) return 250;
			refused.add(to);
			return `554 5.7.1 <${to}>: Relay access denied`;
		});
		publishUpdate(dist, '2026-12-04-relay', 'policy-change', 'Logging policy revised');
		await queued('update:/updates/2026-12-04-relay/');
		await outboxDrained(gate.gate.db);
		smtp.reply(() => 250);
		for (const email of ['relay-a@fabrikam.example', 'relay-b@fabrikam.example']) {
			expect(notices(email)).toHaveLength(1);
			expect(await state(email)).toBe('active');
		}
		expect(refused.size).toBe(2);
		const { rows } = await gate.gate.db.query<{ bounces: number }>(
			"SELECT bounces FROM subscribers WHERE email LIKE 'relay-%'",
		);
		expect(rows).toEqual([{ bounces: 0 }, { bounces: 0 }]);
		expect(gate.logs.join('\n')).toMatch(
			/the mail server refuses the gate, not the address; check SMTP_URL and MAIL_FROM.*554 5\.7\.1 <<address>>: Relay access denied/,
		);
	});

	it('retries a 5xx that refuses the gate itself (its MAIL FROM), and counts no bounce against the addresses', async () => {
		await subscribe('sender-a@fabrikam.example', ['all']);
		await subscribe('sender-b@fabrikam.example', ['all']);
		const bounced = async () =>
			(
				await gate.gate.db.query<{ email: string }>(
					`SELECT email FROM subscribers WHERE bounces > 0 OR state = 'bouncing' ORDER BY email`,
				)
			).rows.map((r) => r.email);
		const before = await bounced();
		// As many MAIL FROMs as the item has recipients are refused, as a server refuses a sender it does
		// not know: with one attempt at a time per recipient, every first attempt is refused.
		const recipients = (
			await gate.gate.db.query<{ n: number }>(
				`SELECT count(*)::int AS n FROM subscribers WHERE state = 'active' AND topics && ARRAY['all', 'policy-change']`,
			)
		).rows[0]!.n;
		smtp.senderReply((attempt) => (attempt <= recipients ? 553 : 250));
		publishUpdate(dist, '2026-12-05-sender', 'policy-change', 'Encryption policy revised');
		const item = 'update:/updates/2026-12-05-sender/';
		await queued(item);
		await outboxDrained(gate.gate.db);
		smtp.senderReply(() => 250);
		for (const email of ['sender-a@fabrikam.example', 'sender-b@fabrikam.example']) {
			expect(notices(email)).toHaveLength(1);
			expect(await state(email)).toBe('active');
		}
		expect(await bounced()).toEqual(before);
		const { rows } = await gate.gate.db.query<{ state: string; n: number }>(
			'SELECT state, count(*)::int AS n FROM mail_outbox WHERE item_id = $1 GROUP BY state',
			[item],
		);
		expect(rows).toEqual([{ state: 'sent', n: recipients }]);
		expect(gate.logs.join('\n')).toContain(
			'the mail server refuses the gate, not the address; check SMTP_URL and MAIL_FROM',
		);
	});

	it('never sends a mail again once its end went out, even when the connection breaks before the reply', async () => {
		await subscribe('cut@fabrikam.example', ['all']);
		smtp.cutAfterMessage('cut@fabrikam.example');
		publishUpdate(dist, '2026-12-06-cut', 'policy-change', 'Backup policy revised');
		await queued('update:/updates/2026-12-06-cut/');
		await outboxDrained(gate.gate.db);
		// Time for a wrongly queued retry (retry wait 1 s) to go out.
		await new Promise((resolve) => setTimeout(resolve, 2500));
		await outboxDrained(gate.gate.db);
		expect(notices('cut@fabrikam.example')).toHaveLength(1);
		const { rows } = await gate.gate.db.query<{ state: string; attempts: number; reply: string }>(
			`SELECT o.state, o.attempts, o.reply FROM mail_outbox o JOIN subscribers s ON s.id = o.subscriber_id
			WHERE s.email = 'cut@fabrikam.example'`,
		);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ state: 'sent', attempts: 1 });
		expect(rows[0]!.reply).toMatch(
			/^no answer after the end of the message \(.+\); counted as sent$/,
		);
	});
});

describe('subscribing an address that is subscribed already', () => {
	it('changes nothing and mails the address its links, with one-click unsubscribe that works without cookies', async () => {
		await subscribe('again@fabrikam.example', ['incident']);
		// Asked again, for other topics: the same answer as ever, and a mail.
		await subscribe('again@fabrikam.example', ['all'], false);
		const mail = decoded(smtp.mails.filter((m) => m.to === 'again@fabrikam.example').at(-1)!.raw);
		expect(mail).toMatch(/^Subject: Your subscription to Kestrel Ledger trust center updates$/m);
		expect(mail).toContain('It is already subscribed to: Incidents; nothing was changed.');
		expect(mail).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
		const oneClick = /^List-Unsubscribe: <(\S+)>$/m.exec(mail)?.[1];
		expect(oneClick).toMatch(
			/\/subscribe\/unsubscribe\/\?id=sub_[0-9a-f]{16}&sig=[A-Za-z0-9_-]{43}$/,
		);
		expect(mail).toContain(`Unsubscribe now: ${oneClick}`);
		expect(await state('again@fabrikam.example')).toBe('active');
		const left = await fetch(oneClick!, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'List-Unsubscribe=One-Click',
		});
		expect(left.status).toBe(200);
		expect(await state('again@fabrikam.example')).toBe('unsubscribed');
	});
});

describe('subscribing an address that unsubscribed', () => {
	it('mails nothing and changes nothing, answers as for any address, and leaves the links of earlier mails working', async () => {
		await subscribe('left@fabrikam.example', ['incident']);
		const row = async () =>
			(
				await gate.gate.db.query(
					`SELECT id, state, topics, created_at, unsubscribed_at, confirm_hash FROM subscribers WHERE email = 'left@fabrikam.example'`,
				)
			).rows[0] as { id: string; state: string };
		const links = subscriberLinks(
			gate.url,
			(await subscriptionSecrets(gate.gate)).linkSecret,
			(await row()).id,
		);
		const oneClick = () =>
			fetch(links.unsubscribe, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: 'List-Unsubscribe=One-Click',
			});
		expect((await oneClick()).status).toBe(200);
		const before = await row();
		expect(before.state).toBe('unsubscribed');
		const audited = async () =>
			(await gate.gate.db.query("SELECT 1 FROM audit_log WHERE type LIKE 'subscriber.%'")).rows
				.length;
		const [entries, mails] = [await audited(), smtp.mails.length];

		// Anyone can type the address into the form: the answer is the one any address gets.
		const answer = async (email: string) => {
			const { token, cookie } = await subscribeForm();
			const res = await post(
				'/subscribe/',
				[
					['email', email],
					['topics', 'all'],
					['csrf', token],
				],
				{ cookie, origin: gate.url },
			);
			return { status: res.status, page: (await res.text()).replaceAll(email, 'EMAIL') };
		};
		const left = await answer('left@fabrikam.example');
		expect(left).toEqual(await answer('newcomer@fabrikam.example'));
		expect(left.page).toContain(
			'Unsubscribed before? Then no mail comes: open the link at the end of any earlier mail from us and press Subscribe again.',
		);
		await smtp.waitFor(mails + 1);
		expect(smtp.mails.slice(mails).map((m) => m.to)).toEqual(['newcomer@fabrikam.example']);
		expect(await row()).toEqual(before);
		expect(await audited()).toBe(entries + 1);

		// The earlier mail's links still work: one-click, and "Subscribe again" on the management page.
		expect((await oneClick()).status).toBe(200);
		const again = await post('/subscribe/manage/', [
			['id', before.id],
			['sig', new URL(links.manage).searchParams.get('sig')!],
			['action', 'resubscribe'],
		]);
		expect(again.status).toBe(200);
		expect(await again.text()).toContain('You are subscribed again.');
		expect(await state('left@fabrikam.example')).toBe('active');
	});
});

describe('topics the team hid', () => {
	it('are kept for a subscriber who had them when they save their topics on the page, which no longer shows them', async () => {
		await subscribe('hidden@fabrikam.example', ['incident', 'certification']);
		const { rows } = await gate.gate.db.query<{ id: string }>(
			`SELECT id FROM subscribers WHERE email = 'hidden@fabrikam.example'`,
		);
		const id = rows[0]!.id;
		const sig = linkSignature((await subscriptionSecrets(gate.gate)).linkSecret, id);
		const settings = gate.gate.config.site.subscriptions;
		const hidden = settings.hiddenTopics;
		settings.hiddenTopics = ['incident'];
		try {
			const view = await updateSubscription(
				gate.gate,
				id,
				sig,
				{ action: 'save', topics: ['policy-change'] },
				{ ip: '203.0.113.9', userAgent: 'test' },
			);
			expect(view.topics).toEqual(['policy-change', 'incident']);
		} finally {
			settings.hiddenTopics = hidden;
		}
	});
});

describe('a confirmation link after it was used', () => {
	it('answers "already confirmed" with the management link while it is valid, and nothing once it expired', async () => {
		await subscribe('twice@fabrikam.example', ['all']);
		const token = /\/subscribe\/confirm\/\?token=([A-Za-z0-9_-]{43})/.exec(
			decoded(smtp.mails.filter((m) => m.to === 'twice@fabrikam.example').at(0)!.raw),
		)![1]!;
		const again = async () => {
			const { token: csrf, cookie } = await subscribeForm();
			return fetch(`${gate.url}/subscribe/confirm/`, {
				method: 'POST',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					accept: 'application/json',
					'x-csrf-token': csrf,
					cookie,
					origin: gate.url,
				},
				body: new URLSearchParams({ token }).toString(),
			});
		};
		const second = await again();
		expect(second.status).toBe(200);
		expect(await second.json()).toMatchObject({ status: 'already-confirmed' });
		await gate.gate.db.query(
			`UPDATE subscribers SET confirm_expires_at = now() - interval '1 hour' WHERE email = 'twice@fabrikam.example'`,
		);
		const late = await again();
		expect(late.status).toBe(410);
		expect(await late.json()).toMatchObject({
			error: 'subscription-confirm-expired',
			message: expect.stringContaining(
				'This confirmation link expired 24 hours after it was sent.',
			),
		});
		expect(await state('twice@fabrikam.example')).toBe('active');
	});
});

describe('the last look before a mail goes', () => {
	it('skips a queued mail whose address unsubscribed or dropped the topic after it was queued', async () => {
		// An unsubscribe that runs while a fan-out queues its mails may not see them: the fan-out read the
		// address as active. Here the row is put back in the queue in the same transaction as the change.
		await subscribe('race-left@fabrikam.example', ['all']);
		await subscribe('race-topic@fabrikam.example', ['policy-change']);
		publishUpdate(dist, '2026-12-07-race', 'policy-change', 'Logging policy revised');
		const item = 'update:/updates/2026-12-07-race/';
		await queued(item);
		await outboxDrained(gate.gate.db);
		expect(notices('race-left@fabrikam.example')).toHaveLength(1);
		expect(notices('race-topic@fabrikam.example')).toHaveLength(1);
		await gate.gate.db.tx(async (q) => {
			await q.query(
				`UPDATE subscribers SET state = 'unsubscribed' WHERE email = 'race-left@fabrikam.example'`,
			);
			await q.query(
				`UPDATE subscribers SET topics = ARRAY['incident'] WHERE email = 'race-topic@fabrikam.example'`,
			);
			await q.query(
				`UPDATE mail_outbox o SET state = 'queued', due_at = now(), claim_token = NULL, reply = NULL
				FROM subscribers s WHERE s.id = o.subscriber_id AND o.item_id = $1
					AND s.email IN ('race-left@fabrikam.example', 'race-topic@fabrikam.example')`,
				[item],
			);
		});
		await outboxDrained(gate.gate.db);
		expect(notices('race-left@fabrikam.example')).toHaveLength(1);
		expect(notices('race-topic@fabrikam.example')).toHaveLength(1);
		const { rows } = await gate.gate.db.query<{ state: string; reply: string }>(
			`SELECT o.state, o.reply FROM mail_outbox o JOIN subscribers s ON s.id = o.subscriber_id
			WHERE o.item_id = $1 AND s.email IN ('race-left@fabrikam.example', 'race-topic@fabrikam.example')`,
			[item],
		);
		expect(rows).toEqual([
			{ state: 'skipped', reply: NO_LONGER_WANTED },
			{ state: 'skipped', reply: NO_LONGER_WANTED },
		]);
	});
});

describe('bad input', () => {
	const attempt = async (fields: Array<[string, string]>) => {
		const { token, cookie } = await subscribeForm();
		const res = await fetch(`${gate.url}/subscribe/`, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json',
				'x-csrf-token': token,
				cookie,
				origin: gate.url,
			},
			body: new URLSearchParams(fields).toString(),
		});
		return { status: res.status, body: (await res.json()) as { fields?: unknown } };
	};

	it('counts "+tag" addresses against the mailbox they reach', async () => {
		expect(
			(
				await attempt([
					['email', 'tally+1@fabrikam.example'],
					['topics', 'all'],
				])
			).status,
		).toBe(202);
		expect(
			(
				await attempt([
					['email', 'Tally+2@fabrikam.example'],
					['topics', 'all'],
				])
			).status,
		).toBe(202);
		const { rows } = await gate.gate.db.query<{ n: number }>(
			'SELECT sum(count)::int AS n FROM rate_limits WHERE key = $1',
			[
				`subscribe-email:${emailHash(await subscriptionSecrets(gate.gate), 'tally@fabrikam.example')}`,
			],
		);
		expect(rows).toEqual([{ n: 2 }]);
	});

	it('shows a post without its token the form again, filled in with exactly what was sent', async () => {
		// A cross-site form can post anything: "$`" and "$'" are what String.replace expands.
		const sent = '$`$\'$& " autofocus x="';
		const res = await post('/subscribe/', [
			['email', sent],
			['topics', 'incident'],
		]);
		const page = await res.text();
		expect(res.status).toBe(200);
		expect(page.split('One more step').length - 1).toBe(1);
		expect(page.split('<html').length - 1).toBe(1);
		expect(page).toContain(
			'id="tc-subscribe-email" value="$`$&#39;$&amp; &quot; autofocus x=&quot;"',
		);
		expect(page).toMatch(/id="tc-topic-incident" checked/);
	});

	it('answers 400 naming the field, for each kind of bad address and topic', async () => {
		const cases: Record<string, Array<[string, string]>> = {
			malformed: [
				['email', 'not-an-address'],
				['topics', 'all'],
			],
			headerInjection: [
				['email', 'ada@fabrikam.example\r\nBcc: everyone@fabrikam.example'],
				['topics', 'all'],
			],
			longTopic: [
				['email', 'ada@fabrikam.example'],
				['topics', 'x'.repeat(10_000)],
			],
			unknownTopic: [
				['email', 'ada@fabrikam.example'],
				['topics', 'gossip'],
			],
			noTopic: [['email', 'ada@fabrikam.example']],
		};
		const answers: Record<string, unknown> = {};
		for (const [name, fields] of Object.entries(cases)) {
			const { status, body } = await attempt(fields);
			answers[name] = { status, fields: body.fields };
		}
		expect(answers).toMatchInlineSnapshot(`
			{
			  "headerInjection": {
			    "fields": [
			      {
			        "field": "email",
			        "message": "contains invisible or control characters; retype it without them",
			      },
			    ],
			    "status": 400,
			  },
			  "longTopic": {
			    "fields": [
			      {
			        "field": "topics",
			        "message": "includes an unknown topic; choose from all, subprocessor-change, incident, certification, policy-change",
			      },
			    ],
			    "status": 400,
			  },
			  "malformed": {
			    "fields": [
			      {
			        "field": "email",
			        "message": "is not an email address like ada@fabrikam.com",
			      },
			    ],
			    "status": 400,
			  },
			  "noTopic": {
			    "fields": [
			      {
			        "field": "topics",
			        "message": "choose at least one topic",
			      },
			    ],
			    "status": 400,
			  },
			  "unknownTopic": {
			    "fields": [
			      {
			        "field": "topics",
			        "message": "includes an unknown topic; choose from all, subprocessor-change, incident, certification, policy-change",
			      },
			    ],
			    "status": 400,
			  },
			}
		`);
		expect(await state('ada@fabrikam.example')).toBeUndefined();
	});

	// What another site's form could post to put its words on our pages.
	const notice = 'Security notice: your access was suspended, sign in at https://evil.example';
	const planted: Array<[string, string]> = [
		[notice, 'x'],
		['action', 'Call +1 555 0100 now'],
		['topics', 'Call +1 555 0100 now'],
	];
	/** The list of fields at fault on a refusal page, one entry per field. */
	const faults = (html: string) =>
		/<ul class="tc-gate-errors">(.*?)<\/ul>/.exec(html)?.[1]!.split('</li>').filter(Boolean);

	it('checks the signed link of a management post before anything else, and refuses any post without it the same way', async () => {
		for (const link of [
			[],
			[
				['id', 'sub_0000000000000000'],
				['sig', 'A'.repeat(43)],
			],
			[
				['id', 'Call +1 555 0100 now'],
				['sig', notice],
			],
		] as Array<Array<[string, string]>>) {
			const res = await post('/subscribe/manage/', [...link, ...planted]);
			const html = await res.text();
			expect(res.status).toBe(404);
			expect(html).toContain('<title>Unknown link | Kestrel Ledger</title>');
			expect(html).toContain(
				'This link is not one we sent, was copied incompletely, or belongs to an address that was removed from our list.',
			);
			for (const sent of ['evil.example', '+1 555 0100']) expect(html).not.toContain(sent);
		}
	});

	it('names no field or value a post sent on the refusal pages of the management and subscribe forms', async () => {
		await subscribe('planter@fabrikam.example', ['all']);
		const id = (
			await gate.gate.db.query<{ id: string }>(
				`SELECT id FROM subscribers WHERE email = 'planter@fabrikam.example'`,
			)
		).rows[0]!.id;
		// A signed link of their own gets an attacker past the signature check, and no further.
		const sig = linkSignature((await subscriptionSecrets(gate.gate)).linkSecret, id);
		const manage = await post('/subscribe/manage/', [['id', id], ['sig', sig], ...planted]);
		const managed = await manage.text();
		expect(manage.status).toBe(400);
		expect(faults(managed)).toEqual([
			'<li><strong>Action</strong>: expected one of save, unsubscribe, resubscribe',
			'<li><strong>Topics</strong>: includes an unknown topic; choose from all, subprocessor-change, incident, certification, policy-change',
			'<li><strong>Unknown field</strong>: is not a field of this form; remove it',
		]);
		const { token, cookie } = await subscribeForm();
		const subscribing = await post(
			'/subscribe/',
			[['email', 'planter@fabrikam.example'], ['csrf', token], ...planted],
			{ cookie, origin: gate.url },
		);
		const subscribed = await subscribing.text();
		expect(subscribing.status).toBe(400);
		expect(faults(subscribed)).toEqual([
			'<li><strong>Topics</strong>: includes an unknown topic; choose from all, subprocessor-change, incident, certification, policy-change',
			'<li><strong>Unknown field</strong>: is not a field of this form; remove it',
			'<li><strong>Action</strong>: is not a field of this form; remove it',
		]);
		for (const html of [managed, subscribed])
			for (const sent of ['evil.example', 'Security notice', '+1 555 0100'])
				expect(html).not.toContain(sent);
	});

	it('refuses a one-click unsubscribe whose signature is wrong, without touching anyone', async () => {
		const res = await post(
			'/subscribe/unsubscribe/?id=sub_0000000000000000&sig=' + 'A'.repeat(43),
			[['List-Unsubscribe', 'One-Click']],
		);
		expect(res.status).toBe(404);
		expect(await res.text()).toContain('This link is not one we sent');
	});
});

describe("the security team's commands", () => {
	const run = async (...argv: string[]) => {
		const parsed = parseCommand(argv, () => Buffer.alloc(0));
		if (!parsed.ok) return { code: 2, stdout: '', stderr: parsed.error };
		return executeCommand(gate.gate, parsed.command, 'cli:test');
	};

	it('refuses bad arguments with the same message on both sides of the admin socket', async () => {
		expect([
			(await run('subscribers', 'remove', 'ada@fabrikam.example\nbcc')).stderr,
			(await run('subscribers', 'list', '--state', 'gone')).stderr,
			(await run('notify', 'now')).stderr,
			// A command sent straight to the socket, past the parser, meets the same schema.
			checkCommand({ name: 'subscribers-remove', email: 'not an address' }),
			checkCommand({ name: 'notify', dryRun: 'yes' }),
		]).toMatchInlineSnapshot(`
			[
			  "subscribers remove: expected one email address like ada@fabrikam.com, received "ada@fabrikam.example\\nbcc". Example: npm run gate -- subscribers remove ada@fabrikam.com",
			  "subscribers list: --state expects one of pending, active, unsubscribed, bouncing, received "gone".",
			  "notify: takes no arguments besides --dry-run, received "now".",
			  {
			    "error": "subscribers remove: expected one email address like ada@fabrikam.com, received "not an address". Example: npm run gate -- subscribers remove ada@fabrikam.com",
			    "ok": false,
			  },
			  {
			    "error": "notify: dryRun expects true or false.",
			    "ok": false,
			  },
			]
		`);
	});

	it('lists and exports subscribers, removes one for good, and says what notify would queue', async () => {
		await subscribe('removed@fabrikam.example', ['incident']);
		const list = await run('subscribers', 'list', '--state', 'active');
		expect(list.stdout).toContain('removed@fabrikam.example  active  incident');
		expect(list.stdout).toMatch(/Active by topic: all \d+, subprocessor-change 0, incident \d+/);
		const csv = (await run('subscribers', 'export')).stdout.split('\r\n');
		// With the byte-order mark that tells a spreadsheet the file is UTF-8.
		expect(csv[0]).toBe(
			'\uFEFFemail,state,topics,createdAt,confirmedAt,unsubscribedAt,bounces,lastBounce',
		);
		expect(csv.some((l) => l.startsWith('removed@fabrikam.example,active,incident,'))).toBe(true);

		expect((await run('subscribers', 'remove', 'removed@fabrikam.example')).stdout).toBe(
			'Removed removed@fabrikam.example: its subscription and delivery records are deleted. A salted hash of its mailbox is kept so it (or a +tag of it) is never mailed or added back by the form.\n',
		);
		expect(await state('removed@fabrikam.example')).toBeUndefined();
		// The form takes it as ever, and nothing is stored or sent.
		const { token, cookie } = await subscribeForm();
		const before = smtp.mails.length;
		const res = await post(
			'/subscribe/',
			[
				['email', 'removed@fabrikam.example'],
				['topics', 'all'],
				['csrf', token],
			],
			{ cookie, origin: gate.url },
		);
		expect(res.status).toBe(202);
		expect(await state('removed@fabrikam.example')).toBeUndefined();
		// Nor a "+tag" of it, which reaches the same inbox.
		const tagged = await subscribeForm();
		const again = await post(
			'/subscribe/',
			[
				['email', 'Removed+again@fabrikam.example'],
				['topics', 'all'],
				['csrf', tagged.token],
			],
			{ cookie: tagged.cookie, origin: gate.url },
		);
		expect(again.status).toBe(202);
		expect(await state('removed+again@fabrikam.example')).toBeUndefined();
		expect(smtp.mails.length).toBe(before);
		const removedAudit = (
			await gate.gate.db.query<{ actor: string; data: { emailHash: string } }>(
				"SELECT actor, data FROM audit_log WHERE type = 'subscriber.removed'",
			)
		).rows;
		expect(removedAudit).toHaveLength(1);
		expect(removedAudit[0]!.actor).toBe('cli:test');
		expect(JSON.stringify(removedAudit)).not.toContain('removed@fabrikam.example');

		publishUpdate(dist, '2026-12-06-dry', 'incident', 'Dry run item');
		const dry = await run('notify', '--dry-run');
		expect(dry.stdout).toMatch(
			/^1 new item\(s\) \(dry run: nothing queued\):\n {2}update:\/updates\/2026-12-06-dry\/ {2}Dry run item: \d+ mail\(s\) would be\n$/,
		);
	});
});

describe('subscriptions turned off', () => {
	it('refuses new subscriptions, and still lets an address already subscribed manage its mails or leave', async () => {
		const site = readFileSync(join(ROOT, EXAMPLE_DIR, 'site.yaml'), 'utf8');
		const off = await startTestGate(
			dist,
			{},
			{
				content: { 'site.yaml': `${site}\nsubscriptions:\n  enabled: false\n` },
			},
		);
		try {
			const form = await fetch(`${off.url}/subscribe/`);
			expect(form.status).toBe(404);
			expect(await form.text()).toContain('This trust center does not send updates by email.');
			expect((await fetch(`${off.url}/subscribe/confirm/?token=${'a'.repeat(43)}`)).status).toBe(
				404,
			);
			await addActiveSubscribers(off.gate.db, 1);
			const links = subscriberLinks(
				off.url,
				(await subscriptionSecrets(off.gate)).linkSecret,
				'sub_0000000000000001',
			);
			const manage = await fetch(links.manage, { redirect: 'manual' });
			expect(manage.status).toBe(200);
			const oneClick = await fetch(links.unsubscribe, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: 'List-Unsubscribe=One-Click',
			});
			expect(oneClick.status, await oneClick.clone().text()).toBe(200);
			const { rows } = await off.gate.db.query<{ state: string }>(
				`SELECT state FROM subscribers WHERE id = 'sub_0000000000000001'`,
			);
			expect(rows[0]?.state).toBe('unsubscribed');
		} finally {
			await off.stop();
		}
	});
});

/**
 * Runs `test` on a gate of its own serving the example's build, with two subscribers, and a way to
 * rewrite the build's subprocessor list (`write`) from its entries as built (`list`).
 */
async function withSubprocessorList(
	test: (
		own: Awaited<ReturnType<typeof makeGate>>,
		list: Array<Record<string, unknown>>,
		write: (subprocessors: Array<Record<string, unknown>>) => void,
	) => Promise<void>,
): Promise<void> {
	const root = await gateRoot();
	const own = await makeGate(root, { dataDir: join(root, 'data') });
	try {
		cpSync(smallDist(join(inject('exampleSite'), 'dist')), own.dist, { recursive: true });
		await addActiveSubscribers(own.db, 2);
		const listPath = join(own.dist, FILES.subprocessorsJson);
		const built = JSON.parse(readFileSync(listPath, 'utf8')) as {
			subprocessors: Array<Record<string, unknown>>;
		};
		await test(own, built.subprocessors, (subprocessors) =>
			writeFileSync(listPath, JSON.stringify({ ...built, subprocessors })),
		);
	} finally {
		await own.dispose();
		rmSync(root, { recursive: true, force: true });
	}
}

describe('a subprocessor deleted from the content instead of marked removed', () => {
	it('is reported once by the look that finds it, kept in the audit log, and its removal is mailed when published', async () => {
		await withSubprocessorList(async (own, subprocessors, write) => {
			expect((await discover(own, 'test')).firstRun).toBe(true);

			// Pagerhawk's file deleted: gone from the list, and nobody told.
			const pagerhawk = subprocessors.find((s) => s['id'] === 'pagerhawk')!;
			const others = subprocessors.filter((s) => s !== pagerhawk);
			write(others);
			const gone = {
				id: 'pagerhawk',
				name: 'Pagerhawk Alerting Inc.',
				itemId: 'subprocessor:pagerhawk:added:2022-04-25',
			};
			// A dry run says so and records nothing; the next look says it and records it; later looks are quiet.
			expect((await discover(own, 'test', { dryRun: true })).vanished).toEqual([gone]);
			const report = await discover(own, 'test');
			expect(report.found).toEqual([]);
			expect(report.vanished).toEqual([gone]);
			expect(describeDiscovery(report)).toBe(
				"Nothing new to mail in the build.\n1 subprocessor(s) left the public list without a removal, so no subscriber was told (said once; the audit log keeps it):\n  pagerhawk  Pagerhawk Alerting Inc.\nIf one was removed, put its file back in the content folder's subprocessors/ with state: removed and its removed: date, and rebuild: subscribers to subprocessor changes are mailed the removal. If only its file or public descriptor was renamed, nothing needs doing.",
			);
			expect((await discover(own, 'test')).vanished).toEqual([]);
			const { rows } = await own.db.query<{ subject: string; data: unknown }>(
				"SELECT subject, data FROM audit_log WHERE type = 'subscriptions.subprocessor-gone'",
			);
			expect(rows).toEqual([
				{ subject: gone.itemId, data: { id: 'pagerhawk', name: 'Pagerhawk Alerting Inc.' } },
			]);

			// Put back as removed: the removal is mailed.
			write([...others, { ...pagerhawk, state: 'removed', removed: '2026-12-01' }]);
			const published = await discover(own, 'test');
			expect(published.vanished).toEqual([]);
			expect(published.found).toEqual([
				{
					id: 'subprocessor:pagerhawk:removed:2026-12-01',
					topic: 'subprocessor-change',
					title: 'Pagerhawk Alerting Inc.',
					recipients: 2,
				},
			]);
			// Added again after its removal, then deleted again: that is news again.
			write([...others, { ...pagerhawk, effective: '2026-12-20' }]);
			await discover(own, 'test');
			write(others);
			expect((await discover(own, 'test')).vanished).toEqual([
				{ ...gone, itemId: 'subprocessor:pagerhawk:added:2026-12-20' },
			]);
		});
	});
});

describe('a notice that announces the subprocessor changes published with it', () => {
	it('carries them in its one mail to each subscriber; a change published later is mailed on its own', async () => {
		await withSubprocessorList(async (own, subprocessors, write) => {
			expect((await discover(own, 'test')).firstRun).toBe(true);
			const pagerhawk = subprocessors.find((s) => s['id'] === 'pagerhawk')!;
			const others = subprocessors.filter((s) => s !== pagerhawk);
			const coldvault = {
				...pagerhawk,
				id: 'coldvault',
				name: 'Coldvault Archive AB',
				state: 'planned',
				noticeDate: '2026-12-01',
				effective: '2027-01-15',
			};
			write([...others, coldvault, { ...pagerhawk, state: 'removed', removed: '2027-01-31' }]);
			publishUpdate(own.dist, '2026-12-01-archive', 'subprocessor-change', 'Notice: new archive', [
				'coldvault',
				'pagerhawk',
			]);
			const noticeId = 'update:/updates/2026-12-01-archive/';
			const report = await discover(own, 'test');
			expect(report.found).toEqual([
				{ id: noticeId, topic: 'subprocessor-change', title: 'Notice: new archive', recipients: 2 },
				{
					id: 'subprocessor:coldvault:added:2027-01-15',
					topic: 'subprocessor-change',
					title: 'Coldvault Archive AB',
					recipients: 0,
					mailedWith: noticeId,
				},
				{
					id: 'subprocessor:pagerhawk:removed:2027-01-31',
					topic: 'subprocessor-change',
					title: 'Pagerhawk Alerting Inc.',
					recipients: 0,
					mailedWith: noticeId,
				},
			]);
			expect(describeDiscovery(report)).toBe(
				`3 new item(s):\n  ${noticeId}  Notice: new archive: 2 mail(s) queued\n  subprocessor:coldvault:added:2027-01-15  Coldvault Archive AB: in the mail of ${noticeId}\n  subprocessor:pagerhawk:removed:2027-01-31  Pagerhawk Alerting Inc.: in the mail of ${noticeId}`,
			);
			const queued = await own.db.query<{ item_id: string; n: number }>(
				'SELECT item_id, count(*)::int AS n FROM mail_outbox GROUP BY item_id',
			);
			expect(queued.rows).toEqual([{ item_id: noticeId, n: 2 }]);
			const payload = await own.db.query<{ names: string[] }>(
				"SELECT array(SELECT s->>'name' FROM jsonb_array_elements(payload->'subprocessors') s) AS names FROM notify_items WHERE id = $1",
				[noticeId],
			);
			expect(payload.rows[0]!.names).toEqual(['Coldvault Archive AB', 'Pagerhawk Alerting Inc.']);

			// The same build again queues nothing; a change the notice names, published in a later build, is news of its own.
			expect((await discover(own, 'test')).found).toEqual([]);
			write([
				...others,
				{ ...coldvault, effective: '2027-02-01' },
				{ ...pagerhawk, state: 'removed', removed: '2027-01-31' },
			]);
			expect((await discover(own, 'test')).found).toEqual([
				{
					id: 'subprocessor:coldvault:added:2027-02-01',
					topic: 'subprocessor-change',
					title: 'Coldvault Archive AB',
					recipients: 2,
				},
			]);
		});
	});
});

describe('subprocessors named only under NDA, recorded under their earlier public id', () => {
	it('are not announced again, nor reported gone, when their id drops the hash of the real id', async () => {
		await withSubprocessorList(async (own, subprocessors, write) => {
			const hidden = subprocessors.filter((s) => s['named'] === false);
			expect(hidden.length).toBeGreaterThan(1);
			// As earlier builds published them: the descriptor, then six hex digits of a hash of the real id.
			write(
				subprocessors.map((s) =>
					s['named'] === false ? { ...s, id: `${String(s['id'])}-68ba9b` } : s,
				),
			);
			expect((await discover(own, 'test')).firstRun).toBe(true);

			write(subprocessors);
			expect(await discover(own, 'test')).toMatchObject({ found: [], vanished: [] });
			expect(await discover(own, 'test')).toMatchObject({ found: [], vanished: [] });

			// Marked removed, its removal announced, then its file deleted: nothing is gone unannounced,
			// under either id. One deleted while active is reported once, under its id now.
			const [removed, deleted] = [hidden[1]!, hidden[2] ?? hidden[1]!];
			const others = subprocessors.filter((s) => s !== removed && s !== deleted);
			write([...others, deleted, { ...removed, state: 'removed', removed: '2026-12-01' }]);
			expect((await discover(own, 'test')).found.map((f) => f.id)).toEqual([
				`subprocessor:${String(removed['id'])}:removed:2026-12-01`,
			]);
			write(others);
			expect((await discover(own, 'test')).vanished.map((v) => v.id)).toEqual(
				deleted === removed ? [] : [deleted['id']],
			);
			write(subprocessors);

			// A new one under the same descriptor on another date is news, and is mailed.
			const later = { ...hidden[0]!, effective: '2026-12-20', noticeDate: '2026-11-20' };
			write([...subprocessors.filter((s) => s !== hidden[0]), later]);
			expect((await discover(own, 'test')).found).toEqual([
				{
					id: `subprocessor:${String(hidden[0]!['id'])}:added:2026-12-20`,
					topic: 'subprocessor-change',
					title: hidden[0]!['name'],
					recipients: 2,
				},
			]);
		});
	});
});
