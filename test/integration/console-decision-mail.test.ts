// A decision whose mail the mail server refuses, with a real SMTP server: the console and the CLI tell
// the staff member that the decision stands, that the mail to the requester failed and what the mailer
// said, and how to go on; "Send the link again" (console) and `resend` (CLI) give a grant a fresh key
// and mail it, so the lost link stops working and the new one opens the grant. Revoked and expired
// grants refuse it, and a viewer's attempt is a 403 page and an audit entry. A staff invitation whose
// mail fails stands too, and the admin gets its link to pass on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffCookie } from '../../scripts/lib/console-session.ts';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink.ts';
import { executeCommand, parseCommand, readArgumentFile } from '../../src/gate/cli/commands.ts';
import { decodeQuotedPrintable } from '../../src/gate/mail/mailer.ts';
import { revoke } from '../../src/gate/services/grants.ts';
import { approve, confirmEmail, createRequest } from '../../src/gate/services/requests.ts';
import {
	consoleGet,
	formTokenOf,
	pageText,
	startConsole,
	type TestConsole,
} from '../helpers/console.ts';
import { lastLink, requestFor } from '../helpers/gate.ts';

let sink: SmtpSink;
let app: TestConsole;
/** Session cookies of an approver and a viewer. */
let approver: string;
let viewer: string;
const meta = { ip: '203.0.113.7', userAgent: 'test' };
const REFUSAL = '451 4.3.2 System not accepting network messages';
const MAILER_SAID =
	"The mailer said: “Can't send mail - all recipients were rejected: 451 4.3.2 System not accepting network messages”.";

beforeAll(async () => {
	sink = await startSmtpSink();
	app = await startConsole({ env: { SMTP_URL: sink.url } });
	approver = await staffCookie(app.gate.gate, 'aino.approver@kestrelledger.example');
	viewer = await staffCookie(app.gate.gate, 'vera.viewer@kestrelledger.example');
});
afterAll(async () => {
	await app?.stop();
	await sink?.close();
});

/** From now on the mail server refuses every mail to `to` with {@link REFUSAL}, or (no `to`) takes every mail. */
function refuseMailTo(to?: string): void {
	sink.reply((rcpt) => (rcpt === to ? REFUSAL : 250));
}

/** The mails the server took for `to`, in order, decoded. */
const mailsTo = (to: string) =>
	sink.mails.filter((m) => m.to === to).map((m) => decodeQuotedPrintable(m.raw));

/** A confirmed request from a free-mail address, which the rules send to review. */
async function waitingRequest(email: string): Promise<string> {
	const gate = app.gate.gate;
	const { id } = await createRequest(gate, requestFor(gate, email), meta);
	const confirm = new URL(lastLink(mailsTo(email), '/access/confirm/'));
	await confirmEmail(gate, confirm.searchParams.get('token')!, meta);
	return id;
}

/** Posts `fields` to `path` as the console's form on `formPage` does, signed in with `cookie`. */
async function submit(
	path: string,
	fields: Record<string, string>,
	cookie = approver,
	formPage = '/admin/grants/',
): Promise<{ status: number; location: string | null; html: string; text: string }> {
	const token = await formTokenOf(app.url, formPage, cookie);
	const res = await fetch(`${app.url}${path}`, {
		method: 'POST',
		headers: {
			cookie: `${cookie}; ${token.cookie}`,
			origin: app.url,
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
		},
		body: new URLSearchParams({ ...fields, csrf: token.csrf }),
		redirect: 'manual',
	});
	const html = await res.text();
	return { status: res.status, location: res.headers.get('location'), html, text: main(html) };
}

/** The text of a page's main element, as a reader sees it. */
const main = (html: string) =>
	pageText(/<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '').trim();

/** The status of the grant page a mailed link leads to: 200 when the link opens the grant. */
async function opens(link: string): Promise<number> {
	const first = await fetch(link, { redirect: 'manual' });
	if (first.status !== 302 && first.status !== 303) return first.status;
	const cookie = first.headers.getSetCookie()[0]!.split(';')[0]!;
	const page = await fetch(new URL(first.headers.get('location')!, link), { headers: { cookie } });
	expect(pageText(await page.text())).toContain('Your documents');
	return page.status;
}

/** Runs `npm run gate -- <args>` against the test gate as cli:alice. */
async function cli(...args: string[]) {
	const parsed = parseCommand(args, readArgumentFile);
	if (!parsed.ok) throw new Error(parsed.error);
	return executeCommand(app.gate.gate, parsed.command, 'cli:alice');
}

/** The audit entries written after the first `before`. */
const entriesSince = async (before: number) => (await app.audit()).slice(before);

const expiry = async (grant: string) =>
	(
		await app.gate.gate.db.query<{ expires_at: Date }>(
			'SELECT expires_at FROM grants WHERE id = $1',
			[grant],
		)
	).rows[0]!.expires_at.toISOString()
		.slice(0, 16)
		.replace('T', ' ');

describe('an approval whose mail fails', () => {
	const requester = 'pat.quinn@gmail.com';
	let grant: string;
	/** The link of the grant's first successful mail. */
	let firstLink: string;

	it('tells the approver in the console that it stands, what the mailer said, and offers a new link', async () => {
		const id = await waitingRequest(requester);
		refuseMailTo(requester);
		const before = (await app.audit()).length;
		const answer = await submit(
			`/admin/requests/${id}/approve`,
			{ days: '30', documents: 'whitepaper' },
			approver,
			'/admin/requests/',
		);
		const entries = await entriesSince(before);
		expect(entries.map((e) => e.type)).toEqual([
			'request.approved',
			'grant.created',
			'email.failed',
		]);
		grant = entries[1]!.subject;
		expect(answer.status).toBe(200);
		expect(answer.text).toBe(
			`Approved; the e-mail was not sent Request ${id} is approved and recorded: Kestrel Ledger Security Whitepaper (NDA edition) for 30 days, until ${await expiry(grant)} UTC, as grant ${grant}. The e-mail to ${requester} with their download link was not sent. ${MAILER_SAID} The link is only in that e-mail, so ${requester} cannot open the grant yet. Do not approve again: the approval stands. Once the mail server takes mail again (check SMTP_URL and MAIL_FROM), send them a new link: Send the link again for grant ${grant} Back to the review queue`,
		);
		expect(answer.html).toContain(`action="/admin/grants/${grant}/resend"`);
		expect(entries[2]).toMatchObject({ data: { to: requester, kind: 'grant' } });
	});

	it('sends the link again from the console once the mail server takes mail, with a fresh key', async () => {
		// Still refused: the grant gets a new key all the same, and the page says the mail failed again.
		let before = (await app.audit()).length;
		const failed = await submit(`/admin/grants/${grant}/resend`, {});
		expect(failed.status).toBe(200);
		expect(failed.text).toBe(
			`New link made; the e-mail was not sent Grant ${grant} has a new link, and the link sent before no longer works. The e-mail to ${requester} with the new link was not sent. ${MAILER_SAID} Once the mail server takes mail again (check SMTP_URL and MAIL_FROM), send it again: Send the link again for grant ${grant} Back to the grants`,
		);
		expect((await entriesSince(before)).map((e) => e.type)).toEqual([
			'grant.resent',
			'email.failed',
		]);

		refuseMailTo();
		before = (await app.audit()).length;
		const sent = await submit(`/admin/grants/${grant}/resend`, {});
		expect([sent.status, sent.location]).toEqual([
			303,
			`/admin/grants/?state=active&resent=${grant}`,
		]);
		const entries = await entriesSince(before);
		expect(entries.map((e) => e.type)).toEqual(['grant.resent', 'email.sent']);
		expect(entries[0]).toMatchObject({
			actor: 'staff:aino.approver@kestrelledger.example',
			subject: grant,
			data: { email: requester, staff: { role: 'approver' } },
		});
		const notice = main(await (await consoleGet(app.url, sent.location!, approver)).text());
		expect(notice).toContain(
			`Grant ${grant} has a new link, and the link sent before no longer works. The requester was e-mailed the new link.`,
		);
		const mails = mailsTo(requester);
		firstLink = lastLink([mails.at(-1)!], '/access/grant/');
		expect(mails.at(-1)).toContain('You have access to: Kestrel Ledger Security Whitepaper');
		expect(await opens(firstLink)).toBe(200);
	});

	it('sends the link again from the CLI: the link before stops working, the new one opens the grant', async () => {
		const before = (await app.audit()).length;
		const result = await cli('resend', grant);
		expect(result).toEqual({
			code: 0,
			stdout: `Grant ${grant} has a new link, and the link sent before no longer works. It was e-mailed to ${requester}.\n`,
			stderr: '',
		});
		expect(await entriesSince(before)).toMatchObject([
			{ type: 'grant.resent', actor: 'cli:alice', subject: grant },
			{ type: 'email.sent', data: { to: requester, kind: 'grant' } },
		]);
		const newLink = lastLink([mailsTo(requester).at(-1)!], '/access/grant/');
		expect(newLink).not.toBe(firstLink);
		expect(await opens(firstLink)).toBe(404);
		expect(await opens(newLink)).toBe(200);
	});

	it('tells the CLI’s operator that it stands, what the mailer said, and the command that sends a new link', async () => {
		const email = 'lee.park@outlook.com';
		const id = await waitingRequest(email);
		refuseMailTo(email);
		const result = await cli('approve', id, '--days', '10');
		const made = (await app.audit()).findLast((e) => e.type === 'grant.created')!.subject;
		expect(result).toEqual({
			code: 1,
			stdout: `Approved ${id}: grant ${made} for whitepaper, 10 days.\n`,
			stderr: `The e-mail to ${email} with the download link was not sent. ${MAILER_SAID} The approval stands: do not approve again. Once the mail server takes mail (check SMTP_URL and MAIL_FROM), send a new link with: npm run gate -- resend ${made}\n`,
		});
		refuseMailTo();
	});
});

describe('a denial whose mail fails', () => {
	it('tells the approver in the console that it stands and that the requester has not been told', async () => {
		const email = 'kim.lund@yahoo.com';
		const id = await waitingRequest(email);
		refuseMailTo(email);
		const before = (await app.audit()).length;
		const answer = await submit(
			`/admin/requests/${id}/deny`,
			{ reason: 'We only share with customers under contract.' },
			approver,
			'/admin/requests/',
		);
		expect(answer.status).toBe(200);
		expect(answer.text).toBe(
			`Denied; the e-mail was not sent Request ${id} is denied and recorded. The e-mail to ${email} with the reason was not sent. ${MAILER_SAID} Do not deny again: the denial stands. They have not been told yet: write to them yourself at ${email}. Back to the review queue`,
		);
		expect((await entriesSince(before)).map((e) => e.type)).toEqual([
			'request.denied',
			'email.failed',
		]);
		refuseMailTo();
	});

	it('tells the CLI’s operator the same', async () => {
		const email = 'jo.berg@gmail.com';
		const id = await waitingRequest(email);
		refuseMailTo(email);
		expect(await cli('deny', id, '--reason', 'Not under contract.')).toEqual({
			code: 1,
			stdout: `Denied ${id}.\n`,
			stderr: `The e-mail to ${email} with the reason was not sent. ${MAILER_SAID} The denial stands: do not deny again. They have not been told yet: write to them yourself at ${email}.\n`,
		});
		refuseMailTo();
	});
});

describe('an invitation whose mail fails', () => {
	const person = 'aino.approver@kestrelledger.example';

	it('stands, and the admin gets its link to pass on, in the console and in the CLI', async () => {
		const admin = await staffCookie(app.gate.gate, 'ada.admin@kestrelledger.example');
		refuseMailTo(person);
		const before = (await app.audit()).length;
		const answer = await submit('/admin/staff/invite', { email: person }, admin, '/admin/staff/');
		expect(answer.status).toBe(200);
		expect(answer.text).toMatch(
			new RegExp(
				`^Staff and passkeys Invitation made for ${person.replace(/\./g, '\\.')} as approver, valid until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\. The e-mail to ${person.replace(/\./g, '\\.')} with the enrolment link was not sent\\. `,
			),
		);
		expect(answer.text).toContain(`${MAILER_SAID} Give them this link yourself: http://`);
		expect(answer.html).toMatch(/\/admin\/enrol\/\?token=[A-Za-z0-9_-]{43}</);
		expect((await entriesSince(before)).map((e) => e.type)).toEqual([
			'staff.invited',
			'email.failed',
		]);

		const result = await cli('staff', 'invite', person);
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(
			/^Invited aino\.approver@kestrelledger\.example as approver\. The enrolment link works once, until \d{4}-\d\d-\d\d \d\d:\d\d UTC:\nhttp:\/\/localhost:\d+\/admin\/enrol\/\?token=[A-Za-z0-9_-]{43}\n$/,
		);
		expect(result.stderr).toBe(
			`The e-mail to ${person} with the enrolment link was not sent. ${MAILER_SAID} Give them the link above yourself, or invite them again once the mail server takes mail.\n`,
		);
		refuseMailTo();
	});
});

describe('sending a link again', () => {
	it('is for approvers: the grants page offers it to them, and a viewer’s POST is a 403 page and an audit entry', async () => {
		const grants = async (cookie: string) =>
			(await (await consoleGet(app.url, '/admin/grants/', cookie)).text()).includes('/resend"');
		expect([await grants(approver), await grants(viewer)]).toEqual([true, false]);
		const grant = (await app.audit()).findLast((e) => e.type === 'grant.created')!.subject;
		const before = (await app.audit()).length;
		const answer = await submit(`/admin/grants/${grant}/resend`, {}, viewer);
		expect(answer.status).toBe(403);
		expect(answer.text).toContain(
			'To send the link of a grant again you need the approver role; you are signed in as viewer',
		);
		expect(await entriesSince(before)).toMatchObject([
			{
				type: 'console.refused',
				actor: 'staff:vera.viewer@kestrelledger.example',
				subject: 'send the link of a grant again',
				data: { needed: 'approver' },
			},
		]);
	});

	it('refuses a revoked grant and an expired one, saying why, and changes nothing', async () => {
		const gate = app.gate.gate;
		const revokedId = (await approve(gate, await waitingRequest('ana.ruiz@gmail.com'), 'cli:alice'))
			.grant;
		await revoke(gate, revokedId, 'cli:alice', 'Contract ended');
		const revokedAt = (
			await gate.db.query<{ revoked_at: Date }>('SELECT revoked_at FROM grants WHERE id = $1', [
				revokedId,
			])
		).rows[0]!.revoked_at.toISOString()
			.slice(0, 16)
			.replace('T', ' ');
		const expiredId = (
			await approve(gate, await waitingRequest('bo.chen@gmail.com'), 'cli:alice', 1)
		).grant;
		const before = (await app.audit()).length;
		const mails = sink.mails.length;

		const answer = await submit(`/admin/grants/${revokedId}/resend`, {});
		expect([answer.status, answer.text]).toEqual([
			409,
			expect.stringContaining(
				`Grant ${revokedId} was revoked on ${revokedAt} UTC by cli:alice: a new link would open nothing, so none was made or sent. If ana.ruiz@gmail.com should have the documents again, they can ask at ${app.gate.gate.publicUrl}/access/.`,
			),
		]);
		const ends = await expiry(expiredId);
		app.clock.offset += 2 * 86_400_000;
		expect(await cli('resend', expiredId)).toEqual({
			code: 1,
			stdout: '',
			stderr: `Grant ${expiredId} ended on ${ends} UTC: a new link would open nothing, so none was made or sent. If bo.chen@gmail.com should have the documents again, they can ask at ${app.gate.gate.publicUrl}/access/.\n`,
		});
		expect(await entriesSince(before)).toEqual([]);
		expect(sink.mails.length).toBe(mails);
	});
});
