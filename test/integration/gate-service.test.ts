// The gate's operations on both databases it supports: PGlite (embedded) and a real PostgreSQL.
import { ENGLISH } from '../../src/lib/words/words.ts';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/gate/lib/audit-chain.ts';
import { readAudit } from '../../src/gate/services/audit.ts';
import { executeCommand } from '../../src/gate/cli/commands.ts';
import { GateError } from '../../src/gate/errors.ts';
import { hit, pruneRateLimits } from '../../src/gate/services/rate-limits.ts';
import { checkLink, download } from '../../src/gate/services/downloads.ts';
import type { Gate } from '../../src/gate/services/gate.ts';
import { checkGrantKey, grantPage, revoke } from '../../src/gate/services/grants.ts';
import { report, trace } from '../../src/gate/services/reports.ts';
import { approve, confirmEmail, createRequest, deny } from '../../src/gate/services/requests.ts';
import { readOutbox } from '../../src/gate/mail/mailer.ts';
import {
	emailHash,
	holdAddress,
	subscribe,
	subscriptionSecrets,
} from '../../src/gate/services/subscribers.ts';
import { gateRoot, lastLink, makeGate, requestFor } from '../helpers/gate.ts';
import { startPostgres, type PgCluster } from '../helpers/postgres.ts';

const meta = { ip: '203.0.113.7', userAgent: 'vitest' };
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function refusal(
	promise: Promise<unknown>,
): Promise<{ status: number; code: string; message: string }> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof GateError)
			return { status: error.status, code: error.code, message: error.message };
		throw error;
	}
	throw new Error('expected a refusal');
}

function pdfText(bytes: Uint8Array): string {
	const dir = mkdtempSync(join(tmpdir(), 'gate-pdf-'));
	writeFileSync(join(dir, 'copy.pdf'), bytes);
	try {
		return execFileSync('pdftotext', [join(dir, 'copy.pdf'), '-'], { encoding: 'utf8' });
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

let cluster: PgCluster;
let root: string;
beforeAll(async () => {
	cluster = await startPostgres();
	root = await gateRoot();
});
afterAll(() => {
	cluster?.stop();
	if (root) rmSync(root, { recursive: true, force: true });
});

describe.each(['PGlite', 'PostgreSQL'] as const)('the gate on %s', (kind) => {
	let gate: Gate & { outbox: string; dispose(): Promise<void> };
	let clock = Date.parse('2026-11-23T10:00:00Z');
	let dataDir: string;
	/** Runs SQL as a superuser: on PGlite the gate's own session is one. */
	let superuser: (sql: string, params?: unknown[]) => Promise<unknown>;
	let client: pg.Client | undefined;

	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'gate-pglite-'));
		gate = await makeGate(
			root,
			kind === 'PGlite' ? { dataDir } : { databaseUrl: cluster.url },
			() => new Date(clock),
		);
		if (kind === 'PGlite') superuser = (sql, params) => gate.db.query(sql, params);
		else {
			const su = new pg.Client({ connectionString: cluster.superuserUrl });
			await su.connect();
			client = su;
			superuser = (sql, params) => su.query(sql, params);
		}
	});
	afterAll(async () => {
		await client?.end();
		await gate?.dispose();
		rmSync(dataDir, { recursive: true, force: true });
	});

	const confirmToken = () =>
		new URL(lastLink(readOutbox(gate.outbox), '/access/confirm/')).searchParams.get('token')!;
	const grantLink = () => new URL(lastLink(readOutbox(gate.outbox), '/access/grant/'));
	const openGrant = async () => {
		const link = grantLink();
		const id = link.pathname.split('/')[3]!;
		await checkGrantKey(gate, id, link.searchParams.get('key')!);
		return grantPage(gate, id);
	};
	const linkQuery = (href: string) => new URL(href, 'http://gate.test').searchParams;
	/** What GET /download/ does with a link's query: its signature checked, then the copy served. */
	const serveLink = async (query: URLSearchParams) => download(gate, checkLink(gate, query), meta);

	it('takes a request through confirmation, rules, grant, watermarked download, report and trace', async () => {
		const created = await createRequest(
			gate,
			requestFor(gate, 'ada@fabrikam.example', ['whitepaper', 'soc2-type2-report']),
			meta,
		);
		expect(await refusal(approve(gate, created.id, 'cli:test'))).toEqual({
			status: 409,
			code: 'request-unverified',
			message: `Request ${created.id} has not confirmed its email yet, and nothing is granted on an unverified email. It can be decided once ada@fabrikam.example confirms.`,
		});
		const confirmed = await confirmEmail(gate, confirmToken(), meta);
		expect(confirmed).toEqual({
			request: {
				id: created.id,
				name: 'Ada Quinn',
				email: 'ada@fabrikam.example',
				status: 'approved',
			},
			granted: ['whitepaper', 'soc2-type2-report'],
			review: [],
			alreadyConfirmed: false,
		});
		const view = await openGrant();
		expect(view.links.map((l) => l.document.id)).toEqual(['whitepaper', 'soc2-type2-report']);
		// soc2-type2-report has maxDays 90 and the rule grants 90: the grant ends 90 days on.
		expect(view.expiresAt.toISOString()).toBe('2027-02-21T10:00:00.000Z');

		const copy = await serveLink(linkQuery(view.links[0]!.href));
		const text = pdfText(copy.bytes);
		const pages = text.split('\f').filter((p) => p.trim());
		expect(pages).toHaveLength(3);
		for (const page of pages)
			expect(page).toContain(
				`Provided to Ada Quinn (Fabrikam, ada@fabrikam.example) · 2026-11-23 10:00 UTC · download ${copy.id}`,
			);
		const row = (
			await gate.db.query<{ sha256: string; document: string }>(
				'SELECT sha256, document FROM downloads WHERE id = $1',
				[copy.id],
			)
		).rows[0];
		expect(row).toEqual({ sha256: sha256(copy.bytes), document: 'whitepaper' });

		const exact = await trace(gate, copy.bytes, 'cli:test');
		expect(exact).toMatchObject({
			match: 'exact',
			downloads: [
				{
					id: copy.id,
					name: 'Ada Quinn',
					company: 'Fabrikam',
					email: 'ada@fabrikam.example',
					document: 'whitepaper',
				},
			],
		});
		// A re-saved copy with its metadata stripped no longer matches by hash; the hidden fingerprint still names it.
		const stripped = await PDFDocument.load(copy.bytes);
		stripped.setKeywords([]);
		stripped.setSubject('');
		stripped.setTitle('innocent');
		const modified = await stripped.save({ useObjectStreams: false });
		expect(await trace(gate, modified, 'cli:test')).toMatchObject({
			match: 'fingerprint',
			downloads: [{ id: copy.id, email: 'ada@fabrikam.example' }],
		});
		expect(
			(
				await executeCommand(
					gate,
					{ name: 'trace', file: 'leak.pdf', pdfBase64: Buffer.from(modified).toString('base64') },
					'cli:test',
				)
			).stdout,
		).toContain(
			`leak.pdf is a modified copy, identified by its hidden fingerprint of download ${copy.id}:\n  recipient: Ada Quinn <ada@fabrikam.example>, Fabrikam`,
		);

		await serveLink(linkQuery(view.links[1]!.href));
		expect((await report(gate)).map((r) => [r.company, r.email, r.document, r.downloads])).toEqual([
			['Fabrikam', 'ada@fabrikam.example', 'soc2-type2-report', 1],
			['Fabrikam', 'ada@fabrikam.example', 'whitepaper', 1],
		]);

		const audit = await readAudit(gate.db);
		expect(audit.map((e) => e.type)).toEqual([
			'request.created',
			'nda.accepted',
			'email.sent',
			'email.verified',
			'request.approved',
			'grant.created',
			'email.sent',
			'download.served',
			// The two traces here and the CLI's: each an entry of its actor.
			'download.traced',
			'download.traced',
			'download.traced',
			'download.served',
		]);
		expect(audit.find((e) => e.type === 'download.traced')).toMatchObject({
			actor: 'cli:test',
			subject: copy.id,
			data: { match: 'exact', sha256: sha256(copy.bytes) },
		});
		expect(audit[1]!.data).toEqual({
			ndaVersion: '3.2',
			ndaSha256: gate.config.nda.sha256,
			typedName: 'Ada Quinn',
			company: 'Fabrikam',
			ip: '203.0.113.7',
			userAgent: 'vitest',
		});
		expect(verifyChain(audit).ok).toBe(true);
	});

	it('uses a confirmation link once, and refuses it, used or not, after 24 hours', async () => {
		await createRequest(gate, requestFor(gate, 'bo@contoso.example'), meta);
		const token = confirmToken();
		expect((await confirmEmail(gate, token, meta)).alreadyConfirmed).toBe(false);
		const before = (await readAudit(gate.db)).length;
		expect(await confirmEmail(gate, token, meta)).toMatchObject({
			alreadyConfirmed: true,
			request: { status: 'approved' },
		});
		expect((await readAudit(gate.db)).length).toBe(before);

		await createRequest(gate, requestFor(gate, 'cy@contoso.example'), meta);
		const late = confirmToken();
		clock += 24 * 3_600_000 + 1000;
		expect(await refusal(confirmEmail(gate, late, meta))).toEqual({
			status: 410,
			code: 'confirm-expired',
			message:
				'This confirmation link expired 24 hours after the request. Make a new request at /access/; it takes a minute.',
		});
		// The used link no longer shows the request either.
		expect(await refusal(confirmEmail(gate, token, meta))).toEqual({
			status: 410,
			code: 'confirm-expired',
			message:
				'This confirmation link was used, and it expired 24 hours after the request, so it shows nothing more. Look for our email about the request, or make a new one at /access/.',
		});
		expect(await refusal(confirmEmail(gate, 'x'.repeat(43), meta))).toMatchObject({
			status: 404,
			code: 'confirm-unknown',
		});
	});

	it('refuses a request against an NDA that has changed since the page was loaded', async () => {
		expect(
			await refusal(
				createRequest(
					gate,
					{
						...requestFor(gate, 'ada@fabrikam.example'),
						ndaVersion: '2.0',
						ndaSha256: 'b'.repeat(64),
					},
					meta,
				),
			),
		).toEqual({
			status: 409,
			code: 'nda-changed',
			message:
				'The NDA changed after the request page was loaded: you accepted version 2.0, the current one is 3.2. Reload /access/, read the current NDA and submit again.',
		});
	});

	it('refuses forged, expired, used-up and revoked links and expired grants, each saying so', async () => {
		await createRequest(gate, requestFor(gate, 'di@contoso.example'), meta);
		await confirmEmail(gate, confirmToken(), meta);
		const view = await openGrant();
		const href = view.links[0]!.href;
		const ask =
			'Open the documents page from your email again to get a fresh link, or ask again at /access/.';

		const forged = linkQuery(href);
		forged.set('doc', 'soc2-type2-report');
		expect(await refusal(serveLink(forged))).toEqual({
			status: 403,
			code: 'link-forged',
			message: `This download link is not valid: it was changed, or it was not issued by us. ${ask}`,
		});

		for (let i = 0; i < gate.config.rules.grant.linkUses; i++) await serveLink(linkQuery(href));
		expect(await refusal(serveLink(linkQuery(href)))).toEqual({
			status: 410,
			code: 'link-used-up',
			message: `This download link has already been used 3 times, its limit. ${ask}`,
		});

		const fresh = (await openGrant()).links[0]!.href;
		clock += 15 * 60_000 + 61_000;
		expect(await refusal(serveLink(linkQuery(fresh)))).toEqual({
			status: 410,
			code: 'link-expired',
			message: `Download links work for 15 minutes, and this one has expired. ${ask}`,
		});

		const beforeRevoke = (await openGrant()).links[0]!.href;
		const grantId = grantLink().pathname.split('/')[3]!;
		await revoke(gate, grantId, 'cli:test', 'left the evaluation');
		const day = ENGLISH.date(new Date(clock));
		expect(await refusal(serveLink(linkQuery(beforeRevoke)))).toEqual({
			status: 410,
			code: 'grant-revoked',
			message: `Access to these documents was revoked on ${day}. Ask again at /access/, or reply to the email that sent you the link.`,
		});
		expect(await refusal(openGrant())).toMatchObject({ status: 410, code: 'grant-revoked' });
		expect(await refusal(revoke(gate, grantId, 'cli:test', undefined))).toMatchObject({
			status: 409,
			code: 'grant-revoked',
		});

		await createRequest(gate, requestFor(gate, 'ed@contoso.example'), meta);
		await confirmEmail(gate, confirmToken(), meta);
		const lasting = (await openGrant()).links[0]!.href;
		// The grant ends while its fresh link is still valid.
		await gate.db.query('UPDATE grants SET expires_at = $2 WHERE id = $1', [
			grantLink().pathname.split('/')[3],
			new Date(clock - 1000),
		]);
		expect(await refusal(serveLink(linkQuery(lasting)))).toMatchObject({
			status: 410,
			code: 'grant-expired',
			message: expect.stringMatching(
				/^Your access to these documents ended on \d{1,2} [A-Z][a-z]+ \d{4}\. Ask again at \/access\//,
			),
		});
		const refused = (await readAudit(gate.db))
			.filter((e) => e.type === 'download.refused')
			.map((e) => e.data['why']);
		expect(refused).toEqual(['link-used-up', 'grant-revoked', 'grant-expired']);
	});

	it('serves one link to concurrent downloads no more often than its limit, counting each use once, and refuses it used up before any watermark', async () => {
		await createRequest(gate, requestFor(gate, 'gus@contoso.example'), meta);
		await confirmEmail(gate, confirmToken(), meta);
		const href = (await openGrant()).links[0]!.href;
		const query = () => linkQuery(href);
		const settled = await Promise.allSettled(Array.from({ length: 5 }, () => serveLink(query())));
		const served = settled.filter((r) => r.status === 'fulfilled');
		const refused = settled.flatMap((r) =>
			r.status === 'rejected' ? [(r.reason as GateError).code] : [],
		);
		expect([served.length, refused]).toEqual([3, ['link-used-up', 'link-used-up']]);
		const link = query().get('link');
		const counted = await gate.db.query<{ uses: number; served: number }>(
			'SELECT uses, (SELECT count(*)::int FROM downloads WHERE link_id = $1) AS served FROM link_uses WHERE link_id = $1',
			[link],
		);
		expect(counted.rows).toEqual([{ uses: 3, served: 3 }]);
		// A used-up link is refused before the document is read and watermarked: even with the file gone,
		// the answer is "used up", not "not available".
		const document = gate.config.documents.find((d) => d.id === query().get('doc'))!;
		const { path } = document;
		document.path = join(root, 'gone.pdf');
		try {
			expect(await refusal(serveLink(query()))).toMatchObject({
				status: 410,
				code: 'link-used-up',
			});
		} finally {
			document.path = path;
		}
	});

	it('partly approves on confirmation: grants what the rule allows, and sends the rest to review', async () => {
		await createRequest(
			gate,
			requestFor(gate, 'hal@northwind.example', ['whitepaper', 'soc2-type2-report']),
			meta,
		);
		const confirmed = await confirmEmail(gate, confirmToken(), meta);
		expect(confirmed).toMatchObject({
			request: { email: 'hal@northwind.example', status: 'partial' },
			granted: ['whitepaper'],
			review: ['soc2-type2-report'],
			alreadyConfirmed: false,
		});
		expect((await openGrant()).links.map((l) => l.document.id)).toEqual(['whitepaper']);
		const review = readOutbox(gate.outbox).at(-1)!;
		expect(review).toContain('Subject: Access request to review: hal@northwind.example');
		expect(review).toContain(
			'Why it waits:      partly approved by rule "Prospects in an active evaluation".',
		);
		const entry = (await readAudit(gate.db)).findLast(
			(e) => e.type === 'request.partially-approved',
		);
		expect(entry).toMatchObject({
			subject: confirmed.request.id,
			data: { granted: ['whitepaper'], review: ['soc2-type2-report'] },
		});
	});

	it('sends free-mail requests to review, emails the security team, and lets the CLI approve or deny', async () => {
		await createRequest(
			gate,
			requestFor(gate, 'fay@gmail.com', ['whitepaper', 'soc2-type2-report']),
			meta,
		);
		const pending = await confirmEmail(gate, confirmToken(), meta);
		expect(pending).toMatchObject({
			request: { status: 'pending' },
			granted: [],
			review: ['whitepaper', 'soc2-type2-report'],
		});
		const review = readOutbox(gate.outbox).at(-1)!;
		expect(review).toContain('To: security@kestrelledger.example');
		expect(review).toContain(`npm run gate -- approve ${pending.request.id}`);
		const listed = await executeCommand(gate, { name: 'requests' }, 'cli:test');
		expect(listed.stdout).toContain(`${pending.request.id}  `);
		expect(listed.stdout).toContain(
			'  Ada Quinn <fay@gmail.com>, Procurement lead at Fabrikam\n  wants:  whitepaper, soc2-type2-report\n  reason: (none given)\n  why:    free-mail domain',
		);

		const approved = await executeCommand(
			gate,
			{ name: 'approve', id: pending.request.id, days: 365 },
			'cli:alice',
		);
		expect(approved.stdout).toMatch(
			new RegExp(
				`^Approved ${pending.request.id}: grant grant_[0-9a-f]{16} for whitepaper, soc2-type2-report, 90 days \\(capped by maxDays in access-rules.yaml\\)\\. The mail was written to ${gate.outbox}/[^ ]+\\.eml, not e-mailed: the gate runs without SMTP_URL\\.\\n$`,
			),
		);
		expect(
			(await executeCommand(gate, { name: 'approve', id: pending.request.id }, 'cli:alice')).stderr,
		).toBe(`Request ${pending.request.id} is already approved (by cli:alice); nothing changed.\n`);

		await createRequest(gate, requestFor(gate, 'gus@outlook.com'), meta);
		const other = await confirmEmail(gate, confirmToken(), meta);
		await deny(gate, other.request.id, 'cli:alice', 'We share reports with customers only.');
		expect(readOutbox(gate.outbox).at(-1)).toContain(
			'Reason: We share reports with customers only.',
		);

		await createRequest(gate, requestFor(gate, 'spy@ledgerlark.example'), meta);
		expect(await confirmEmail(gate, confirmToken(), meta)).toMatchObject({
			request: { status: 'denied' },
			granted: [],
		});
		const entries = await readAudit(gate.db);
		expect(entries.filter((e) => e.type === 'request.denied').map((e) => e.actor)).toEqual([
			'cli:alice',
			'rules',
		]);
		expect(
			entries.find((e) => e.type === 'request.approved' && e.actor === 'cli:alice')?.data,
		).toEqual({ documents: ['whitepaper', 'soc2-type2-report'], days: 90 });
	});

	it('refuses UPDATE, DELETE and TRUNCATE on the audit table in the database itself', async () => {
		for (const sql of [
			"UPDATE audit_log SET actor = 'x' WHERE seq = 1",
			'DELETE FROM audit_log WHERE seq = 1',
			'TRUNCATE audit_log',
		]) {
			await expect(gate.db.query(sql)).rejects.toThrow(
				/audit_log is append-only: (UPDATE|DELETE|TRUNCATE) refused/,
			);
		}
		expect(verifyChain(await readAudit(gate.db)).ok).toBe(true);
	});

	it('records each CLI audit verify and export as the log’s next entry under the operator, as the console does', async () => {
		const before = await readAudit(gate.db);
		const head = before.at(-1) ?? { seq: 0, hash: '' };
		expect((await executeCommand(gate, { name: 'audit-verify' }, 'cli:alice')).code).toBe(0);
		const verified = (await readAudit(gate.db)).at(-1)!;
		expect(verified).toMatchObject({
			seq: head.seq + 1,
			type: 'audit.verified',
			actor: 'cli:alice',
			subject: 'audit-log',
		});
		expect(verified.data).toEqual({
			intact: true,
			count: before.length,
			head: before.length ? { seq: head.seq, hash: head.hash } : null,
		});

		const exported = await executeCommand(gate, { name: 'audit-export' }, 'cli:alice');
		const entry = (await readAudit(gate.db)).at(-1)!;
		expect(entry).toMatchObject({
			seq: head.seq + 2,
			type: 'audit.exported',
			actor: 'cli:alice',
			subject: 'audit-log',
			data: {},
		});
		const headLine = JSON.parse(exported.stdout.trim().split('\n').at(-1)!) as {
			head: { seq: number; hash: string };
		};
		expect(headLine.head).toEqual({ seq: entry.seq, hash: entry.hash });

		const anchor = { ...headLine.head, from: 'export.jsonl' };
		expect((await executeCommand(gate, { name: 'audit-verify', anchor }, 'cli:alice')).code).toBe(
			0,
		);
		expect((await readAudit(gate.db)).at(-1)!.data).toEqual({
			intact: true,
			count: entry.seq,
			head: headLine.head,
			against: headLine.head,
		});
	});

	it('catches an edit of any single row made by a superuser with the triggers dropped, and a cut tail against an export', async () => {
		const exported = await executeCommand(gate, { name: 'audit-export' }, 'cli:test');
		const headLine = JSON.parse(exported.stdout.trim().split('\n').at(-1)!) as {
			head: { seq: number; hash: string };
		};
		const entries = await readAudit(gate.db);
		expect(headLine.head).toEqual({ seq: entries.length, hash: entries.at(-1)!.hash });

		await superuser('ALTER TABLE audit_log DISABLE TRIGGER USER');
		try {
			const columns = ['at', 'type', 'actor', 'subject', 'data', 'prev_hash'] as const;
			for (const entry of entries) {
				const column = columns[entry.seq % columns.length]!;
				const original = (await superuser(
					`SELECT ${column}::text AS v FROM audit_log WHERE seq = $1`,
					[entry.seq],
				)) as { rows: Array<{ v: string }> };
				const value = original.rows[0]!.v;
				const tampered =
					column === 'data'
						? JSON.stringify({ ...entry.data, tampered: true })
						: column === 'prev_hash'
							? 'f'.repeat(64)
							: `${value}x`;
				await superuser(
					`UPDATE audit_log SET ${column} = $2${column === 'data' ? '::jsonb' : ''} WHERE seq = $1`,
					[entry.seq, tampered],
				);
				const result = await executeCommand(gate, { name: 'audit-verify' }, 'cli:test');
				expect(result.code, `row #${entry.seq}, ${column}`).toBe(1);
				expect(result.stderr, `row #${entry.seq}, ${column}`).toMatch(
					new RegExp(`^Audit chain BROKEN at entry #${entry.seq}: `),
				);
				expect((await readAudit(gate.db)).at(-1), `row #${entry.seq}, ${column}`).toMatchObject({
					type: 'audit.verified',
					actor: 'cli:test',
					data: { intact: false, brokenAt: entry.seq },
				});
				await superuser(
					`UPDATE audit_log SET ${column} = $2${column === 'data' ? '::jsonb' : ''} WHERE seq = $1`,
					[entry.seq, value],
				);
			}
			expect((await executeCommand(gate, { name: 'audit-verify' }, 'cli:test')).code).toBe(0);
			await superuser('DELETE FROM audit_log WHERE seq > $1', [entries.length - 2]);
		} finally {
			await superuser('ALTER TABLE audit_log ENABLE TRIGGER USER');
		}
		expect((await executeCommand(gate, { name: 'audit-verify' }, 'cli:test')).code).toBe(0);
		const against = await executeCommand(
			gate,
			{ name: 'audit-verify', anchor: { ...headLine.head, from: 'export.jsonl' } },
			'cli:test',
		);
		// The verify after the cut is the log's entry #N-1 now, written with a hash of its own.
		const problem = `the exported head is entry #${entries.length}, but the log ends at #${entries.length - 1}: entries after #${entries.length - 1} were removed`;
		expect(against).toEqual({
			code: 1,
			stdout: '',
			stderr: `Audit chain verifies, but not against export.jsonl: ${problem}.\n`,
		});
		expect((await readAudit(gate.db)).at(-1)).toMatchObject({
			type: 'audit.verified',
			data: { intact: true, against: headLine.head, anchorProblem: problem },
		});
	});

	it('counts rate-limit hits in the database, per key, sliding from one window into the next', async () => {
		const limit = { max: 2, seconds: 60 };
		const now = new Date('2026-11-23T12:00:10Z');
		expect(await hit(gate.db, 'ip:198.51.100.1', limit, now)).toEqual({ ok: true });
		expect(await hit(gate.db, 'ip:198.51.100.1', limit, now)).toEqual({ ok: true });
		// The next hit would be let through 30 s into the next window, when half of this one has slid out.
		expect(await hit(gate.db, 'ip:198.51.100.1', limit, now)).toEqual({
			ok: false,
			retryAfter: 80,
		});
		expect(await hit(gate.db, 'ip:198.51.100.2', limit, now)).toEqual({ ok: true });
		// The next window still holds the two hits of 50 seconds ago; the refused one is not counted.
		expect(await hit(gate.db, 'ip:198.51.100.1', limit, new Date('2026-11-23T12:01:00Z'))).toEqual({
			ok: false,
			retryAfter: 30,
		});
		expect(await hit(gate.db, 'ip:198.51.100.1', limit, new Date('2026-11-23T12:01:30Z'))).toEqual({
			ok: true,
		});
	});

	it('lets a client that keeps retrying in as often as the limit allows, not only once', async () => {
		// Five an hour, and a client retrying every ten minutes for ten hours. Were refused hits counted,
		// it would never get in again after its first five.
		const limit = { max: 5, seconds: 3600 };
		const start = Date.parse('2026-11-23T00:00:00Z');
		let admitted = 0;
		for (let minute = 0; minute < 600; minute += 10) {
			const result = await hit(gate.db, 'email:retrying', limit, new Date(start + minute * 60_000));
			if (result.ok) admitted++;
		}
		expect(admitted).toBeGreaterThanOrEqual(40);
		expect(admitted).toBeLessThanOrEqual(50);
	});

	it('drops rate-limit windows older than a day, and keeps the rest', async () => {
		const limit = { max: 5, seconds: 60 };
		await hit(gate.db, 'ip:198.51.100.9', limit, new Date('2026-11-20T08:00:00Z'));
		await hit(gate.db, 'ip:198.51.100.9', limit, new Date('2026-11-23T08:00:00Z'));
		await pruneRateLimits(gate.db, new Date('2026-11-23T12:00:00Z'));
		const { rows } = await gate.db.query<{ window_start: Date }>(
			"SELECT window_start FROM rate_limits WHERE key = 'ip:198.51.100.9'",
		);
		expect(rows.map((r) => r.window_start.toISOString())).toEqual(['2026-11-23T08:00:00.000Z']);
	});
});

describe('several gate replicas on one PostgreSQL', () => {
	it('keep one unbroken audit chain and share rate limits', async () => {
		const a = await makeGate(root, { databaseUrl: cluster.url });
		const b = await makeGate(root, { databaseUrl: cluster.url });
		try {
			const before = (await readAudit(a.db)).length;
			await Promise.all(
				Array.from({ length: 20 }, (_, i) =>
					createRequest(i % 2 ? a : b, requestFor(a, `replica${i}@contoso.example`), meta),
				),
			);
			const entries = await readAudit(a.db);
			expect(entries.length - before).toBe(20 * 3);
			expect(verifyChain(entries).ok).toBe(true);
			const limit = { max: 3, seconds: 600 };
			const results = await Promise.all(
				Array.from({ length: 6 }, (_, i) => hit((i % 2 ? a : b).db, 'ip:shared', limit)),
			);
			expect(results.filter((r) => r.ok)).toHaveLength(3);
		} finally {
			await a.dispose();
			await b.dispose();
		}
	});
});

describe('a removal and a subscription of one address at once, on PostgreSQL', () => {
	it('never adds the removed address back: the subscription waits for the removal, then finds it', async () => {
		const a = await makeGate(root, { databaseUrl: cluster.url });
		const b = await makeGate(root, { databaseUrl: cluster.url });
		const email = 'race.removed@fabrikam.example';
		try {
			await a.db.query(
				`INSERT INTO subscribers (id, email, topics, state, created_at, created_ip, created_user_agent, confirmed_at)
				VALUES ('sub_00000000000ace01', $1, ARRAY['all'], 'active', now(), '127.0.0.1', 'test', now())`,
				[email],
			);
			const hash = emailHash(await subscriptionSecrets(a), email);
			let subscribing: Promise<void> | undefined;
			// The removal's own steps, in a transaction held open while the other replica subscribes the
			// address: before the fix, that subscription read the address as not removed and, once the
			// removal committed, inserted it again.
			await a.db.tx(async (q) => {
				await holdAddress(q, email);
				await q.query('DELETE FROM subscribers WHERE email = $1', [email]);
				await q.query(
					"INSERT INTO subscription_suppressions (email_hash, created_at, actor) VALUES ($1, now(), 'cli:test')",
					[hash],
				);
				subscribing = subscribe(b, { email, topics: ['all'] }, meta);
				// Long enough for the subscription to reach what it waits on.
				await new Promise((resolve) => setTimeout(resolve, 500));
			});
			await subscribing;
			const { rows } = await a.db.query('SELECT state FROM subscribers WHERE email = $1', [email]);
			expect(rows).toEqual([]);
		} finally {
			await a.dispose();
			await b.dispose();
		}
	});
});
